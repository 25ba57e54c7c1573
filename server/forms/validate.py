"""Checks answers against a journey's definition: one page as posted, or a whole set of
stored answers (a draft at check-your-answers, or a submission queued offline).

Every function here is total: whatever arrives (missing fields, lists where one value is
expected, any Unicode, non-strings) becomes errors, never an exception.
pwa/scripts/forms/validate.js is the same in JavaScript; server/forms/examples/ holds the
two to the same results.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from server.forms.answer_types import (
    ADDRESS_PARTS,
    Fields,
    Problem,
    Read,
    StoredFields,
    coordinates,
    read_answer,
    too_large,
)
from server.forms.conditions import is_met, shown
from server.forms.definition import Form, Page
from server.forms.messages import DEFAULT_MESSAGES, message_for
from server.forms.normalise import council_today
from server.forms.questions import Question

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _unchanged(text: str) -> str:
    return text


@dataclass(frozen=True)
class FieldError:
    field: str  # HTML id of the first input in error: the error summary links to it
    key: str  # the rule broken: required, max_length, format, incomplete, real, ...
    message: str  # English source message: translate, then `% params`
    params: dict[str, Any] = field(default_factory=dict)  # label is a message id too

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def text(self, translate: Callable[[str], str] = _unchanged) -> str:
        """The message in the reader's language, with the (translated) label filled in."""
        # (Not named gettext: Babel's extractor would take the "label" key for a message.)
        params = dict(self.params)
        label = params.get("label")
        if isinstance(label, str):
            params["label"] = translate(label)
        try:
            return translate(self.message) % params
        except (KeyError, ValueError, TypeError):  # a broken translation: English instead
            return self.message % params


@dataclass(frozen=True)
class PageResult:
    values: dict[str, Any]  # question id -> stored answer, for each shown question that passed
    errors: dict[str, FieldError]  # question id -> its first error


def field_error(question: Question, problem: Problem) -> FieldError:
    where = question.field_id(problem.part) if problem.part else question.first_field
    return FieldError(where, problem.rule, message_for(question, problem.rule, problem.variant),
                      {"label": question.label, **problem.params})


def upload_error(question: Question, key: str, *, max_bytes: int | None = None
                 ) -> FieldError:
    """For the web and sync layers, which check files by content and count them as they
    arrive: key is type, size, count or upload. The message's numbers come from the
    question (`max_bytes` only when a lower limit than its own applies)."""
    if key == "size":
        return field_error(question, too_large(question, max_bytes))
    if key == "count":
        return field_error(question, Problem("count", params={"max": question.max_files}))
    return field_error(question, Problem(key))


def validate_page(journey: Form, page: Page, posted: Any, answers: Any, *,
                  today: date | None = None, file_sizes: Any = None) -> PageResult:
    """`posted`: field name -> list of strings. `answers`: the journey's answers so far.
    `file_sizes`: attachment id -> bytes, of the files a file question's answer names.
    A question hidden by its condition is neither checked nor returned."""
    today = today or council_today()
    fields = Fields(posted, file_sizes)
    own = {q.id for q in page.questions}
    seen = {k: v for k, v in answers.items() if k not in own} \
        if isinstance(answers, Mapping) else {}
    values: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    for question in page.questions:
        if question.show_if is not None and not is_met(question.show_if, seen):
            continue
        value, problem = read_answer(question, fields, today)
        if problem is not None:
            errors[question.id] = field_error(question, problem)
        else:
            values[question.id] = seen[question.id] = value
    return PageResult(values, errors)


def clean_answers(journey: Form, answers: Any, *, today: date | None = None,
                  file_sizes: Any = None) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """The answers a submission keeps (normalised; every shown question, None or [] when
    an optional one was left out; answers to hidden questions dropped), and the errors.
    An id that is not a question of this journey version is an error."""
    today = today or council_today()
    given: Mapping[Any, Any] = answers if isinstance(answers, Mapping) else {}
    errors = {str(k): FieldError(str(k), "unknown", DEFAULT_MESSAGES["unknown"], {})
              for k in given if not isinstance(k, str) or journey.question(k) is None}
    cleaned: dict[str, Any] = {}
    for page in journey.pages:
        if not shown(page, cleaned):
            continue
        for question in page.questions:
            if question.show_if is not None and not is_met(question.show_if, cleaned):
                continue
            value, problem = _read_stored(question, given.get(question.id), today, file_sizes)
            if problem is not None:
                errors[question.id] = field_error(question, problem)
            else:
                cleaned[question.id] = value
    return cleaned, errors


def _read_stored(question: Question, value: Any, today: date, file_sizes: Any) -> Read:
    """A stored answer goes back through the reader of its type, as the fields that would
    have produced it, so a stored answer passes exactly when a posted one would."""
    if question.type == "location":
        return _stored_location(value)
    posted = _stored_fields(question, value)
    if posted is None:
        return None, Problem("invalid")
    return read_answer(question, StoredFields(posted, file_sizes), today)


def _stored_fields(question: Question, value: Any) -> dict[str, list[str]] | None:
    if value is None:
        return {}
    if question.type in ("checkboxes", "file"):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return {question.id: value}
        return None
    if question.type == "address":
        if isinstance(value, dict) and set(value) <= set(ADDRESS_PARTS) \
                and all(v is None or isinstance(v, str) for v in value.values()):
            return {question.field_id(p): [value.get(p) or ""] for p in ADDRESS_PARTS}
        return None
    if not isinstance(value, str):
        return None
    if question.type == "date":
        if not _ISO_DATE.match(value):
            return None
        year, month, day = value.split("-")
        return {question.field_id("day"): [day], question.field_id("month"): [month],
                question.field_id("year"): [year]}
    return {question.id: [value]}


def _stored_location(value: Any) -> Read:
    if value is None:
        return None, None
    if not isinstance(value, dict) or set(value) != {"lat", "lng"} \
            or not all(_is_number(v) for v in value.values()):
        return None, Problem("invalid")
    return coordinates(_as_float(value["lat"]), _as_float(value["lng"]))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_float(value: int | float) -> float:
    # float(10**400) raises; JavaScript reads such a number as Infinity: out of range.
    return float(value) if isinstance(value, float) or abs(value) <= 10**6 else math.inf
