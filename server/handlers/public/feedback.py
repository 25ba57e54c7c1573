"""Tell us what you think: the GOV.UK satisfaction question and a comment, no sign-in and
no personal data (admins see the results: handlers/admin/feedback.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.db import feedback
from server.forms.normalise import clean_text
from server.i18n import lazy as _
from server.rendering import locale_of, renderer
from server.web import ratelimit
from server.web.access_log import route_template

MAX_COMMENT = 1200
RATING_LABELS = {
    "very-satisfied": _("Very satisfied"), "satisfied": _("Satisfied"),
    "neutral": _("Neither satisfied nor dissatisfied"), "dissatisfied": _("Dissatisfied"),
    "very-dissatisfied": _("Very dissatisfied"),
}


def _from_page(request: Request, value: str) -> str | None:
    """The page the person came from: a path on this site only, never a query, and as its
    secret parameters blanked (`/track/{token}`): the path itself can be a secret link,
    and admins read these (issue 10)."""
    path = urlsplit(value).path if value.startswith("/") and not value.startswith("//") else ""
    return route_template(request.app.routes, path, only_secrets=True)[:200] if path else None


def _form(request: Request, fields: dict, errors: dict, status_code: int = 200) -> Response:
    return renderer(request).render(request, "pages/feedback.html", {
        "ratings": RATING_LABELS, "fields": fields, "errors": errors,
        "has_errors": bool(errors), "max_comment": MAX_COMMENT}, status_code=status_code)


async def feedback_form(request: Request) -> Response:
    came_from = _from_page(request, request.query_params.get("from", ""))
    return _form(request, {"from": came_from or ""}, {})


async def feedback_send(request: Request) -> Response:
    form = await request.form()
    rating = str(form.get("satisfaction", ""))
    # One paragraph, tidy spaces, nothing unseen: admins read it.
    comment = " ".join(clean_text(str(form.get("comment", ""))).split())
    fields = {"satisfaction": rating, "comment": comment, "from": str(form.get("from", ""))}
    text = i18n.Gettext(locale_of(request))
    errors = {}
    if rating not in RATING_LABELS:
        errors["satisfaction"] = {"field": "satisfaction-very-satisfied", "message": text.gettext(
            "Select how you feel about this service")}
    if len(comment) > MAX_COMMENT:
        errors["comment"] = {"field": "comment", "message": text.gettext(
            "Tell us in %(max)s characters or fewer", max=MAX_COMMENT)}
    if errors:
        return _form(request, fields, errors, 400)
    ratelimit.check(request, "feedback_address", ratelimit.client_address(request))
    await request.app.state.store.write(feedback.add, rating, comment or None,
                                        _from_page(request, fields["from"]), locale_of(request))
    return renderer(request).render(request, "pages/feedback_sent.html", {})
