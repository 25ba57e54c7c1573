"""Sync v1: an installed app pushes its queued mutations (sync/PROTOCOL.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.auth.sync_clients import authenticate
from server.db import sync_ledger
from server.errors import SyncRateLimited, SyncRefused
from server.forms.references import reference_maker
from server.journeys.sync_check import check_submission
from server.web import ratelimit
from server.web.sync_io import json_response, read_body, read_message
from sync.messages import (
    MAX_PUSH_BYTES,
    Push,
    parse_push,
)


async def push(request: Request) -> Response:
    client = await authenticate(request)
    pushed = read_message(parse_push, await read_body(request, MAX_PUSH_BYTES))
    if pushed.client_id != client.id:
        raise SyncRefused(code="client_mismatch")
    limit_creates(request, client.id, client.last_mutation_id, pushed)
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


def new_mutations(last: int, pushed: Push) -> int:
    """How many of the push's mutations would be applied now: the run after `last`
    (replays are not new; the batch stops at a gap)."""
    expected = last + 1
    for mutation in pushed.mutations:
        if mutation.mutation_id == expected:
            expected += 1
        elif mutation.mutation_id > expected:
            break
    return expected - last - 1


def limit_creates(request: Request, client_id: str, last: int, pushed: Push) -> None:
    """New requests per client per hour (issue 10: one script pushed 100 in 0.04 s and
    buried the inbox). Counted before the write, all or none, so a push over the cap is
    refused whole (429 rate_limited_creates) and nothing in it is applied."""
    fresh = new_mutations(last, pushed)
    if fresh:
        ratelimit.check(request, "sync_creates", client_id, error=SyncRateLimited,
                        code="rate_limited_creates", cost=fresh)
