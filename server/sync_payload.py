"""Checks a queued submission with the same engine as the web journey: the journey's
definition at the submission's form version, clean_answers, the contact page, and the
declared attachment slots; errors translated into the payload's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sync.apply import Rejection
from sync.messages import Mutation, Payload

from . import i18n
from .contact import contact_fields, contact_form
from .forms.definition import Journey
from .forms.normalise import council_today
from .forms.registry import FormRegistry
from .forms.validate import FieldError, clean_answers, upload_error
from .i18n import lazy as _

UNKNOWN_JOURNEY = _("This service is not available any more. Contact us to make your "
                    "request another way.")
UNKNOWN_VERSION = _("This form is not available any more. Fill it in again.")


@dataclass(frozen=True)
class CheckedSubmission:
    journey: Journey
    answers: dict[str, Any]
    contact: dict[str, str | None]


def check_submission(forms: FormRegistry, mutation: Mutation, max_upload_bytes: int
                     ) -> CheckedSubmission | Rejection:
    payload = mutation.payload
    if payload.journey not in forms:
        return _refuse("unknown_journey", "journey", _translate(payload, UNKNOWN_JOURNEY))
    try:
        journey = forms.get(payload.journey, mutation.form_version)
    except KeyError:
        return _refuse("unknown_form_version", "form_version",
                       _translate(payload, UNKNOWN_VERSION))
    today = council_today()  # one day for both checks, as a person filled them in
    answers, errors = clean_answers(journey, payload.answers, today=today)
    errors.update(_slot_errors(journey, mutation, answers, max_upload_bytes))
    contact, contact_errors = clean_answers(contact_form(journey), payload.contact,
                                            today=today)
    found = [(key, e) for key, e in errors.items()] + \
        [(f"contact.{key}", e) for key, e in contact_errors.items()]
    if found:
        # The catalogue is loaded only for a submission that has something to say.
        text = i18n.Gettext(payload.locale)
        return Rejection("invalid_answers", tuple(
            {"field": key, "message": error.text(text.gettext)} for key, error in found))
    return CheckedSubmission(journey, answers, contact_fields(contact))


def _translate(payload: Payload, message: str) -> str:
    return i18n.Gettext(payload.locale).gettext(message)


def _refuse(reason: str, field: str, message: str) -> Rejection:
    return Rejection(reason, ({"field": field, "message": message},))


def _slot_errors(journey: Journey, mutation: Mutation, answers: dict[str, Any],
                 max_upload_bytes: int) -> dict[str, FieldError]:
    """Each declared file is a slot of a file question, and each file question lists
    exactly the files declared for it."""
    errors: dict[str, FieldError] = {}
    declared: dict[str, set[str]] = {}
    for slot in mutation.attachments:
        question = journey.question(slot.question_id)
        if question is None or question.type != "file":
            errors[slot.question_id] = FieldError(slot.question_id, "unknown", UNKNOWN_SLOT)
            continue
        declared.setdefault(question.id, set()).add(slot.id)
        if slot.size > max_upload_bytes:
            errors[question.id] = upload_error(
                question, "size", max=f"{max_upload_bytes // (1024 * 1024)}MB")
    for question in journey.file_questions:
        if question.id in errors:
            continue
        if set(answers.get(question.id) or []) != declared.get(question.id, set()):
            errors[question.id] = upload_error(question, "upload")
    return errors


UNKNOWN_SLOT = _("This file does not belong to a question on this form")
