"""Sync v1: an installed app pushes its queued mutations (sync/PROTOCOL.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.auth.sync_clients import authenticate, limit_creates
from server.db import sync_ledger
from server.errors import SyncRefused
from server.forms.references import reference_maker
from server.handlers.sync.field_push import field_push
from server.handlers.sync.kiosk_push import kiosk_push
from server.journeys.sync_check import check_submission
from server.web.sync_io import json_response, read_body, read_message
from sync.field_messages import FieldPush, read_push
from sync.messages import MAX_PUSH_BYTES


async def push(request: Request) -> Response:
    client = await authenticate(request)
    body = await read_body(request, MAX_PUSH_BYTES)
    # A kiosk pushes sealed requests only (issue 13): opened before anything is read.
    if client.kind == "kiosk":
        return await kiosk_push(request, client, body)
    # Protocol 1 as ever, or 2 (a field device's case work) when the body says so.
    pushed = read_message(read_push, body)
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
