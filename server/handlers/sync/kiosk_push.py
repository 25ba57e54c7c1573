"""A kiosk's push: sealed submissions opened, then applied as v1 request creates
(sync/sealed.py; PROTOCOL.md, "Sealed kiosk submissions")."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from server.auth.sync_clients import limit_creates
from server.db import kiosk_sealed
from server.db.requests import NewRequest
from server.db.sync_clients import SyncClient
from server.errors import SyncRefused
from server.forms.references import reference_maker
from server.journeys.sync_check import check_submission
from server.kiosk.sealing import UNREADABLE, Unopenable, open_sealed
from server.web.sync_io import json_response, read_message
from sync.apply import Rejection
from sync.messages import Mutation, ProtocolError
from sync.sealed import SealedMutation, Unopened, inner_mutation, parse_kiosk_push


def open_mutation(request: Request, client_id: str, sealed: SealedMutation
                  ) -> Mutation | Unopened:
    ring = request.app.state.kiosk_keys.ring()
    try:
        inner = open_sealed(ring, sealed.sealed, client_id, sealed.id, datetime.now(UTC))
        return inner_mutation(sealed, inner)
    except Unopenable as refused:
        return Unopened(refused.reason)
    except ProtocolError:  # it opened, but what was sealed is not a v1 payload
        return Unopened(UNREADABLE)


async def kiosk_push(request: Request, client: SyncClient, body: bytes) -> Response:
    pushed = read_message(parse_kiosk_push, body)
    if pushed.client_id != client.id:
        raise SyncRefused(code="client_mismatch")
    limit_creates(request, client.id, client.last_mutation_id, pushed)
    state = request.app.state
    # Opened and checked before the write transaction, so the single writer only writes.
    # Replays are opened too (cheap), and their stored results answer.
    opened: dict[int, Mutation | Unopened] = {}
    checks: dict[int, NewRequest | Rejection] = {}
    for m in pushed.mutations:
        plain = open_mutation(request, client.id, m) if isinstance(m, SealedMutation) else m
        opened[m.mutation_id] = plain
        if isinstance(plain, Mutation):
            checks[m.mutation_id] = check_submission(
                state.forms, plain, state.settings.sync_max_upload_bytes, channel="kiosk")
    make_reference = reference_maker(state.settings.council_prefix, len(pushed.mutations))
    response = await state.store.write(kiosk_sealed.apply_kiosk_push_in, pushed, opened,
                                       checks, make_reference, state.arrivals.requests_created)
    return json_response(response)
