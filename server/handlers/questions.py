"""Question pages: show one page of a journey, check what was sent, move on."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .. import answers_display
from ..contact import PAGE_ID as CONTACT_PAGE
from ..contact import contact_form
from ..db import attachments
from ..db import session_data as session_db
from ..errors import NotFound
from ..forms.definition import Journey, Page
from ..forms.definition_parts import Question
from ..forms.validate import FieldError, upload_error, validate_page
from ..i18n import Gettext
from ..journey_flow import (
    CONTACT_KEY,
    Draft,
    journey_for_draft,
    load_draft,
    next_step,
    page_by_id,
    previous_step,
    save_draft,
)
from ..rendering import locale_of, renderer
from ..sessions import session_id
from ..uploads import UploadRejected, clean_upload
from .services import journey_or_404


def _url(journey: Journey, step: str | None, change: bool = False) -> str:
    if step is None:
        return f"/services/{journey.journey}"
    return f"/services/{journey.journey}/{step}" + ("?change=1" if change else "")


async def _context(request: Request) -> tuple[str, Journey, Draft, Journey, Page]:
    """The session, the journey at the draft's version, the draft, and the form and
    page being shown (the contact page is a small form of its own)."""
    latest = journey_or_404(request)
    sid = session_id(request)
    store = request.app.state.store
    draft = await store.read(load_draft, sid, latest)
    journey = journey_for_draft(request.app.state.forms, latest.journey, draft)
    page_id = request.path_params["page"]
    form = contact_form(journey) if page_id == CONTACT_PAGE else journey
    page = page_by_id(form, page_id)
    if page is None:
        raise NotFound()
    return sid, journey, draft, form, page


async def question_page(request: Request) -> Response:
    sid, journey, draft, form, page = await _context(request)
    answers = draft.answers if form is journey else (draft.contact or {})
    fields: dict[str, Any] = {}
    for question in page.questions:
        fields.update(answers_display.fields_from_answer(question, answers.get(question.id)))
    saved_contact = None
    if form is not journey and draft.contact is None:
        saved_contact = await request.app.state.store.read(session_db.get, sid, CONTACT_KEY)
    return await render_question(request, sid, journey, draft, form, page, fields, {},
                                 saved_contact)


async def question_submit(request: Request) -> Response:
    sid, journey, draft, form, page = await _context(request)
    store = request.app.state.store
    returning = request.query_params.get("change") == "1"
    posted_form = await request.form(max_files=20, max_fields=200)
    try:
        if form is not journey:
            return await _submit_contact(request, sid, journey, draft, form, page,
                                         posted_form, returning)
        remove = posted_form.get("remove_file")
        if isinstance(remove, str):
            await store.write(attachments.remove_draft_file, sid, journey.journey, remove)
            return RedirectResponse(_url(journey, page.id, returning), 303)
        upload_errors = await _store_uploads(request, sid, journey, page, posted_form)
        posted = await _posted(store, sid, journey, page, posted_form)
        result = validate_page(journey, page, posted, draft.answers)
        errors = {**result.errors, **upload_errors}
        if errors:
            fields = answers_display.fields_from_post(posted, page.questions)
            return await render_question(request, sid, journey, draft, form, page, fields, errors)
        draft.answers.update(result.values)
        await store.write(save_draft, sid, draft)
        step = next_step(journey, page.id, draft, returning)
        # A change that opens a page not answered yet stays in change mode, so the
        # person comes back to check-your-answers, not through every later page.
        return RedirectResponse(_url(journey, step, change=returning and step != "check"), 303)
    finally:
        await posted_form.close()


async def _submit_contact(request: Request, sid: str, journey: Journey, draft: Draft,
                          form: Journey, page: Page, posted_form: FormData,
                          returning: bool) -> Response:
    store = request.app.state.store
    if posted_form.get("use_saved_contact") == "yes":
        saved = await store.read(session_db.get, sid, CONTACT_KEY)
        if saved:
            draft.contact = saved
            await store.write(save_draft, sid, draft)
            return RedirectResponse(_url(journey, "check"), 303)
    posted = {k: [v for v in posted_form.getlist(k) if isinstance(v, str)]
              for k in posted_form.keys()}
    result = validate_page(form, page, posted, {})
    if result.errors:
        fields = answers_display.fields_from_post(posted, page.questions)
        return await render_question(request, sid, journey, draft, form, page, fields,
                                     result.errors)
    draft.contact = result.values

    def save(db: Any) -> None:
        save_draft(db, sid, draft)
        session_db.put(db, sid, CONTACT_KEY, result.values)  # offered again (WCAG 3.3.7)

    await store.write(save)
    return RedirectResponse(_url(journey, "check"), 303)


async def _store_uploads(request: Request, sid: str, journey: Journey, page: Page,
                         posted_form: FormData) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for question in page.questions:
        if question.type != "file":
            continue
        existing = await request.app.state.store.read(attachments.draft_files, sid,
                                                      journey.journey)
        count = len([f for f in existing if f.question_id == question.id])
        for upload in posted_form.getlist(question.id):
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue
            data = await upload.read(question.max_bytes + 1)
            try:
                if count >= question.max_files:
                    raise UploadRejected("count", "too many")
                clean = clean_upload(upload.filename, data, question.max_bytes)
            except UploadRejected as rejected:
                errors[question.id] = _upload_error(question, rejected)
                continue
            await request.app.state.store.write(
                attachments.add_draft_file, sid, journey.journey, question.id,
                clean.filename, clean.media_type, clean.data)
            count += 1
    return errors


def _upload_error(question: Question, rejected: UploadRejected) -> FieldError:
    if rejected.key == "count":
        return upload_error(question, "count", max=question.max_files)
    if rejected.key == "empty":
        return FieldError(question.first_field, "type", rejected.message, {})
    return upload_error(question, rejected.key)


async def _posted(store: Any, sid: str, journey: Journey, page: Page,
                  posted_form: FormData) -> dict[str, list[str]]:
    posted = {k: [v for v in posted_form.getlist(k) if isinstance(v, str)]
              for k in posted_form.keys()}
    files = await store.read(attachments.draft_files, sid, journey.journey)
    for question in page.questions:
        if question.type == "file":
            posted[question.id] = [f.id for f in files if f.question_id == question.id]
    return posted


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
        "reveals": layout.reveals,
        "page_title": title, "intro": text.gettext(page.intro) if page.intro else "",
        "fields": fields, "errors": translated_errors, "has_errors": bool(errors),
        "files": files, "multipart": bool(files) or any(q.type == "file"
                                                       for q in page.questions),
        "action_url": _url(journey, page.id, returning),
        "back_url": _url(journey, "check") if returning else _url(journey, back),
        "change": returning, "saved_contact": saved_contact,
        "yes_no": answers_display.YES_NO, "counter_messages": counter_messages(text),
        "quick_exit": journey.service == "social-work",
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
