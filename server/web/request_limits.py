"""Requests refused before anything reads them: headers too large to be honest.

The HTTP server drops a connection whose headers pass its own buffer (about 100 KB)
without a page; below that, anything over HEADER_BYTES gets a clear 431 page."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from server.errors import HeadersTooLarge

HEADER_BYTES = 32 * 1024


class HeaderLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: int = HEADER_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = len(scope.get("raw_path") or scope["path"]) + len(scope["query_string"]) \
                + sum(len(k) + len(v) + 4 for k, v in scope["headers"])
            if size > self.limit:
                raise HeadersTooLarge()  # ErrorPagesMiddleware, outside, renders it
        await self.app(scope, receive, send)
