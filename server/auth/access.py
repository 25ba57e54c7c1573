"""Who may use which route. Each route in routes.py names the roles it allows; the
least a role needs, nothing more (the route × role table in tests pins it)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.auth import roles
from server.auth.session import current_person
from server.db import audit
from server.errors import Forbidden

Endpoint = Callable[[Request], Awaitable[Response]]

SIGNED_IN = roles.ROLES
STAFF = roles.STAFF_ROLES
RESIDENTS = (roles.RESIDENT,)
OFFICERS = (roles.PLANNING_OFFICER, roles.ENVIRONMENTAL_HEALTH_OFFICER,
            roles.SOCIAL_WORK_OFFICER, *roles.MANAGERS, roles.ADMIN)
ADMINS = (roles.ADMIN,)
MANAGERS = (*roles.MANAGERS, roles.ADMIN)  # managers of a service, and admins
HUB = (roles.HUB_STAFF, roles.ADMIN)  # kiosks and help at library hubs (issue 13)

# The service each officer role works for; admins see every service (None) except
# the special category records below.
SERVICE_OF_ROLE: dict[str, str | None] = {
    roles.PLANNING_OFFICER: "planning",
    roles.ENVIRONMENTAL_HEALTH_OFFICER: "environmental-health",
    roles.SOCIAL_WORK_OFFICER: "social-work",
    roles.PLANNING_MANAGER: "planning",
    roles.ENVIRONMENTAL_HEALTH_MANAGER: "environmental-health",
    roles.SOCIAL_WORK_MANAGER: "social-work",
    roles.ADMIN: None,
}
# Special category (social work) records: only these roles may read them. Not admins
# (issue 10): running the service is not a reason to read a safeguarding record.
SPECIAL_CATEGORY_READERS = (roles.SOCIAL_WORK_OFFICER, roles.SOCIAL_WORK_MANAGER)
# The services whose requests a field worker may be assigned (issue 14): they visit homes
# and premises. Social work is not one: its records are for social work roles only.
FIELD_SERVICES = ("environmental-health", "planning")
# Who may move a request from one officer to another (anyone may take an unassigned one).
REASSIGNERS = (*roles.MANAGERS, roles.ADMIN)


def require(allowed: tuple[str, ...], endpoint: Endpoint) -> Endpoint:
    """Signed out: a page sends them to sign in, anything else is refused. Signed in
    with a role not allowed: refused, and for staff the attempt is audited."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        person = current_person(request)
        if person is None:
            if request.method == "GET":
                timed_out = request.scope.get("state", {}).get("timed_out")
                return RedirectResponse("/sign-in?done=timed-out" if timed_out else "/sign-in",
                                        status_code=303)
            raise Forbidden()
        if person.role not in allowed:
            if person.kind == "staff":
                await request.app.state.store.write(
                    audit.record, person.actor, "access_refused", request.url.path,
                    {"method": request.method, "role": person.role})
            raise Forbidden()
        return await endpoint(request)

    guarded.allowed_roles = allowed  # type: ignore[attr-defined]
    return guarded


def reads_special_category(role: str) -> bool:
    return role in SPECIAL_CATEGORY_READERS


def may_reassign(role: str) -> bool:
    return role in REASSIGNERS


def may_read(role: str, service: str, special_category: bool) -> bool:
    if special_category and not reads_special_category(role):
        return False
    own = SERVICE_OF_ROLE.get(role, "")
    return own is None or own == service
