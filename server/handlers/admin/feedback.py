"""What people told us about the service: satisfaction counts and comments."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.db import feedback
from server.handlers.public.feedback import RATING_LABELS
from server.rendering import renderer


async def feedback_results(request: Request) -> Response:
    results = await request.app.state.store.read(feedback.results)
    return renderer(request).render(request, "admin/feedback.html", {
        "results": results, "ratings": RATING_LABELS})
