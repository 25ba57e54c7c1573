"""Sync v1: an installed app signs up for a client id and token (sync/PROTOCOL.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.auth import roles
from server.auth.session import current_person, load_person
from server.auth.signed_links import make_sync_token, read_sync_token
from server.auth.sync_clients import limit_address
from server.db import staff, sync_clients
from server.db.field_devices import FIELD_ROLES
from server.errors import KindNotAllowed, SyncRateLimited
from server.web import csrf, ratelimit
from server.web.sync_io import json_response, read_body, read_message
from sync.messages import PROTOCOL, parse_registration

# Who may set up a shared device: kiosks at a hub, field devices for field work.
KIND_ROLES = {"kiosk": (roles.HUB_STAFF, roles.ADMIN),
              "field": FIELD_ROLES}
MAX_REGISTRATION_BYTES = 4096


async def _registered_by(request: Request, kind: str) -> str | None:
    """The member of staff setting up a kiosk or field device, from their session
    cookie: so the call must be same-origin with the CSRF token (csrf.check_cookie_call),
    and the staff idle time-out applies as on any page (issue 10: neither did)."""
    if kind not in KIND_ROLES:
        return None
    await load_person(request.scope, request.scope.setdefault("state", {}))
    person = current_person(request)
    if person is None or person.role not in KIND_ROLES[kind]:
        raise KindNotAllowed()
    csrf.check_cookie_call(request, request.app.state.settings.origin)
    return str(person.actor)


async def _hub(request: Request, kind: str, registered_by: str | None) -> str | None:
    """A kiosk belongs to the hub of the member of staff who set it up (as at
    /kiosk/enrol, issue 13); an admin with no hub sets up one bound to none, which is
    not a kiosk of any hub until enrolled there."""
    if kind != "kiosk" or registered_by is None:
        return None
    member = await request.app.state.store.read(staff.by_id,
                                                registered_by.removeprefix("staff:"))
    return member.hub_id if member is not None else None


def replaced(request: Request, token: str | None) -> str | None:
    """The client an app had before, if `token` is one the server signed: stale or
    revoked is fine (that is why it signs up again); forged or garbled is ignored."""
    claim = read_sync_token(request.app.state.settings.secret_key, token) if token else None
    return claim.client_id if claim else None


async def register_client(request: Request) -> Response:
    limit_address(request)
    # A new client is a fresh allowance of pushes: sign-ups are scarce per address.
    ratelimit.check(request, "sync_register_address", ratelimit.client_address(request),
                    error=SyncRateLimited, code="rate_limited_address")
    registration = read_message(parse_registration,
                         await read_body(request, MAX_REGISTRATION_BYTES))
    registered_by = await _registered_by(request, registration.kind)
    client = await request.app.state.store.write(
        sync_clients.register, registration.kind, registration.app_version, registered_by,
        replaced(request, registration.replaces),
        await _hub(request, registration.kind, registered_by))
    token = make_sync_token(request.app.state.settings.secret_key, client.id, client.token_version)
    return json_response({"protocol": PROTOCOL, "client_id": client.id, "client_token": token,
                  "last_mutation_id": client.last_mutation_id}, 201)


