"""Turning this browser into a kiosk of a hub (issue 13): hub staff or an admin, signed
in with a passkey within the last few minutes. The member of staff is signed out of this
browser as it becomes a kiosk: a kiosk never keeps a staff session."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.auth.session import sign_out
from server.auth.signed_links import make_sync_token
from server.db import kiosks
from server.handlers.kiosk.scope import hub_scope
from server.kiosk.device import set_kiosk_cookie
from server.kiosk.enrolment import is_fresh, read_enrol_form
from server.rendering import locale_of, renderer

APP_VERSION = "kiosk-enrol"


async def enrol_page(request: Request, errors: dict[str, Any] | None = None,
                     posted: dict[str, str] | None = None, status_code: int = 200) -> Response:
    person, own_hub = await hub_scope(request)
    hubs = await request.app.state.store.read(kiosks.hubs)
    return renderer(request).render(request, "kiosk/enrol.html", {
        "fresh": is_fresh(person), "own_hub": own_hub, "hubs": hubs,
        "own_hub_name": dict(hubs).get(own_hub or "", ""),
        "errors": errors or {}, "has_errors": bool(errors), "posted": posted or {}},
        status_code=status_code)


async def enrol(request: Request) -> Response:
    person, own_hub = await hub_scope(request)
    if not is_fresh(person):
        return await enrol_page(request, status_code=403)
    hubs = await request.app.state.store.read(kiosks.hubs)
    form = read_enrol_form({k: str(v) for k, v in (await request.form()).items()},
                           own_hub, hubs)
    if form.errors:
        text = i18n.Gettext(locale_of(request))
        errors = {f: {"field": f, "message": text.gettext(m)} for f, m in form.errors.items()}
        return await enrol_page(request, errors, {"label": form.label, "hub": form.hub_id}, 400)
    client = await request.app.state.store.write(kiosks.enrol, form.hub_id, form.label,
                                                 APP_VERSION, person.actor)
    settings = request.app.state.settings
    await sign_out(request, "kiosk_enrolled")
    request.scope["state"]["person"] = None  # this page is the kiosk's, not theirs
    response = renderer(request).render(request, "kiosk/enrolled.html", {
        "device": {"client_id": client.id, "hub_id": form.hub_id,
                   "hub_name": dict(hubs)[form.hub_id],
                   "client_token": make_sync_token(settings.secret_key, client.id,
                                                   client.token_version)}})
    set_kiosk_cookie(response, settings, client.id)
    return response
