"""Every example a message gives, in every language's catalogue, passes the validator of
its type (issue 15: the phone error's own example, 07700 900 982, was refused by the
phone validator). Phone numbers, postcodes, dates, references and email addresses.

A message gives examples when its English source says "like …" or "for example"; the
values in it and in each translation are checked. Real numbers to call (the council's,
999, the out-of-hours line) are not examples."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from server import i18n
from server.forms.answer_types import Fields, read_answer
from server.forms.formats import normalise_email, normalise_postcode, normalise_uk_phone
from server.forms.questions import Question
from server.forms.references import normalise_reference
from server.rendering import PHONE

LOCALES = Path(__file__).resolve().parent.parent / "locales"
CODES = [lang.code for lang in i18n.LANGUAGES]

POSTCODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}(?![A-Za-z0-9])")
DATE = re.compile(r"(?<![\d-])(\d{1,2}) (\d{1,2}) (\d{4})(?![\d-])")
REFERENCE = re.compile(r"\b([A-Z]{2,4})-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DATE_QUESTION = Question(id="d", type="date", label="d")
GIVES_EXAMPLES = re.compile(r"\blike\b|\bfor example\b|\be\.g\.", re.IGNORECASE)


def _real_date(day: str, month: str, year: str) -> bool:
    fields = Fields({"d-day": [day], "d-month": [month], "d-year": [year]})
    return read_answer(DATE_QUESTION, fields, date.today())[1] is None


def examples_failing(text: str) -> list[str]:
    """Each example in `text` that its validator refuses, named by type."""
    bad = []
    for m in PHONE.finditer(text):
        if m.group(0) != "999" and normalise_uk_phone(m.group(0)) is None:
            bad.append(f"phone {m.group(0)!r}")
    for m in POSTCODE.finditer(text):
        if normalise_postcode(m.group(0)) is None:
            bad.append(f"postcode {m.group(0)!r}")
    for m in DATE.finditer(text):
        if not _real_date(*m.groups()):
            bad.append(f"date {m.group(0)!r}")
    for m in REFERENCE.finditer(text):
        if normalise_reference(m.group(0), m.group(1)) is None:
            bad.append(f"reference {m.group(0)!r}")
    for m in EMAIL.finditer(text):
        if normalise_email(m.group(0)) is None:
            bad.append(f"email {m.group(0)!r}")
    return bad


def messages(code: str) -> list[tuple[str, str]]:
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f, locale=code)
    out = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(GIVES_EXAMPLES.search(i) for i in ids):
            out += [(ids[0], text) for text in (*ids, *strings) if text]
    return out


def test_the_finder_sees_bad_examples_of_every_type():
    text = ("like 07700 900 982 or 0131 496 0000, EH22 1AE or QQ1 1QQ, 27 3 2026 or "
            "31 2 2026, MLC-7K3P-Q9XD or MLC-7K3P-Q9X2, name@example.com or name@example")
    assert examples_failing(text) == ["phone '07700 900 982'", "postcode 'QQ1 1QQ'",
                                      "date '31 2 2026'", "reference 'MLC-7K3P-Q9XD'"]


@pytest.mark.parametrize("code", CODES)
def test_every_example_in_every_message_passes_its_validator(code):
    problems = [f"{source!r}: {', '.join(bad)}" for source, text in messages(code)
                if (bad := examples_failing(text))]
    assert not problems, f"{len(problems)} message(s) with examples that fail: {problems[:6]}"
