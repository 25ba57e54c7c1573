"""How answers and dates are shown, by the server and by the browser, from one set of
examples (server/forms/display_examples/*.json): the offline check-your-answers once
wrote dates in US order, phone numbers run together and locations unrounded, and the
outbox wrote "12/2/2026, 5:13:51 PM" for 2 December (issue 9, issue 15).

answer-*.json: {"description", "locale", "question", "value", "filenames"?,
                "expected": {"lines": [...], "fields": {...}}}
date-*.json:   {"description", "kind": "date" | "datetime", "value",
                "expected": {language: text, for every language offered}}
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from server import i18n
from server.db.clock import parse_iso
from server.forms.one_page import parse_one_page_form
from server.forms.questions import QUESTION_TYPES
from server.journeys.answers_display import WORDS, answer_lines, fields_from_answer
from tests.support import node_results

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "server" / "forms" / "display_examples"
RUNNER = ROOT / "tests" / "display_examples_runner.mjs"
CASE_FILES = sorted(EXAMPLES.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def run_python(case: dict[str, Any]) -> Any:
    if "question" in case:
        # A location question needs one to type the place in on its page (SCHEMA.md).
        typed = {"id": "typed_place", "type": "text", "label": "Place", "optional": True}
        form = parse_one_page_form({"id": "example", "page": {
            "id": "example", "title": "Example", "questions": [case["question"], typed]}})
        question = form.page.questions[0]
        lines = answer_lines(question, case["value"], lambda text: text,
                             lambda day: i18n.format_date(day, case["locale"]),
                             case.get("filenames", {}))
        return {"lines": lines, "fields": fields_from_answer(question, case["value"])}
    if case["kind"] == "date":
        return {code: i18n.format_date(date.fromisoformat(case["value"]), code)
                for code in i18n.OFFERED_CODES}
    return {code: i18n.format_datetime(parse_iso(case["value"]), code)
            for code in i18n.OFFERED_CODES}


@pytest.fixture(scope="module")
def javascript_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    context = tmp_path_factory.mktemp("display") / "context.json"
    context.write_text(json.dumps({
        "words": WORDS,
        "formats": {code: i18n.date_formats(code) for code in i18n.OFFERED_CODES}}),
        encoding="utf-8")
    return dict(node_results(RUNNER, EXAMPLES, context))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_the_server_shows_it_as_expected(path: Path) -> None:
    case = load(path)
    assert run_python(case) == case["expected"]


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_the_browser_shows_it_as_expected(path: Path, javascript_results: dict[str, Any]
                                          ) -> None:
    assert javascript_results[path.name] == load(path)["expected"]


def test_the_examples_cover_every_question_type_and_language() -> None:
    cases = [load(p) for p in CASE_FILES]
    assert [p.name for p in CASE_FILES] == sorted(p.name for p in EXAMPLES.iterdir())
    assert {c["question"]["type"] for c in cases if "question" in c} == set(QUESTION_TYPES)
    assert {c["locale"] for c in cases if "question" in c} == set(i18n.OFFERED_CODES)
    for case in cases:
        if "question" not in case:
            assert set(case["expected"]) == set(i18n.OFFERED_CODES), case["description"]
    assert {c["kind"] for c in cases if "kind" in c} == {"date", "datetime"}


def test_the_page_gives_the_browser_the_words_and_the_date_formats(client) -> None:
    """The examples give the browser's code Babel's formats and the source words; a page
    must give it the same, in its language."""
    page = client.get("/services", headers={"Accept-Language": "pl"}).text
    holder = re.search(r'id="tb-outbox-status"[^>]*>', page)
    assert holder is not None
    attributes = {name: json.loads(html.unescape(value)) for name, value in
                  re.findall(r"(data-tb-text|data-tb-dates)='([^']*)'", holder.group(0))}
    polish = i18n.Gettext("pl").gettext
    assert {key: attributes["data-tb-text"][key] for key in WORDS} == {
        key: polish(word) for key, word in WORDS.items()}
    assert attributes["data-tb-text"]["yes"] == "Tak"
    assert attributes["data-tb-dates"] == i18n.date_formats("pl")


def test_every_date_in_the_browser_goes_through_the_one_module() -> None:
    """The outbox wrote toLocaleString(): every date is written by pwa/scripts/time/."""
    scripts = ROOT / "pwa" / "scripts"
    found = [f"{path.relative_to(ROOT)}: {pattern}"
             for path in sorted(scripts.rglob("*.js")) if path.parent.name != "time"
             for pattern in ("toLocale", "Intl.DateTimeFormat", "toISOString")
             if pattern in path.read_text(encoding="utf-8")]
    assert found == []
