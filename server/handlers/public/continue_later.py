"""Save and come back later: send a link to a half-finished request; open it anywhere."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.errors import LinkExpired
from server.forms.validate import FieldError, validate_page
from server.handlers.public.services import journey_or_404
from server.journeys import answers_display
from server.journeys.continue_later import (
    NOT_A_MOBILE,
    SAVE_FORM,
    is_mobile,
    link_id,
    restore,
    send_continue_link,
    usable,
)
from server.journeys.drafts import Draft, load_draft
from server.rendering import locale_of, renderer
from server.web import ratelimit
from server.web.visitor_session import session_id

PAGE = SAVE_FORM.pages[0]


def _page(request: Request, journey_slug: str, fields: dict, errors: dict) -> Response:
    text = i18n.Gettext(locale_of(request))
    return renderer(request).render(request, "journeys/save.html", {
        "journey": request.app.state.forms.latest(journey_slug), "page": PAGE,
        "fields": fields, "has_errors": bool(errors),
        "errors": {q: {"field": e.field, "key": e.key, "message": e.text(text.gettext)}
                   for q, e in errors.items()},
        "yes_no": answers_display.YES_NO, "date_examples": {}, "counter_messages": {}},
        status_code=400 if errors else 200)


async def _draft(request: Request) -> tuple[str, Draft]:
    journey = journey_or_404(request)
    sid = session_id(request)
    return sid, await request.app.state.store.read(load_draft, sid, journey)


async def save_page(request: Request) -> Response:
    _, draft = await _draft(request)
    if not draft.answers:
        return RedirectResponse(f"/services/{draft.journey}", 303)
    return _page(request, draft.journey, {}, {})


async def save_send(request: Request) -> Response:
    sid, draft = await _draft(request)
    if not draft.answers:
        return RedirectResponse(f"/services/{draft.journey}", 303)
    posted = {k: [v for v in (await request.form()).getlist(k) if isinstance(v, str)]
              for k in ("how", "email", "mobile")}
    result = validate_page(SAVE_FORM, PAGE, posted, {})
    errors = dict(result.errors)
    mobile = result.values.get("mobile")
    if mobile and not is_mobile(mobile):
        errors["mobile"] = FieldError("mobile", "format", NOT_A_MOBILE)
    if errors:
        return _page(request, draft.journey, answers_display.fields_from_post(
            posted, PAGE.questions), errors)
    channel = "text" if result.values["how"] == "text" else "email"
    to = str(mobile or result.values["email"])
    ratelimit.check(request, "continue_link_address", ratelimit.client_address(request))
    ratelimit.check(request, "continue_link_destination", ratelimit.recipient_key(request, to))
    journey = request.app.state.forms.get(draft.journey, draft.version)
    await send_continue_link(request.app.state, sid, draft.to_json(), draft.journey,
                             journey.title, channel, to, locale_of(request))
    shown = answers_display.phone_display(to) if channel == "text" else to
    return renderer(request).render(request, "journeys/saved.html", {
        "journey": journey, "to": shown, "channel": channel})


async def continue_page(request: Request) -> Response:
    """Opening the link does not use it (mail scanners open links); the button does."""
    found = link_id(request.app.state.settings, request.path_params["token"])
    saved = await request.app.state.store.read(usable, found)
    if saved is None:
        raise LinkExpired()
    response = renderer(request).render(request, "journeys/continue.html", {
        "journey": request.app.state.forms.latest(saved.journey),
        "token": request.path_params["token"]})
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def continue_use(request: Request) -> Response:
    found = link_id(request.app.state.settings, request.path_params["token"])
    journey = await request.app.state.store.write(restore, found, session_id(request))
    if journey is None:
        raise LinkExpired()
    return RedirectResponse(f"/services/{journey}/check", 303)
