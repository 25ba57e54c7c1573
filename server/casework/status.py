"""A request's statuses and the outcomes it can be closed with: the one list, with the
words residents and staff see, and which pages carry the quick exit ("hide this page")."""

from __future__ import annotations

from server import i18n
from server.i18n import lazy as _

STATUS = {"received": _("Received"), "in_progress": _("Being dealt with"),
          "waiting": _("Waiting for information from you"), "closed": _("Closed")}
OPEN_STATUSES = ("received", "in_progress", "waiting")
CLOSED = "closed"
RECEIVED = "received"

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


def status_label(status: str, code: str) -> str:
    return i18n.Gettext(code).gettext(STATUS.get(status, status))


def outcome_label(outcome: str, code: str) -> str:
    return i18n.Gettext(code).gettext(OUTCOMES.get(outcome, outcome))


def quick_exit(service: str) -> bool:
    return service in QUICK_EXIT_SERVICES
