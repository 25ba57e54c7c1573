"""Admin: the shared devices (kiosks, field devices) that sync, and revoking one: a lost
or stolen device stops being able to send anything (its pushes get 401 revoked_token)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.roles import LABELS
from server.auth.session import current_person
from server.db import sync_clients
from server.errors import NotFound
from server.i18n import lazy as _
from server.rendering import locale_of, renderer

KIND_LABELS = {"kiosk": _("Kiosk"), "field": _("Field device"), "personal": _("Personal")}


async def devices_page(request: Request) -> Response:
    devices = await request.app.state.store.read(sync_clients.staff_bound)
    text = i18n.Gettext(locale_of(request))
    return renderer(request).render(request, "admin/devices.html", {
        "devices": devices, "revoked": request.query_params.get("revoked") == "1",
        "kind_label": lambda kind: text.gettext(KIND_LABELS.get(kind, kind)),
        "role_label": lambda role: text.gettext(LABELS.get(role, role)) if role else ""})


async def revoke_device(request: Request) -> Response:
    person = current_person(request)
    assert person is not None  # routes.py lets only admins in
    done = await request.app.state.store.write(
        sync_clients.revoke_device, request.path_params["client_id"], person.actor)
    if done is None:
        raise NotFound()
    return RedirectResponse("/admin/devices?revoked=1", status_code=303)
