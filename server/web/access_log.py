"""Structured access log: one JSON line per request.

A path can be a secret: sign-in links, staff enrolment links, tracking links, phone
links, continue-later links, stop-updates links and survey links all carry their token
as a path segment. So the log names the route's template (`/sign-in/link/{token}`),
never the path as asked for, and never the query string (issue 10)."""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("tolbooth.access")

# In a path no route knows, any long segment could be a token (a link cut short, or one
# with something added): kept out too.
_LONG_SEGMENT = re.compile(r"[^/]{16,}")


# Path parameters that are secrets: signed links and their short codes.
SECRET_PARAMS = frozenset({"token", "code"})


class _Named(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return f"{{{key}}}"


def route_template(routes: Iterable[BaseRoute], path: str, method: str = "GET",
                   only_secrets: bool = False) -> str:
    """The template of the route that answers `path` (`/track/{token}`), or with
    `only_secrets`, the path with only its secret parameters as their names
    (`/services/noise-complaint`, `/track/{token}/files/3`). A path no route answers
    comes back with every long segment blanked out."""
    scope = {"type": "http", "path": path, "method": method, "root_path": ""}
    for route in routes:
        match, child = route.matches(scope)
        if match != Match.NONE:
            template = str(getattr(route, "path_format", path))
            if not only_secrets:
                return template
            params = {k: v for k, v in child.get("path_params", {}).items()
                      if k not in SECRET_PARAMS}
            return template.format_map(_Named(params))
    return _LONG_SEGMENT.sub("{...}", path)


def scope_route(scope: Scope) -> str:
    """What to write in a log for this request's path."""
    app = scope.get("app")
    return route_template(getattr(app, "routes", ()), scope.get("path", ""),
                          scope.get("method", "GET"))


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
            client = scope.get("client")
            log.info(json.dumps({
                "request_id": request_id,
                "method": scope["method"],
                "path": scope_route(scope),
                "client": client[0] if client else None,
                "status": status,
                "bytes": size,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }))
