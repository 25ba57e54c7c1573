"""A request's statuses: the one list, with the words residents and staff see, and which
pages carry the quick exit ("hide this page")."""

from __future__ import annotations

from server import i18n
from server.i18n import lazy as _

STATUS = {"received": _("Received"), "in_progress": _("Being dealt with"),
          "waiting": _("Waiting for information from you"), "closed": _("Closed")}
OPEN_STATUSES = ("received", "in_progress", "waiting")

# Someone telling us about abuse may be watched: every page of these services, for the
# resident and for staff, has the quick exit.
QUICK_EXIT_SERVICES = frozenset({"social-work"})


def status_label(status: str, code: str) -> str:
    return i18n.Gettext(code).gettext(STATUS.get(status, status))


def quick_exit(service: str) -> bool:
    return service in QUICK_EXIT_SERVICES
