"""A question page as a person sees it: the page's questions laid out (reveals under their
options), their answers or what they typed, errors, files and the Back link. Used by
the journey's own handlers and by the offline copies."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.casework.status import quick_exit
from server.db import attachments
from server.forms.definition import Journey, Page
from server.i18n import Gettext
from server.journeys import answers_display
from server.journeys.contact import PAGE_ID as CONTACT_PAGE
from server.journeys.drafts import Draft
from server.journeys.steps import previous_step, step_url
from server.rendering import locale_of, renderer


async def render_question(request: Request, sid: str, journey: Journey, draft: Draft,
                          form: Journey, page: Page, fields: dict[str, Any],
                          errors: dict[str, Any],
                          saved_contact: dict[str, Any] | None = None) -> Response:
    text = Gettext(locale_of(request))
    layout = answers_display.page_layout(page.questions,
                                         draft.answers if form is journey else {})
    questions = layout.top
    files = {}
    if any(q.type == "file" for q in page.questions):
        stored = await request.app.state.store.read(attachments.draft_files, sid,
                                                    journey.journey)
        files = {q.id: [f for f in stored if f.question_id == q.id] for q in page.questions}
    single = len(questions) == 1 and not page.title and not layout.reveals
    title = text.gettext(page.title) if page.title else text.gettext(questions[0].label)
    returning = request.query_params.get("change") == "1"
    back = previous_step(journey, page.id, draft.answers)
    if saved_contact:
        saved_contact = {**saved_contact, "phone_display": answers_display.phone_display(
            saved_contact["phone"]) if saved_contact.get("phone") else ""}
    translated_errors = {qid: {"field": e.field, "message": e.text(text.gettext)}
                         for qid, e in errors.items()}
    template = "journeys/contact.html" if page.id == CONTACT_PAGE else "journeys/question.html"
    return renderer(request).render(request, template, {
        "journey": journey, "page": page, "page_questions": questions, "single": single,
        "reveals": layout.reveals, "shared": layout.shared,
        "revealed_by": layout.revealed_by(),
        "page_title": title, "intro": text.gettext(page.intro) if page.intro else "",
        "fields": fields, "errors": translated_errors, "has_errors": bool(errors),
        "files": files, "multipart": bool(files) or any(q.type == "file"
                                                       for q in page.questions),
        "action_url": step_url(journey, page.id, returning),
        "back_url": step_url(journey, "check") if returning else step_url(journey, back),
        "change": returning, "saved_contact": saved_contact,
        "yes_no": answers_display.YES_NO, "counter_messages": counter_messages(text),
        "quick_exit": quick_exit(journey.service),
    }, block="main")


def counter_messages(text: Gettext) -> dict[str, Any]:
    """The character count's words in the page language, for the design system's script."""
    return {
        "empty": text.gettext("You can enter up to {count} characters"),
        "remaining": {"one": text.gettext("You have {count} character remaining"),
                      "other": text.gettext("You have {count} characters remaining")},
        "over": {"one": text.gettext("You have {count} character too many"),
                 "other": text.gettext("You have {count} characters too many")},
    }
