"""Check your answers, send, and the confirmation page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.auth.session import current_person
from server.auth.signed_links import tracking_url
from server.casework.status import quick_exit
from server.db import attachments, tracking_links
from server.db import requests as requests_db
from server.errors import NotFound
from server.forms.conditions import visible_pages
from server.forms.definition import Journey
from server.forms.references import new_reference
from server.forms.validate import clean_answers
from server.handlers.public.services import already_sent, journey_or_404
from server.journeys import answers_display
from server.journeys.contact import PAGE_ID as CONTACT_PAGE
from server.journeys.drafts import Draft, journey_for_draft, load_draft
from server.journeys.steps import flow
from server.journeys.submission import (
    sent_and_no_new_draft,
    submit,
    take_confirmation,
    was_sent,
)
from server.kiosk.device import kiosk_of
from server.rendering import locale_of, renderer
from server.web.visitor_session import session_id


async def _draft(request: Request) -> tuple[str, Journey, Draft]:
    latest = journey_or_404(request)
    sid = session_id(request)
    draft = await request.app.state.store.read(load_draft, sid, latest)
    return sid, journey_for_draft(request.app.state.forms, latest.journey, draft), draft


def _first_gap(journey: Journey, draft: Draft, errors: dict[str, Any]) -> str | None:
    """The first page still needing an answer, or None when all is ready to send."""
    for page in visible_pages(journey, draft.answers):
        if any(q.id in errors for q in page.questions):
            return page.id
    if draft.contact is None:
        return CONTACT_PAGE
    return None


async def check_page(request: Request) -> Response:
    sid, journey, draft = await _draft(request)
    sent = await request.app.state.store.read(sent_and_no_new_draft, sid, journey.journey)
    if sent is not None:
        return already_sent(request, journey, sent)
    cleaned, errors = clean_answers(journey, draft.answers)
    gap = _first_gap(journey, draft, errors)
    if gap is not None:
        return RedirectResponse(f"/services/{journey.journey}/{gap}", 303)
    files = await request.app.state.store.read(attachments.draft_files, sid, journey.journey)
    return renderer(request).render(request, "journeys/check.html", {
        "journey": journey,
        "sections": answers_display.summary_sections(
            journey, cleaned, draft.contact or {}, locale_of(request),
            {f.id: f for f in files}),
        "submission_id": draft.submission_id,
        "action_url": f"/services/{journey.journey}/check",
        "back_url": f"/services/{journey.journey}/{flow(journey, draft.answers)[-2]}",
        "quick_exit": quick_exit(journey.service),
    }, block="main")


async def check_submit(request: Request) -> Response:
    sid, journey, draft = await _draft(request)
    store = request.app.state.store
    form = await request.form()
    submission_id = form.get("submission_id")
    if isinstance(submission_id, str) and submission_id != draft.submission_id:
        # Sent already (a double click, or a retry after the answer was lost): show it.
        if await store.write(was_sent, sid, submission_id):
            return RedirectResponse(f"/services/{journey.journey}/done", 303)
    cleaned, errors = clean_answers(journey, draft.answers)
    gap = _first_gap(journey, draft, errors)
    if gap is not None:
        return RedirectResponse(f"/services/{journey.journey}/{gap}", 303)
    prefix = request.app.state.settings.council_prefix
    channel = "kiosk" if await kiosk_of(request) is not None else "web"
    await store.write(submit, sid, journey, draft, cleaned, locale_of(request),
                      lambda: new_reference(prefix), request.app.state.arrivals,
                      current_person(request) is not None, channel)
    return RedirectResponse(f"/services/{journey.journey}/done", 303)


async def confirmation(request: Request) -> Response:
    journey = journey_or_404(request)
    store = request.app.state.store
    sid = session_id(request)
    request_id = await store.write(take_confirmation, sid, journey.journey)
    if request_id is None:
        sent = await store.read(sent_and_no_new_draft, sid, journey.journey)
        if sent is not None:  # shown once already: say it was sent, and nothing more
            return already_sent(request, journey, sent)
        raise NotFound()
    stored = await store.read(requests_db.by_id, request_id)
    if stored is None:
        raise NotFound()
    sent_journey = request.app.state.forms.get(stored.journey, stored.form_version)
    return renderer(request).render(request, "journeys/confirmation.html", {
        "journey": sent_journey, "request": stored,
        "tracking_url": tracking_url(request.app.state.settings,
                                     await store.read(tracking_links.for_request, stored.id)),
        "quick_exit": quick_exit(journey.service),
    }, block="main")
