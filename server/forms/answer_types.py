"""How each question type reads its form fields into the answer it stores, or the first
rule the input breaks. pwa/scripts/forms/answer_types.js is the same, line for line."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from server.forms.formats import normalise_email, normalise_postcode, normalise_uk_phone
from server.forms.normalise import ascii_digits, clean_text, length
from server.forms.questions import ADDRESS_MAX_LENGTH, Question

ADDRESS_PARTS = ("line1", "line2", "town", "postcode")
DATE_PARTS = ("day", "month", "year")
ATTACHMENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}\Z")
_DAY_OR_MONTH = re.compile(r"^[0-9]{1,2}\Z")
_YEAR = re.compile(r"^[0-9]{4}\Z")
_COORDINATE = re.compile(r"^[+-]?[0-9]{1,3}(?:\.[0-9]{1,20})?\Z")


@dataclass(frozen=True)
class Problem:
    rule: str
    part: str | None = None  # the input in error: "day", "line1"...; None: the first one
    variant: str | None = None  # picks a more specific default message
    params: dict[str, Any] = field(default_factory=dict)


Read = tuple[Any, Problem | None]


class Fields:
    """Posted form fields, held as a mapping of name to list of strings (or one string,
    or a Starlette FormData). Anything that is not a string is ignored. `file_sizes`:
    attachment id -> bytes, for the files the caller knows the size of."""

    def __init__(self, posted: Any, file_sizes: Any = None) -> None:
        self.file_sizes = _sizes(file_sizes)
        # A plain dict (every stored answer goes through here) skips the slower ABC check.
        self._posted = posted if type(posted) is dict or isinstance(posted, Mapping) else {}
        getlist = getattr(self._posted, "getlist", None)
        self._getlist = getlist if callable(getlist) else None  # looked up once, not per field

    def all(self, name: str) -> list[str]:
        raw = self._posted.get(name) if self._getlist is None else self._getlist(name)
        if isinstance(raw, str):
            return [raw]
        if isinstance(raw, list | tuple):
            return [v for v in raw if isinstance(v, str)]
        return []

    def one(self, name: str) -> str:
        """The first value of a field that takes one; any others are ignored."""
        values = self.all(name)
        return values[0] if values else ""


class StoredFields(Fields):
    """The fields a stored answer stands for (validate._stored_fields): already a dict of
    lists of strings, so they are read as they are, without Fields' checks and copies."""

    def __init__(self, posted: dict[str, list[str]], file_sizes: Any = None) -> None:
        self._posted = posted
        self._getlist = None
        self.file_sizes = _sizes(file_sizes)

    def all(self, name: str) -> list[str]:
        return self._posted.get(name) or []

    def one(self, name: str) -> str:
        values = self._posted.get(name)
        return values[0] if values else ""


def _sizes(file_sizes: Any) -> Mapping[str, int]:
    if not isinstance(file_sizes, Mapping):
        return {}
    return {k: v for k, v in file_sizes.items() if type(v) is int}


MIB = 1024 * 1024


def size_limit(max_bytes: int) -> str:
    """A file size limit as messages show it: 10MB, 1.5MB, 500KB (binary units, as
    devices count them; rounded down, so a file the message allows is allowed)."""
    if max_bytes < MIB:
        return f"{max(max_bytes // 1024, 1)}KB"
    tenths = max_bytes * 10 // MIB
    return f"{tenths // 10}MB" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}MB"


def too_large(question: Question, max_bytes: int | None = None) -> Problem:
    """`max_bytes`: a lower limit than the question's (the sync upload limit)."""
    return Problem("size", params={"max": size_limit(max_bytes or question.max_bytes)})


def _blank(question: Question, empty: Any = None) -> Read:
    return (empty, None) if question.optional else (None, Problem("required"))


def _text(question: Question, fields: Fields, today: date) -> Read:
    value = clean_text(fields.one(question.id), multiline=question.type == "textarea")
    if not value:
        return _blank(question)
    limit = question.max_length or 0
    if length(value) > limit:
        return None, Problem("max_length", params={"max": limit})
    return value, None


def _formatted(normalise: Callable[[str], str | None]) -> Callable[..., Read]:
    def read(question: Question, fields: Fields, today: date) -> Read:
        value = clean_text(fields.one(question.id))
        if not value:
            return _blank(question)
        normal = normalise(value)
        return (normal, None) if normal is not None else (None, Problem("format"))
    return read


