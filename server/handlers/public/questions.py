"""Question pages: show one page of a journey, check what was sent, move on."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.auth.session import current_person
from server.db import attachments, update_choices
from server.db import session_data as session_db
from server.errors import NotFound
from server.forms.definition import Journey, Page
from server.forms.one_page import OnePageForm
from server.forms.questions import Question
from server.forms.validate import FieldError, upload_error, validate_page
from server.handlers.public.services import already_sent, journey_or_404
from server.journeys import answers_display
from server.journeys.contact import PAGE_ID as CONTACT_PAGE
from server.journeys.contact import contact_form
from server.journeys.council_area import outside_area
from server.journeys.drafts import CONTACT_KEY, Draft, journey_for_draft, load_draft, save_draft
from server.journeys.files import UploadRejected, clean_upload_off_loop
from server.journeys.question_page import render_question
from server.journeys.steps import next_step, page_by_id, step_url
from server.journeys.submission import sent_and_no_new_draft
from server.web.visitor_session import session_id


async def _context(request: Request
                   ) -> tuple[str, Journey, Draft, Journey | OnePageForm, Page]:
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
    if request.query_params.get("new") != "1":
        sent = await request.app.state.store.read(sent_and_no_new_draft, sid, journey.journey)
        if sent is not None:
            return already_sent(request, journey, sent)
    answers = draft.answers if form is journey else (draft.contact or {})
    fields: dict[str, Any] = {}
    for question in page.questions:
        fields.update(answers_display.fields_from_answer(question, answers.get(question.id)))
    saved_contact = None
    if form is not journey and draft.contact is None:
        saved_contact = await request.app.state.store.read(session_db.get, sid, CONTACT_KEY)
    person = current_person(request)
    if form is not journey and "updates" not in answers and person and person.kind == "resident":
        # The account's default answer to "How would you like to get updates?".
        default = await request.app.state.store.read(update_choices.resident_default, person.id)
        if default:
            fields["updates"] = [default]
    return await render_question(request, sid, journey, draft, form, page, fields, {},
                                 saved_contact)


async def question_submit(request: Request) -> Response:
    sid, journey, draft, form, page = await _context(request)
    store = request.app.state.store
    returning = request.query_params.get("change") == "1"
    posted_form = await request.form(max_files=20, max_fields=200)
    try:
        if isinstance(form, OnePageForm):
            return await _submit_contact(request, sid, journey, draft, form, page,
                                         posted_form, returning)
        remove = posted_form.get("remove_file")
        if isinstance(remove, str):
            await store.write(attachments.remove_draft_file, sid, journey.journey, remove)
            return RedirectResponse(step_url(journey, page.id, returning), 303)
        upload_errors = await _store_uploads(request, sid, journey, page, posted_form)
        posted = await _posted(store, sid, journey, page, posted_form)
        result = validate_page(journey, page, posted, draft.answers)
        errors = {**result.errors, **upload_errors}
        if errors:
            fields = answers_display.fields_from_post(posted, page.questions)
            return await render_question(request, sid, journey, draft, form, page, fields, errors)
        outside = outside_area(request.app.state.council, page, result.values, posted)
        if outside:
            fields = answers_display.fields_from_post(posted, page.questions)
            return await render_question(request, sid, journey, draft, form, page, fields, {},
                                         outside=outside)
        draft.answers.update(result.values)
        await store.write(save_draft, sid, draft)
        step = next_step(journey, page.id, draft, returning)
        # A change that opens a page not answered yet stays in change mode, so the
        # person comes back to check-your-answers, not through every later page.
        return RedirectResponse(step_url(journey, step, change=returning and step != "check"), 303)
    finally:
        await posted_form.close()


async def _submit_contact(request: Request, sid: str, journey: Journey, draft: Draft,
                          form: OnePageForm, page: Page, posted_form: FormData,
                          returning: bool) -> Response:
    store = request.app.state.store
    if posted_form.get("use_saved_contact") == "yes":
        saved = await store.read(session_db.get, sid, CONTACT_KEY)
        if saved:
            draft.contact = saved
            await store.write(save_draft, sid, draft)
            return RedirectResponse(step_url(journey, "check"), 303)
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
    return RedirectResponse(step_url(journey, "check"), 303)


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
                clean = await clean_upload_off_loop(upload.filename, data, question.max_bytes)
            except UploadRejected as rejected:
                errors[question.id] = _upload_error(question, rejected)
                continue
            await request.app.state.store.write(
                attachments.add_draft_file, sid, journey.journey, question.id,
                clean.filename, clean.media_type, clean.data)
            count += 1
    return errors


def _upload_error(question: Question, rejected: UploadRejected) -> FieldError:
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
