"""GOV.UK Notify's callbacks: delivery receipts, and texts residents send back. Notify,
not a person, calls these: a bearer token instead of a session, JSON in and out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.errors import BadRequest, CallbackUnauthorized, NotFound
from server.notify import callbacks
from server.web.sync_io import read_capped


async def _body(request: Request) -> bytes:
    if not callbacks.token_ok(request.app.state.settings.notify_callback_token,
                              request.headers.get("authorization")):
        raise CallbackUnauthorized()
    body, dropped = await read_capped(request, callbacks.MAX_BODY, "callback_too_large")
    if dropped:
        raise BadRequest(code="client_disconnected")
    return body


async def delivery(request: Request) -> Response:
    try:
        receipt = callbacks.parse_delivery(await _body(request))
    except callbacks.BadCallback as problem:
        raise BadRequest(str(problem), code="malformed_callback") from None
    if not await request.app.state.store.write(callbacks.apply_delivery, receipt):
        raise NotFound(code="unknown_notification")
    return JSONResponse({"status": "recorded"})


async def received_text(request: Request) -> Response:
    try:
        text = callbacks.parse_received_text(await _body(request))
    except callbacks.BadCallback as problem:
        raise BadRequest(str(problem), code="malformed_callback") from None
    outcome = await request.app.state.store.write(callbacks.apply_received_text, text)
    return JSONResponse({"status": outcome})
