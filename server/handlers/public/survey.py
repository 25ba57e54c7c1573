"""The satisfaction survey a closure message links to: one question and a comment, no
sign-in (the signed short link is the key)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.db import requests as requests_db
from server.db import satisfaction
from server.errors import NotFound
from server.forms.validate import validate_page
from server.journeys.answers_display import fields_from_post
from server.journeys.question_page import counter_messages
from server.notify import links
from server.notify.survey import SURVEY_FORM, SURVEY_PAGE
from server.rendering import locale_of, renderer


async def _surveyed(request: Request) -> requests_db.StoredRequest:
    settings = request.app.state.settings
    code = links.read_code(request.path_params["code"])
    found = await request.app.state.store.read(requests_db.by_reference, code.reference) \
        if code else None
    if found is None or code is None or not code.matches(settings, links.SURVEY, found.id):
        raise NotFound()
    return found


def _page(request: Request, found: requests_db.StoredRequest, fields: dict[str, Any],
          errors: dict[str, Any], done: bool = False) -> Response:
    response = renderer(request).render(request, "updates/survey.html", {
        "found": found, "survey_questions": SURVEY_PAGE.questions, "fields": fields,
        "errors": errors, "has_errors": bool(errors), "done": done,
        "action": f"/survey/{request.path_params['code']}",
        # Not the tracking link itself: that may have been stopped since the survey went.
        "request_link": "/track",
        "counter_messages": counter_messages(i18n.Gettext(locale_of(request)))},
        status_code=400 if errors else 200)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


async def survey_page(request: Request) -> Response:
    found = await _surveyed(request)
    answer = await request.app.state.store.read(satisfaction.answer_for, found.id)
    fields = {"score": [str(answer.score)], "comment": answer.comment or ""} if answer else {}
    return _page(request, found, fields, {})


async def survey_answer(request: Request) -> Response:
    found = await _surveyed(request)
    form = await request.form()
    posted = {k: [str(v)[:2000] for v in form.getlist(k) if isinstance(v, str)]
              for k in ("score", "comment")}
    result = validate_page(SURVEY_FORM, SURVEY_PAGE, posted, {})
    if result.errors:
        text = i18n.Gettext(locale_of(request))
        errors = {qid: {"field": e.field, "message": e.text(text.gettext)}
                  for qid, e in result.errors.items()}
        return _page(request, found, fields_from_post(posted, SURVEY_PAGE.questions), errors)
    await request.app.state.store.write(satisfaction.record_answer, found.id, found.service,
                                        int(result.values["score"]), result.values["comment"])
    return _page(request, found, {}, {}, done=True)
