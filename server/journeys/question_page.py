"""A question page as a person sees it: the page's questions laid out (reveals under their
options), their answers or what they typed, errors, files and the Back link. Used by
the journey's own handlers and by the offline copies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.casework.status import quick_exit
from server.councils import FIND_YOUR_COUNCIL
from server.db import attachments
from server.forms.definition import Journey, Page
from server.forms.normalise import council_today
from server.forms.one_page import OnePageForm
from server.forms.questions import Question
from server.i18n import Gettext
from server.journeys import answers_display
from server.journeys.contact import PAGE_ID as CONTACT_PAGE
from server.journeys.drafts import Draft
from server.journeys.steps import previous_step, step_url
from server.rendering import locale_of, renderer


async def render_question(request: Request, sid: str, journey: Journey, draft: Draft,
                          form: Journey | OnePageForm, page: Page, fields: dict[str, Any],
                          errors: dict[str, Any],
                          saved_contact: dict[str, Any] | None = None,
                          outside: list[Any] | None = None) -> Response:
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
    translated_errors = {qid: {"field": e.field, "key": e.key, "message": e.text(text.gettext)}
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
        "date_examples": date_examples(page.questions, council_today()),
        "can_save": bool(draft.answers) and sid != "",
        "mirror": offline_mirror(journey, draft) if sid else None,
        "outside": outside or [], "find_your_council": FIND_YOUR_COUNCIL,
        "quick_exit": quick_exit(journey.service),
    }, block="main")


# A date written the way the date inputs take it: "27 3 2026".
DATE_IN_TEXT = re.compile(r"(?<!\d)\d{1,2} \d{1,2} \d{4}(?!\d)")


def date_example(question: Question, today: date) -> str | None:
    """The one example a date question shows, or None when its hint gives one of its own
    (a date of birth's "27 3 1950"): two examples contradicted each other (issue 15). The
    generic one is on the right side of today for the question's rule."""
    if question.hint and DATE_IN_TEXT.search(question.hint):
        return None
    year = today.year + 1 if question.when == "future" else today.year - 1
    return f"27 3 {year}"


def date_examples(questions: Iterable[Question], today: date) -> dict[str, str | None]:
    return {q.id: date_example(q, today) for q in questions if q.type == "date"}


def offline_mirror(journey: Journey, draft: Draft) -> dict[str, Any]:
    """The draft as the offline journey keeps it (pwa/scripts/outbox/mirror.js), so losing
    signal mid-form carries the answers on. Files stay on the server: their answers are
    left out, and offline the photos are added again."""
    files = {q.id for p in journey.pages for q in p.questions if q.type == "file"}
    return {"journey": draft.journey, "version": draft.version,
            "submission_id": draft.submission_id, "contact": draft.contact,
            "answers": {k: v for k, v in draft.answers.items() if k not in files}}


def counter_messages(text: Gettext) -> dict[str, Any]:
    """The character count's words in the page language, for the design system's script."""
    return {
        "empty": text.gettext("You can enter up to {count} characters"),
        "remaining": {"one": text.gettext("You have {count} character remaining"),
                      "other": text.gettext("You have {count} characters remaining")},
        "over": {"one": text.gettext("You have {count} character too many"),
                 "other": text.gettext("You have {count} characters too many")},
    }
