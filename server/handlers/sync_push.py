"""Sync v1: an installed app signs up, then pushes its queued mutations (sync/PROTOCOL.md)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from sync.canonical import canonical_json
from sync.messages import (
    MAX_PUSH_BYTES,
    PROTOCOL,
    ProtocolError,
    parse_json,
    parse_push,
    parse_registration,
)

from ..auth import roles
from ..auth.session import AUTH_KEY
from ..db import people, sync_clients, sync_ledger
from ..forms.references import reference_maker
from ..sync_access import authenticate, limit_address, read_body
from ..sync_errors import KindNotAllowed, SyncRefused
from ..sync_payload import check_submission
from ..sync_tokens import make_token

# Who may set up a shared device: kiosks at a hub, field devices for field work.
KIND_ROLES = {"kiosk": (roles.HUB_STAFF, roles.ADMIN),
              "field": (roles.FIELD_WORKER, roles.ADMIN)}
MAX_REGISTRATION_BYTES = 4096


def _json(body: Any, status_code: int = 200) -> Response:
    return Response(canonical_json(body), status_code, media_type="application/json",
                    headers={"Cache-Control": "no-store"})


def _read(parse: Any, body: bytes) -> Any:
    try:
        return parse(parse_json(body))
    except ProtocolError as error:
        raise SyncRefused(code=error.reason) from None


async def _registered_by(request: Request, kind: str) -> str | None:
    if kind not in KIND_ROLES:
        return None
    auth_id = request.session.get(AUTH_KEY)
    person = await request.app.state.store.read(people.session_person, auth_id) \
        if isinstance(auth_id, str) else None
    if person is None or person.role not in KIND_ROLES[kind]:
        raise KindNotAllowed()
    return str(person.actor)


async def register_client(request: Request) -> Response:
    limit_address(request)
    registration = _read(parse_registration,
                         await read_body(request, MAX_REGISTRATION_BYTES))
    registered_by = await _registered_by(request, registration.kind)
    client = await request.app.state.store.write(
        sync_clients.register, registration.kind, registration.app_version, registered_by)
    token = make_token(request.app.state.settings.secret_key, client.id, client.token_version)
    return _json({"protocol": PROTOCOL, "client_id": client.id, "client_token": token,
                  "last_mutation_id": client.last_mutation_id}, 201)


async def push(request: Request) -> Response:
    client = await authenticate(request)
    pushed = _read(parse_push, await read_body(request, MAX_PUSH_BYTES))
    if pushed.client_id != client.id:
        raise SyncRefused(code="client_mismatch")
    state = request.app.state
    # Checked before the write transaction, so the single writer only writes.
    checks = {m.mutation_id: check_submission(state.forms, m,
                                              state.settings.sync_max_upload_bytes)
              for m in pushed.mutations}
    # One draw from the OS for the push's references, not one per request.
    make_reference = reference_maker(state.settings.council_prefix, len(pushed.mutations))
    response = await state.store.write(sync_ledger.apply_push_in, pushed, checks,
                                       make_reference)
    return _json(response)
