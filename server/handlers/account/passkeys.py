"""Passkeys: staff enrolment from an invite, adding and removing your own, and signing in
with a discoverable credential. The ceremony endpoints speak JSON to passkeys.js."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from server import i18n
from server.auth import passkeys as ceremony
from server.auth import roles
from server.auth.access import OFFICERS
from server.auth.session import current_person, sign_in
from server.db import audit, people, session_data, staff
from server.db import passkeys as passkeys_db
from server.db.people import Person
from server.errors import BadRequest, Forbidden, LastPasskey, LinkExpired, NotFound, PasskeyRefused
from server.handlers.public.language import remember_language
from server.i18n import lazy as _
from server.rendering import locale_of, renderer
from server.web.visitor_session import session_id

ENROL_KEY = "enrol"
DEFAULT_NAME = _("My passkey")


def landing(person_kind: str, role: str) -> str:
    if person_kind == "resident":
        return "/account/requests"
    if role == roles.FIELD_WORKER:
        return "/field"
    return "/staff/inbox" if role in OFFICERS else "/account"


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest(code="bad_json") from None
    if not isinstance(body, dict):
        raise BadRequest(code="bad_json")
    return body


async def enrol_page(request: Request) -> Response:
    token = request.path_params["token"]
    store = request.app.state.store
    invited = await store.read(staff.invited, token)
    if invited is None:
        raise LinkExpired()
    await store.write(session_data.put, session_id(request), ENROL_KEY,
                      {"staff_id": invited.id, "invite": staff.token_hash(token)})
    response = renderer(request).render(request, "auth/enrol.html", {"invited": invited})
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


async def _registrant(request: Request, purpose: Any) -> tuple[str, str, str, str, dict | None]:
    """(kind, id, user name, display name, pending enrolment) for this ceremony."""
    if purpose == "enrol":
        pending = await request.app.state.store.read(session_data.get, session_id(request),
                                                     ENROL_KEY)
        found = pending and await request.app.state.store.read(staff.by_id,
                                                               pending["staff_id"])
        if not found:
            raise LinkExpired()
        return "staff", found.id, found.email, found.name, pending
    person = current_person(request)
    if purpose != "account" or person is None:
        raise Forbidden()
    return person.kind, person.id, person.email, person.name, None


async def register_options(request: Request) -> Response:
    body = await _body(request)
    kind, owner_id, user_name, display, _pending = await _registrant(request, body.get("purpose"))
    store = request.app.state.store
    existing = [p.id for p in await store.read(passkeys_db.owned_by, kind, owner_id)]
    options, challenge = ceremony.registration_options(request.app.state.settings, owner_id,
                                                       user_name, display, existing)
    await store.write(passkeys_db.save_challenge, challenge, session_id(request), "register",
                      kind, owner_id)
    return Response(options, media_type="application/json")


async def register_verify(request: Request) -> Response:
    body = await _body(request)
    kind, owner_id, _user, _display, pending = await _registrant(request, body.get("purpose"))
    credential_json = json.dumps(body.get("credential"))
    name = (str(body.get("name") or "").strip()[:60]
            or i18n.Gettext(locale_of(request)).gettext(str(DEFAULT_NAME)))
    store = request.app.state.store
    try:
        challenge = ceremony.challenge_of(ceremony.parse(credential_json))
        found = await store.write(passkeys_db.take_challenge, challenge, session_id(request),
                                  "register")
        if found is None or (found.owner_kind, found.owner_id) != (kind, owner_id):
            raise ceremony.CeremonyFailed("unknown, used or expired challenge")
        new = ceremony.verify_registration(request.app.state.settings, credential_json,
                                           challenge)
    except ceremony.CeremonyFailed as exc:
        await store.write(audit.record, f"{kind}:{owner_id}", "passkey_refused",
                          f"{kind}:{owner_id}", {"ceremony": "register", "why": str(exc)})
        raise PasskeyRefused() from None

    def keep(db: Any) -> None:
        if pending is not None and not staff.use_invite(db, pending["invite"], owner_id):
            raise LinkExpired()
        passkeys_db.add(db, new.credential_id, kind, owner_id, name, new.public_key,
                        new.sign_count, new.transports)
        if pending is not None:
            session_data.delete(db, session_id(request), ENROL_KEY)

    await store.write(keep)
    if pending is None:
        return JSONResponse({"redirect": "/account/passkeys"})
    who = await store.read(staff.by_id, owner_id)
    await sign_in(request, "staff", owner_id, "passkey_enrol")
    return JSONResponse({"redirect": landing("staff", who.role if who else "")})


async def authenticate_options(request: Request) -> Response:
    options, challenge = ceremony.authentication_options(request.app.state.settings)
    await request.app.state.store.write(passkeys_db.save_challenge, challenge,
                                        session_id(request), "authenticate")
    return Response(options, media_type="application/json")


async def authenticate_verify(request: Request) -> Response:
    body = await _body(request)
    credential_json = json.dumps(body.get("credential"))
    store, settings = request.app.state.store, request.app.state.settings
    subject = "passkey:unknown"
    try:
        credential = ceremony.parse(credential_json)
        subject = f"passkey:{str(credential['id'])[:200]}"
        challenge = ceremony.challenge_of(credential)
        if await store.write(passkeys_db.take_challenge, challenge, session_id(request),
                             "authenticate") is None:
            raise ceremony.CeremonyFailed("unknown, used or expired challenge")
        key = await store.read(passkeys_db.active, str(credential["id"]))
        if key is None:
            raise ceremony.CeremonyFailed("unknown or revoked passkey")
        handle = ceremony.user_handle_of(credential)
        if handle is not None and handle != key.owner_id:
            raise ceremony.CeremonyFailed("user handle does not match the passkey's owner")
        count = ceremony.verify_authentication(settings, credential_json, challenge,
                                               key.public_key, key.sign_count)
    except ceremony.SignCountWentBack as exc:
        await store.write(audit.record, f"{key.owner_kind}:{key.owner_id}",
                          "passkey_sign_count_regression", subject,
                          {"stored": exc.stored, "received": exc.received})
        raise PasskeyRefused() from None
    except ceremony.CeremonyFailed as exc:
        await store.write(audit.record, "anonymous", "passkey_refused", subject,
                          {"ceremony": "authenticate", "why": str(exc)})
        raise PasskeyRefused() from None
    await store.write(passkeys_db.record_use, key.id, count)
    account_locale = await sign_in(request, key.owner_kind, key.owner_id, "passkey")
    person: Person | None = await store.read(people.session_person,
                                             request.session["auth"])
    response = JSONResponse({"redirect": landing(key.owner_kind, person.role if person else "")})
    remember_language(request, response, account_locale)
    return response


async def account_passkeys(request: Request) -> Response:
    person = current_person(request)
    assert person is not None
    keys = await request.app.state.store.read(passkeys_db.owned_by, person.kind, person.id)
    return renderer(request).render(request, "account/passkeys.html",
                                    {"passkeys": keys, "person": person})


async def remove_passkey(request: Request) -> Response:
    person = current_person(request)
    assert person is not None
    # Staff have no other way in (no email links), so their only passkey stays.
    def remove(db: object) -> str:
        outcome = passkeys_db.remove_own(db, person.kind, person.id,  # type: ignore[arg-type]
                                         request.path_params["credential_id"],
                                         person.kind == "staff")
        if outcome == "removed":  # a browser signed in with it (a lost phone?) is signed out
            people.end_other_sessions(db, person.kind, person.id,  # type: ignore[arg-type]
                                      person.session_id, "passkey_removed")
        return outcome

    outcome = await request.app.state.store.write(remove)
    if outcome == "not_found":
        raise NotFound()
    if outcome == "last":
        raise LastPasskey()
    return RedirectResponse("/account/passkeys", status_code=303)
