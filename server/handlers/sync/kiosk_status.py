"""A kiosk reports what it has waiting to send (sync/PROTOCOL.md, "Kiosks")."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.auth.sync_clients import authenticate
from server.db import kiosks
from server.errors import KindNotAllowed
from server.web.sync_io import json_response, read_body, read_message
from sync.kiosk_messages import MAX_STATUS_BYTES, parse_kiosk_status
from sync.messages import PROTOCOL


async def report_status(request: Request) -> Response:
    client = await authenticate(request)
    if client.kind != "kiosk":
        raise KindNotAllowed(code="not_a_kiosk")
    status = read_message(parse_kiosk_status, await read_body(request, MAX_STATUS_BYTES))
    store = request.app.state.store
    await store.write(kiosks.report_status, client.id, status.waiting, status.oldest_at)
    kiosk = await store.read(kiosks.kiosk, client.id)
    return json_response({"protocol": PROTOCOL, "revoked": bool(kiosk and kiosk.revoked)})
