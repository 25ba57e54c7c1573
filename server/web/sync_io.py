"""Reading and answering sync messages: bodies no larger than allowed, JSON in and
canonical JSON out, a malformed message refused with its reason."""

from __future__ import annotations

from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from server.errors import SyncRefused, SyncTooLarge
from sync.canonical import canonical_json
from sync.messages import ProtocolError, parse_json


def json_response(body: Any, status_code: int = 200) -> Response:
    return Response(canonical_json(body), status_code, media_type="application/json")


def read_message(parse: Any, body: bytes) -> Any:
    try:
        return parse(parse_json(body))
    except ProtocolError as error:
        raise SyncRefused(code=error.reason) from None


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing it (413) as soon as it is larger than `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise SyncRefused(code="bad_content_length")
        if int(declared) > limit:
            raise SyncTooLarge(code="body_too_large")
    body, dropped = await read_capped(request, limit, "body_too_large")
    if dropped:
        raise SyncRefused(code="client_disconnected")
    return body


async def read_capped(request: Request, limit: int, code: str) -> tuple[bytes, bool]:
    """What arrives, refused with 413 `code` once past `limit`; and whether the
    connection dropped before the end (a push is then refused, a tus PATCH keeps it)."""
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise SyncTooLarge(code=code)
            chunks.append(chunk)
    except ClientDisconnect:
        return b"".join(chunks), True
    return b"".join(chunks), False
