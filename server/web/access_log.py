"""Structured access log: one JSON line per request. Paths only, never query strings,
which may carry tokens (sign-in links, tracking links)."""

from __future__ import annotations

import json
import logging
import secrets
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("tolbooth.access")


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        size = 0

        async def send_logged(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-Id", request_id)
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            log.info(json.dumps({
                "request_id": request_id,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "bytes": size,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }))
