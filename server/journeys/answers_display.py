"""Turns stored answers into what a page shows: form field values to fill inputs with,
and the rows of check-your-answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import phonenumbers

from server.forms.conditions import is_met
from server.forms.questions import Condition, Question
from server.i18n import lazy as _

YES_NO = ({"value": "yes", "label": _("Yes"), "hint": None},
          {"value": "no", "label": _("No"), "hint": None})


def fields_from_answer(question: Question, value: Any) -> dict[str, Any]:
    """The form field values that show a stored answer."""
    q = question.id
    if value is None:
        return {}
    if question.type == "address" and isinstance(value, Mapping):
        return {f"{q}-{part}": value.get(part) or "" for part in ("line1", "line2", "town",
                                                                   "postcode")}
    if question.type == "date" and isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return {}
        return {f"{q}-day": str(day.day), f"{q}-month": str(day.month),
                f"{q}-year": str(day.year)}
    if question.type in ("radios", "yesno"):
        return {q: [value]}
    if question.type == "checkboxes":
        return {q: list(value)}
    if question.type == "location" and isinstance(value, Mapping):
        return {f"{q}-lat": str(value.get("lat", "")), f"{q}-lng": str(value.get("lng", ""))}
    if question.type == "phone":
        return {q: phone_display(value)}
    if question.type == "file":
        return {}
    return {q: value}


def fields_from_post(posted: Mapping[str, Sequence[str]], questions: Sequence[Question]
                     ) -> dict[str, Any]:
    """What the person typed, to show again with the errors."""
    fields: dict[str, Any] = {}
    for question in questions:
        for name, values in posted.items():
            if name == question.id or name.startswith(question.id + "-"):
                if question.type in ("radios", "yesno", "checkboxes") and name == question.id:
                    fields[name] = list(values)
                else:
                    fields[name] = values[0] if values else ""
    return fields


def phone_display(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    lines: list[str]
    change_url: str


def answer_lines(question: Question, value: Any, gettext: Callable[[str], str],
                 format_date: Callable[[date], str], filenames: Mapping[str, str]) -> list[str]:
    if value in (None, "", [], {}):
        return []
    kind = question.type
    if kind == "textarea":
        return [line for line in str(value).split("\n") if line.strip()]
    if kind == "address":
        return [value[p] for p in ("line1", "line2", "town", "postcode") if value.get(p)]
    if kind == "date":
        return [format_date(date.fromisoformat(value))]
    if kind == "radios":
        return [gettext(o.label) for o in question.options if o.value == value]
    if kind == "checkboxes":
        return [gettext(o.label) for o in question.options if o.value in value]
    if kind == "yesno":
        return [gettext("Yes") if value == "yes" else gettext("No")]
    if kind == "file":
        return [filenames.get(i, gettext("File")) for i in value]
    if kind == "location":
        return [gettext("Your location (%(lat)s, %(lng)s)") % {
            "lat": f"{value['lat']:.5f}", "lng": f"{value['lng']:.5f}"}]
    if kind == "phone":
        return [phone_display(value)]
    return [str(value)]


def _refs(condition: Condition) -> set[str]:
    found = {condition.question} if condition.question else set()
    for inner in condition.conditions:
        found |= _refs(inner)
    return found


@dataclass(frozen=True)
class PageLayout:
    """The questions a page shows, and which are revealed under an option of another
    question on the same page (GOV.UK's conditional reveal; all shown without JS).
    `shared`: a question revealed by any of several options (of one or more questions
    above it), shown once after them: question id -> [(question id, option value)]."""
    top: list[Question]
    reveals: dict[str, dict[str, list[Question]]]
    shared: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def revealed_by(self) -> dict[str, dict[str, list[str]]]:
        """question id -> option value -> the ids of the shared blocks it reveals."""
        found: dict[str, dict[str, list[str]]] = {}
        for target, options in self.shared.items():
            for question_id, value in options:
                found.setdefault(question_id, {}).setdefault(value, []).append(
                    f"{target}-when")
        return found


def _options(condition: Condition, on_page: Mapping[str, Question]
             ) -> list[tuple[str, str]] | None:
    """The (question, option) pairs any one of which meets `condition`, when it is such
    a disjunction over choice questions on the page; None when it is not."""
    if condition.op == "any":
        found: list[tuple[str, str]] = []
        for inner in condition.conditions:
            pairs = _options(inner, on_page)
            if pairs is None:
                return None
            found += pairs
        return found
    parent = on_page.get(condition.question or "")
    if condition.op in ("equals", "in", "includes") and parent is not None and \
            parent.type in ("radios", "checkboxes", "yesno"):
        return [(parent.id, value) for value in condition.values]
    return None


def page_layout(questions: Sequence[Question], answers: Mapping[str, Any]) -> PageLayout:
    on_page = {q.id: q for q in questions}
    top: list[Question] = []
    reveals: dict[str, dict[str, list[Question]]] = {}
    shared: dict[str, list[tuple[str, str]]] = {}
    for q in questions:
        condition = q.show_if
        if condition is None:
            top.append(q)
            continue
        refs = _refs(condition)
        if not refs & on_page.keys():
            if is_met(condition, answers):  # depends on earlier pages only
                top.append(q)
            continue
        parent = on_page.get(condition.question or "")
        if (condition.op in ("equals", "includes") and len(condition.values) == 1
                and parent is not None and parent.type in ("radios", "checkboxes", "yesno")):
            reveals.setdefault(parent.id, {}).setdefault(condition.values[0], []).append(q)
        else:
            top.append(q)
            options = _options(condition, on_page)
            if options:
                shared[q.id] = options
    return PageLayout(top, reveals, shared)
