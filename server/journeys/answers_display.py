"""Turns stored answers into what a page shows: form field values to fill inputs with,
and the rows of check-your-answers, which are also how officers and the resident see a
request once it is sent (the same labels, order and formatting).
pwa/scripts/forms/answers_display.js does the same in the browser (offline
check-your-answers); server/forms/display_examples/ holds the two to the same output."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import phonenumbers

from server import i18n
from server.db.attachments import Attachment
from server.forms.conditions import is_met, visible_pages
from server.forms.definition import Journey
from server.forms.questions import Condition, Question
from server.i18n import lazy as _
from server.journeys.contact import PAGE_ID as CONTACT_PAGE
from server.journeys.contact import contact_form

YES_NO = ({"value": "yes", "label": _("Yes"), "hint": None},
          {"value": "no", "label": _("No"), "hint": None})
# The words answer_lines adds of its own; the browser gets them translated in the page
# (pwa/templates/outbox/status.html), under the same keys.
WORDS = {"yes": _("Yes"), "no": _("No"), "file": _("File"),
         "location": _("Location recorded, accurate to about 20 metres")}
_UK_E164 = re.compile(r"^\+44[0-9]{9,10}\Z")


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
        return {f"{q}-{part}": _number_text(value.get(part)) for part in ("lat", "lng")}
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


def _number_text(value: Any) -> str:
    """A number as JavaScript's String() writes it (55 not 55.0), for an input's value."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = repr(value)
    return format(Decimal(text), "f") if "e" in text and abs(value) >= 1e-6 else text


def phone_display(e164: str) -> str:
    """A UK number written the national way (0131 270 7500); anything else as stored."""
    if not _UK_E164.match(e164):
        return e164
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
    change_url: str  # "" once the request is sent
    files: tuple[Attachment, ...] = ()


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
        return [gettext(WORDS["yes"]) if value == "yes" else gettext(WORDS["no"])]
    if kind == "file":
        return [filenames.get(i, gettext(WORDS["file"])) for i in value]
    if kind == "location":
        # Never raw coordinates: nobody can read them (issue 15). The address given on the
        # same page says where it is in words.
        return [gettext(WORDS["location"])]
    if kind == "phone":
        return [phone_display(value)]
    return [str(value)]


@dataclass(frozen=True)
class Section:
    title: str | None
    rows: list[Row]


def summary_sections(journey: Journey, answers: dict[str, Any], contact: dict[str, Any],
                     code: str, files: Mapping[str, Attachment],
                     change: bool = True) -> list[Section]:
    """Check your answers: the answers of the pages shown, in order, then the contact
    details. `change`: with links back to each page (not once it is sent)."""
    text = i18n.Gettext(code)

    def fmt(value: date) -> str:
        return i18n.format_date(value, code, "long")

    def url(page_id: str) -> str:
        return f"/services/{journey.journey}/{page_id}?change=1" if change else ""

    names = {i: f.filename for i, f in files.items()}
    rows = []
    for page in visible_pages(journey, answers):
        for q in page.questions:
            if q.id in answers or q.optional:
                value = answers.get(q.id)
                attached = tuple(files[i] for i in value if i in files) \
                    if q.type == "file" and isinstance(value, list) else ()
                rows.append(Row(q.id, text.gettext(q.label),
                                answer_lines(q, value, text.gettext, fmt, names),
                                url(page.id), attached))
    contact_rows = []
    for q in contact_form(journey).pages[0].questions:
        if q.id in contact and contact[q.id] not in (None, ""):
            contact_rows.append(Row(
                "contact-" + q.id, text.gettext(q.label),
                answer_lines(q, contact[q.id], text.gettext, fmt, {}), url(CONTACT_PAGE)))
    return [Section(None, rows), Section(text.gettext("Your contact details"), contact_rows)]


def sent_contact(journey: Journey, name: str | None, email: str | None,
                 phone: str | None) -> dict[str, Any]:
    """A sent request's contact details as the contact page's answers were."""
    how = "email" if email else "phone" if phone else "none" if journey.anonymous else None
    return {"name": name, "how": how, "email": email, "phone": phone}


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
