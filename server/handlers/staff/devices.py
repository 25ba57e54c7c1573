"""Managers' field devices (issue 14): the field devices of their service's people, and
revoking a lost one (its next pull or push gets 401 revoked_token and the app wipes its
cases). Admins see every field device here too (and every device at /admin/devices)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.access import SERVICE_OF_ROLE
from server.auth.roles import LABELS
from server.casework.assignment import assignable_roles
from server.db import sync_clients
from server.errors import NotFound
from server.handlers.staff.requests import officer
from server.rendering import locale_of, renderer


def owner_roles(role: str) -> Sequence[str] | None:
    """Whose devices this manager looks after: the people their service's requests can be
    assigned to; None (everyone's) for an admin."""
    service = SERVICE_OF_ROLE.get(role)
    return None if service is None else assignable_roles(service)


async def devices_page(request: Request) -> Response:
    person = officer(request)
    devices = await request.app.state.store.read(sync_clients.field_devices,
                                                 owner_roles(person.role))
    text = i18n.Gettext(locale_of(request))
    return renderer(request).render(request, "staff/devices.html", {
        "devices": devices, "revoked": request.query_params.get("revoked") == "1",
        "role_label": lambda role: text.gettext(LABELS.get(role, role)) if role else ""})


async def revoke_device(request: Request) -> Response:
    person = officer(request)
    client_id = request.path_params["client_id"]
    allowed = owner_roles(person.role)

    def revoke(db: sync_clients.sqlite_utils.Database) -> bool | None:
        role = sync_clients.field_device_owner_role(db, client_id)
        if role is None or (allowed is not None and role not in allowed):
            return None  # not a field device of theirs: as if there were none
        return sync_clients.revoke_device(db, client_id, person.actor)

    if await request.app.state.store.write(revoke) is None:
        raise NotFound()
    return RedirectResponse("/staff/devices?revoked=1", status_code=303)
