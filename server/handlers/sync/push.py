"""Sync v1: an installed app pushes its queued mutations (sync/PROTOCOL.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.auth.sync_clients import authenticate
from server.db import sync_ledger
from server.errors import SyncRateLimited, SyncRefused
from server.forms.references import reference_maker
from server.handlers.sync.field_push import field_push
from server.journeys.sync_check import check_submission
from server.web import ratelimit
from server.web.sync_io import json_response, read_body, read_message
from sync.field_messages import CaseMutation, FieldPush, read_push
from sync.messages import (
    MAX_PUSH_BYTES,
    Push,
)


async def push(request: Request) -> Response:
    client = await authenticate(request)
    # Protocol 1 as ever, or 2 (a field device's case work) when the body says so.
    pushed = read_message(read_push, await read_body(request, MAX_PUSH_BYTES))
    if pushed.client_id != client.id:
        raise SyncRefused(code="client_mismatch")
    limit_creates(request, client.id, client.last_mutation_id, pushed)
    if isinstance(pushed, FieldPush):
        return await field_push(request, client.kind, pushed)
    state = request.app.state
    # Checked before the write transaction, so the single writer only writes.
    checks = {m.mutation_id: check_submission(state.forms, m,
                                              state.settings.sync_max_upload_bytes)
              for m in pushed.mutations}
    # One draw from the OS for the push's references, not one per request.
    make_reference = reference_maker(state.settings.council_prefix, len(pushed.mutations))
    response = await state.store.write(sync_ledger.apply_push_in, pushed, checks,
                                       make_reference, state.arrivals.requests_created)
    return json_response(response)


def new_mutations(last: int, pushed: Push | FieldPush) -> int:
    """How many new requests the push would create now: the run after `last` (replays
    are not new; the batch stops at a gap). A field device's case work is not counted."""
    expected, fresh = last + 1, 0
    for mutation in pushed.mutations:
        if mutation.mutation_id == expected:
            expected += 1
            fresh += not isinstance(mutation, CaseMutation)
        elif mutation.mutation_id > expected:
            break
    return fresh


def limit_creates(request: Request, client_id: str, last: int,
                  pushed: Push | FieldPush) -> None:
    """New requests per client per hour (issue 10: one script pushed 100 in 0.04 s and
    buried the inbox). Counted before the write, all or none, so a push over the cap is
    refused whole (429 rate_limited_creates) and nothing in it is applied."""
    fresh = new_mutations(last, pushed)
    if fresh:
        ratelimit.check(request, "sync_creates", client_id, error=SyncRateLimited,
                        code="rate_limited_creates", cost=fresh)
