"""Links built from the route table: a link names a route and is shown only to people that
route lets in (its require(...) sets `allowed_roles`), so no one is offered a page that
answers 403 (issue 15: hub staff and field workers were shown an Inbox they could not open).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from server.auth import roles
from server.auth.session import current_person
from server.i18n import lazy as _


@dataclass(frozen=True)
class Link:
    route: str  # the route's name in server/routes.py
    label: str  # marked with lazy(): translated where shown
    signed_out_only: bool = False  # "Sign in" answers signed-in people with a redirect
    # Shown only to these roles, though the route lets more in (admins reach the hub
    # view from the admin page: the header stays short).
    only_for: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Shown:
    href: str
    label: str


HEADER = (
    Link("services", _("Services")),
    Link("track", _("Track a request")),
    Link("staff_inbox", _("Inbox")),
    Link("staff_dashboard", _("Dashboard")),
    Link("staff_hub", _("Library hub"), only_for=(roles.HUB_STAFF,)),
    Link("staff_conflicts", _("Conflicts")),
    Link("admin_home", _("Administration")),
    Link("account", _("Your account")),
    Link("sign_in", _("Sign in"), signed_out_only=True),
)

# What an admin can do, on the admin home. A route not (yet) in the table is left out.
ADMIN = (
    Link("admin_staff", _("Staff, roles and hubs")),
    Link("admin_invite", _("Invite a member of staff")),
    Link("admin_audit", _("Audit log")),
    Link("admin_feedback", _("Feedback on the service")),
    Link("admin_devices", _("Devices")),
    Link("staff_hub", _("Library hub")),
    Link("staff_kiosks", _("Kiosks")),
    Link("admin_closures", _("Council closures")),
    Link("admin_replies", _("Templated replies")),
    Link("admin_rules", _("Automation rules")),
)

# On the inbox, for those who may change rules: a service's managers, and admins.
INBOX_TOOLS = (Link("admin_rules", _("Automation rules")),)


def _page_routes(app: Any) -> dict[str, Route]:
    found = getattr(app.state, "page_routes", None)
    if found is None:
        found = {r.name: r for r in app.routes
                 if isinstance(r, Route) and "GET" in (r.methods or ()) and "{" not in r.path}
        app.state.page_routes = found
    return found  # type: ignore[no-any-return]


def allows(route: Route, role: str | None) -> bool:
    allowed = getattr(route.endpoint, "allowed_roles", None)
    return allowed is None or (role is not None and role in allowed)


def visible(request: Request, links: tuple[Link, ...]) -> list[Shown]:
    person = current_person(request)
    role = person.role if person is not None else None
    routes = _page_routes(request.app)
    return [Shown(routes[link.route].path, link.label) for link in links
            if link.route in routes and allows(routes[link.route], role)
            and not (link.signed_out_only and person is not None)
            and (link.only_for is None or role in link.only_for)]
