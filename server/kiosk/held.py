"""Correcting a kiosk submission that needs attention (issue 13): the journey's questions
on one page for hub staff, filled in from what the person sent, checked with the same
form engine as every other way in, and made into the request the person meant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.db.requests import NewRequest
from server.forms.conditions import shown
from server.forms.definition import Journey, Question
from server.forms.one_page import OnePageForm
from server.forms.validate import FieldError, clean_answers, validate_page
from server.journeys.answers_display import fields_from_answer
from server.journeys.contact import contact_form, with_update_choice
from server.journeys.submission import build_request


@dataclass(frozen=True)
class Correction:
    answers: dict[str, Any]
    contact: dict[str, Any]
    errors: dict[str, FieldError]


def questions(journey: Journey, answers: dict[str, Any]) -> list[Question]:
    """Every question of the pages the answers show, then the contact page's. Files are
    left out: a kiosk seals no files."""
    found = [q for p in journey.pages if shown(p, answers) for q in p.questions
             if q.type != "file"]
    return found + list(contact_form(journey).page.questions)


def prefill(journey: Journey, payload: dict[str, Any]) -> dict[str, Any]:
    answers, contact = payload.get("answers") or {}, payload.get("contact") or {}
    form: OnePageForm = contact_form(journey)
    fields: dict[str, Any] = {}
    for q in questions(journey, answers):
        given = contact if form.question(q.id) is q else answers
        fields.update(fields_from_answer(q, given.get(q.id)))
    return fields


def stored_errors(errors: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """The push's errors by field id (a contact error names `contact.<id>`)."""
    out = {}
    for e in errors:
        field = e["field"].removeprefix("contact.")
        out[field] = {"field": field, "message": e["message"]}
    return out


def correct(journey: Journey, posted: dict[str, list[str]]) -> Correction:
    answers: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    for page in journey.pages:
        if not shown(page, answers):
            continue
        checked = validate_page(journey, page, posted, answers)
        answers.update(checked.values)
        errors.update(checked.errors)
    form = contact_form(journey)
    contact = validate_page(form, form.page, posted, {})
    errors.update(contact.errors)
    if not errors:
        answers, late = clean_answers(journey, answers)
        errors.update(late)
    return Correction(answers, contact.values, errors)


def as_request(journey: Journey, correction: Correction, request_id: str,
               payload: dict[str, Any]) -> NewRequest:
    return build_request(journey, correction.answers, with_update_choice(correction.contact),
                         request_id=request_id, channel="kiosk",
                         locale=payload.get("locale") or "en",
                         client_created_at=payload.get("client_created_at"))
