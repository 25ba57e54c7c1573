"""Checks a queued submission with the same engine as the web journey: the journey's
definition at the submission's form version, clean_answers, the contact page, and the
declared attachment slots; errors translated into the payload's language."""

from __future__ import annotations

from typing import Any

from server import i18n
from server.db.requests import NewRequest
from server.forms.definition import Journey
from server.forms.normalise import council_today
from server.forms.registry import FormRegistry
from server.forms.validate import FieldError, clean_answers, upload_error
from server.i18n import lazy as _
from server.journeys.contact import contact_form, with_update_choice
from server.journeys.submission import build_request
from sync.apply import Rejection
from sync.messages import Mutation, Payload

UNKNOWN_JOURNEY = _("This service is not available any more. Contact us to make your "
                    "request another way.")
UNKNOWN_VERSION = _("This form is not available any more. Fill it in again.")


def check_submission(forms: FormRegistry, mutation: Mutation, max_upload_bytes: int,
                     channel: str = "offline") -> NewRequest | Rejection:
    payload = mutation.payload
    if payload.journey not in forms:
        return _refuse("unknown_journey", "journey", _translate(payload, UNKNOWN_JOURNEY))
    try:
        journey = forms.get(payload.journey, mutation.form_version)
    except KeyError:
        return _refuse("unknown_form_version", "form_version",
                       _translate(payload, UNKNOWN_VERSION))
    today = council_today()  # one day for both checks, as a person filled them in
    sizes = {slot.id: slot.size for slot in mutation.attachments}
    answers, errors = clean_answers(journey, payload.answers, today=today, file_sizes=sizes)
    for key, error in _slot_errors(journey, mutation, answers, max_upload_bytes).items():
        errors.setdefault(key, error)  # a file too large is not also "not uploaded"
    contact, contact_errors = clean_answers(contact_form(journey),
                                            with_update_choice(payload.contact), today=today)
    found = [(key, e) for key, e in errors.items()] + \
        [(f"contact.{key}", e) for key, e in contact_errors.items()]
    if found:
        # The catalogue is loaded only for a submission that has something to say.
        text = i18n.Gettext(payload.locale)
        return Rejection("invalid_answers", tuple(
            {"field": key, "message": error.text(text.gettext)} for key, error in found))
    return build_request(journey, answers, contact, request_id=mutation.id, channel=channel,
                         locale=payload.locale, client_created_at=payload.client_created_at)


def _translate(payload: Payload, message: str) -> str:
    return i18n.Gettext(payload.locale).gettext(message)


def _refuse(reason: str, field: str, message: str) -> Rejection:
    return Rejection(reason, ({"field": field, "message": message},))


def _slot_errors(journey: Journey, mutation: Mutation, answers: dict[str, Any],
                 max_upload_bytes: int) -> dict[str, FieldError]:
    """Each declared file is a slot of a file question, no larger than an app may
    upload, and each file question lists exactly the files declared for it (their sizes
    against the question's own limit are clean_answers' to check)."""
    errors: dict[str, FieldError] = {}
    declared: dict[str, set[str]] = {}
    for slot in mutation.attachments:
        question = journey.question(slot.question_id)
        if question is None or question.type != "file":
            errors[slot.question_id] = FieldError(slot.question_id, "unknown", UNKNOWN_SLOT)
            continue
        declared.setdefault(question.id, set()).add(slot.id)
        if slot.size > max_upload_bytes:  # lower than the question's own limit
            errors[question.id] = upload_error(question, "size", max_bytes=max_upload_bytes)
    for question in journey.file_questions:
        if question.id in errors:
            continue
        if set(answers.get(question.id) or []) != declared.get(question.id, set()):
            errors[question.id] = upload_error(question, "upload")
    return errors


UNKNOWN_SLOT = _("This file does not belong to a question on this form")
