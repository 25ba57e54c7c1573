"""The only module that reads or writes htmx's HX-* headers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response


def is_htmx(request: Request) -> bool:
    # History restores ask for the full page even though they come from htmx.
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def vary(response: Response) -> Response:
    """Pages htmx may fetch as fragments must not share a cache entry with full pages."""
    existing = response.headers.get("Vary")
    values = [v.strip() for v in existing.split(",")] if existing else []
    if "HX-Request" not in values:
        values.append("HX-Request")
    response.headers["Vary"] = ", ".join(values)
    return response
