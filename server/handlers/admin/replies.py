"""Admin: the words of the templated replies officers start from (server/casework/
replies.py), a title and a body in each language. Which status and service each is
for comes from the seed file; every edit is audited."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.session import current_person
from server.casework.replies import unknown_placeholders
from server.casework.status import status_label
from server.db import audit
from server.db import reply_templates as templates_db
from server.errors import NotFound
from server.forms.normalise import clean_text
from server.i18n import lazy as _
from server.rendering import locale_of, renderer

TITLE_MAX, BODY_MAX = 100, 5000
ENTER_ENGLISH = _("Enter the title and the words in English")
ONLY_PLACEHOLDERS = _("Use only the placeholders {reference}, {due_date} and {service}")


async def replies_page(request: Request) -> Response:
    code = locale_of(request)
    found = await request.app.state.store.read(templates_db.everything)
    return renderer(request).render(request, "admin/replies.html", {
        "templates": found, "status_label": lambda s: status_label(s, code, True),
        "done": request.query_params.get("done") == "saved"})


async def _template(request: Request) -> templates_db.ReplyTemplate:
    found = await request.app.state.store.read(templates_db.by_id,
                                               request.path_params["template_id"])
    if found is None:
        raise NotFound()
    return found


async def reply_form(request: Request, errors: dict[str, Any] | None = None,
                     posted: templates_db.ReplyTemplate | None = None,
                     status_code: int = 200) -> Response:
    found = posted or await _template(request)
    code = locale_of(request)
    return renderer(request).render(request, "admin/reply_form.html", {
        "template": found, "languages": i18n.OFFERED,
        "status_label": lambda s: status_label(s, code, True),
        "errors": errors or {}, "has_errors": bool(errors)}, status_code=status_code)


async def save_reply(request: Request) -> Response:
    person = current_person(request)
    assert person is not None
    found = await _template(request)
    form = await request.form()
    titles, bodies = {}, {}
    for language in i18n.OFFERED:
        title = clean_text(str(form.get(f"title-{language.code}", "")))[:TITLE_MAX]
        body = clean_text(str(form.get(f"body-{language.code}", "")),
                          multiline=True)[:BODY_MAX]
        if title:
            titles[language.code] = title
        if body:
            bodies[language.code] = body
    text = i18n.Gettext(locale_of(request))
    errors = {}
    first = i18n.DEFAULT_LOCALE
    if not titles.get(first) or not bodies.get(first):
        field = f"title-{first}" if not titles.get(first) else f"body-{first}"
        errors[field] = {"field": field, "message": text.gettext(ENTER_ENGLISH)}
    for code, body in bodies.items():
        if unknown_placeholders(body):
            errors[f"body-{code}"] = {"field": f"body-{code}",
                                      "message": text.gettext(ONLY_PLACEHOLDERS)}
    edited = templates_db.ReplyTemplate(found.id, found.service, found.status, titles,
                                        bodies)
    if errors:
        return await reply_form(request, errors, edited, 400)

    def save(db: Any) -> None:
        templates_db.save_words(db, found.id, titles, bodies)
        audit.record(db, person.actor, "reply_template_changed", f"reply_template:{found.id}",
                     {"languages": sorted(bodies)})

    await request.app.state.store.write(save)
    return RedirectResponse("/admin/replies?done=saved", status_code=303)
