"""A request's statuses and the outcomes it can be closed with: the one list, with the
words staff and residents see, whether the service-level clock runs, and which pages
carry the quick exit ("hide this page")."""

from __future__ import annotations

from dataclasses import dataclass

from server import i18n
from server.i18n import lazy as _

# What a status does to the working-day clock (server/casework/sla.py).
RUNS, PAUSED, STOPPED = "runs", "paused", "stopped"


@dataclass(frozen=True)
class Status:
    staff: str  # the officer's name for it
    resident: str  # what the resident reads on their page and in their updates
    clock: str  # RUNS, PAUSED or STOPPED (closed)
    outcomes: tuple[str, ...] = ()  # a closing status: the outcomes it may be closed with


RECEIVED = "received"
WAITING_FOR_RESIDENT = "waiting_resident"
STATUSES: dict[str, Status] = {
    RECEIVED: Status(_("Received"), _("Received"), RUNS),
    "triaged": Status(_("Triaged"), _("Checked and passed to the right team"), RUNS),
    "in_progress": Status(_("In progress"), _("Being dealt with"), RUNS),
    WAITING_FOR_RESIDENT: Status(_("Waiting for the resident"),
                                 _("Waiting for information from you"), PAUSED),
    "waiting_other": Status(_("Waiting for another body"),
                            _("Waiting for another organisation"), PAUSED),
    "resolved": Status(_("Resolved"), _("Dealt with"), STOPPED, ("resolved",)),
    "closed_no_action": Status(_("Closed with no action"), _("Closed with no action"),
                               STOPPED, ("no_action", "duplicate")),
    "referred": Status(_("Referred elsewhere"), _("Passed to another organisation"),
                       STOPPED, ("referred",)),
}
# Older code and tests read STATUS as "status -> resident wording".
STATUS = {code: s.resident for code, s in STATUSES.items()}
OPEN_STATUSES = tuple(code for code, s in STATUSES.items() if s.clock != STOPPED)
CLOSING_STATUSES = tuple(code for code, s in STATUSES.items() if s.clock == STOPPED)
PAUSED_STATUSES = tuple(code for code, s in STATUSES.items() if s.clock == PAUSED)
# Where a resident's own withdrawal leaves the request.
WITHDRAWN_STATUS = "closed_no_action"

# Why a request was closed: an officer must give one (issue 15: requests were closed
# with no outcome); "withdrawn" is the resident's own, never an officer's choice.
WITHDRAWN = "withdrawn"
OUTCOMES = {"resolved": _("Dealt with"), "no_action": _("No action needed"),
            "referred": _("Passed to another team or organisation"),
            "duplicate": _("The same as another request"),
            WITHDRAWN: _("Withdrawn by the resident")}
OFFICER_OUTCOMES = tuple(o for o in OUTCOMES if o != WITHDRAWN)

# Someone telling us about abuse may be watched: every page of these services, for the
# resident and for staff, has the quick exit.
QUICK_EXIT_SERVICES = frozenset({"social-work"})


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def closing_outcome(status: str, outcome: str) -> str | None:
    """The outcome a closing status is closed with: the one chosen if it fits the
    status, the status's only outcome when it has one, else None (the officer must
    choose). Not a closing status: None."""
    fits = STATUSES[status].outcomes if status in STATUSES else ()
    if outcome in fits:
        return outcome
    return fits[0] if len(fits) == 1 and not outcome else None


def status_label(status: str, code: str, for_staff: bool = False) -> str:
    found = STATUSES.get(status)
    if found is None:
        return status
    return i18n.Gettext(code).gettext(found.staff if for_staff else found.resident)


def outcome_label(outcome: str, code: str) -> str:
    return i18n.Gettext(code).gettext(OUTCOMES.get(outcome, outcome))


def quick_exit(service: str) -> bool:
    return service in QUICK_EXIT_SERVICES