def _address(question: Question, fields: Fields, today: date) -> Read:
    parts = {p: clean_text(fields.one(question.field_id(p))) for p in ADDRESS_PARTS}
    if not any(parts.values()):
        return _blank(question)
    for part in ADDRESS_PARTS:
        if not parts[part] and part != "line2":
            return None, Problem("incomplete", part, part)
        if part != "postcode" and length(parts[part]) > ADDRESS_MAX_LENGTH:
            return None, Problem("max_length", part, part, {"max": ADDRESS_MAX_LENGTH})
    postcode = normalise_postcode(parts["postcode"])
    if postcode is None:
        return None, Problem("postcode", "postcode")
    return {"line1": parts["line1"], "line2": parts["line2"] or None, "town": parts["town"],
            "postcode": postcode}, None


def _date(question: Question, fields: Fields, today: date) -> Read:
    parts = {p: ascii_digits(clean_text(fields.one(question.field_id(p)))) for p in DATE_PARTS}
    if not any(parts.values()):
        return _blank(question)
    missing = [p for p in DATE_PARTS if not parts[p]]
    if missing:
        return None, Problem("incomplete", missing[0], "_".join(missing))
    day = int(parts["day"]) if _DAY_OR_MONTH.match(parts["day"]) else 0
    month = int(parts["month"]) if _DAY_OR_MONTH.match(parts["month"]) else 0
    year = int(parts["year"]) if _YEAR.match(parts["year"]) else 0
    for part, ok in (("day", 1 <= day <= 31), ("month", 1 <= month <= 12),
                     ("year", year >= 1000)):
        if not ok:
            return None, Problem("real", part)
    try:
        value = date(year, month, day)
    except ValueError:
        return None, Problem("real", "day")
    if question.when == "past" and value > today:
        return None, Problem("past")
    if question.when == "future" and value < today:
        return None, Problem("future")
    return value.isoformat(), None


def _chosen(question: Question, fields: Fields) -> list[str]:
    return [v for v in fields.all(question.id) if v != ""]


def _one_choice(question: Question, fields: Fields, today: date) -> Read:
    chosen = _chosen(question, fields)
    if not chosen:
        return _blank(question)
    if chosen[0] not in question.option_values:
        return None, Problem("choice")
    return chosen[0], None


def _checkboxes(question: Question, fields: Fields, today: date) -> Read:
    chosen = set(_chosen(question, fields))
    if not chosen <= set(question.option_values):
        return None, Problem("choice")
    selected = [v for v in question.option_values if v in chosen]
    if not selected:
        return _blank(question, [])
    if len(selected) < question.min:
        return None, Problem("min", params={"min": question.min})
    return selected, None


def _file(question: Question, fields: Fields, today: date) -> Read:
    ids = list(dict.fromkeys(_chosen(question, fields)))
    if not all(ATTACHMENT_ID.match(i) for i in ids):
        return None, Problem("upload")
    if not ids:
        return _blank(question, [])
    if len(ids) > question.max_files:
        return None, Problem("count", params={"max": question.max_files})
    if any(fields.file_sizes.get(i, 0) > question.max_bytes for i in ids):
        return None, too_large(question)
    return ids, None


def _location(question: Question, fields: Fields, today: date) -> Read:
    lat = clean_text(fields.one(question.field_id("lat")))
    lng = clean_text(fields.one(question.field_id("lng")))
    if not lat and not lng:
        return None, None
    if not lat or not lng:
        return None, Problem("both", "lng" if lat else "lat")
    return coordinates(float(lat) if _COORDINATE.match(lat) else math.nan,
                       float(lng) if _COORDINATE.match(lng) else math.nan)


def coordinates(lat: float, lng: float) -> Read:
    if not -90 <= lat <= 90:  # NaN fails too
        return None, Problem("range", "lat")
    if not -180 <= lng <= 180:
        return None, Problem("range", "lng")
    return {"lat": lat, "lng": lng}, None


READERS: dict[str, Callable[[Question, Fields, date], Read]] = {
    "text": _text, "textarea": _text, "email": _formatted(normalise_email),
    "phone": _formatted(normalise_uk_phone), "address": _address, "date": _date,
    "radios": _one_choice, "yesno": _one_choice, "checkboxes": _checkboxes, "file": _file,
    "location": _location,
}


def read_answer(question: Question, fields: Fields, today: date) -> Read:
    return READERS[question.type](question, fields, today)
