"""The form example cases (server/forms/examples/*.json) through both interpreters: the
Python one here, the JavaScript one in one node process. Both must give `expected`
exactly, so the offline pages and the server cannot disagree about an answer."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from server.forms.definition import Journey, parse_definition
from server.forms.export import export_definition
from server.forms.messages import DEFAULT_MESSAGES
from server.forms.questions import RULES
from server.forms.validate import clean_answers, validate_page
from tests.support import node_results

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "server" / "forms" / "examples"
RUNNER = ROOT / "tests" / "forms_examples_runner.mjs"
CASE_FILES = sorted(EXAMPLES.glob("*.json"))
CASE_KEYS = {"description", "today", "definition", "page", "previous_answers", "answers",
             "file_sizes", "expected"}
# The rule the web layer applies (it checks uploaded files by content), not the
# interpreters. File size was here too, and so no example ever made its message: the web
# path left out its %(max)s and a file over 10MB answered 500.
WEB_LAYER_RULES = {("file", "type"), ("file", "pixels"), ("file", "unsafe")}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def run_python(case: dict[str, Any], journey: Journey | None = None) -> dict[str, Any]:
    journey = journey or parse_definition(case["definition"])
    today = date.fromisoformat(case["today"]) if "today" in case else None
    sizes = case.get("file_sizes")
    if case["page"] is None:
        values, errors = clean_answers(journey, case["answers"], today=today, file_sizes=sizes)
    else:
        page = journey.page(case["page"])
        assert page is not None, f"no page {case['page']!r} in the case's definition"
        result = validate_page(journey, page, case["answers"],
                               case.get("previous_answers", {}), today=today,
                               file_sizes=sizes)
        values, errors = result.values, result.errors
    return {"errors": {k: e.as_json() for k, e in errors.items()}, "values": values}


@pytest.fixture(scope="module")
def javascript_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    messages = tmp_path_factory.mktemp("forms") / "messages.json"
    messages.write_text(json.dumps(DEFAULT_MESSAGES), encoding="utf-8")
    return dict(node_results(RUNNER, EXAMPLES, messages))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_python_interpreter_gives_expected_result(path: Path) -> None:
    case = load(path)
    assert run_python(case) == case["expected"]


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_javascript_interpreter_gives_expected_result(path: Path,
                                                      javascript_results: dict[str, Any]
                                                      ) -> None:
    assert javascript_results[path.name] == load(path)["expected"]


def test_javascript_runner_saw_every_case(javascript_results: dict[str, Any]) -> None:
    assert sorted(javascript_results) == [p.name for p in CASE_FILES]


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_example_case_has_only_known_keys_and_a_valid_definition(path: Path) -> None:
    case = load(path)
    assert set(case) <= CASE_KEYS
    assert {"description", "definition", "page", "answers", "expected"} <= set(case)
    assert set(case["expected"]) == {"errors", "values"}
    parse_definition(case["definition"])


def test_examples_cover_every_type_and_every_rule() -> None:
    cases = [load(p) for p in CASE_FILES]
    assert len(cases) >= 40
    types = {q["type"] for c in cases for page in c["definition"]["pages"]
             for q in page["questions"]}
    assert types == set(RULES)
    by_id = {}
    for c in cases:
        for page in c["definition"]["pages"]:
            for q in page["questions"]:
                by_id[(id(c), q["id"])] = q["type"]
    broken = {(by_id.get((id(c), qid), ""), e["key"]) for c in cases
              for qid, e in c["expected"]["errors"].items()}
    wanted = {(t, rule) for t, rules in RULES.items() for rule in rules} - WEB_LAYER_RULES
    assert wanted - broken == set()
    assert ("", "unknown") in broken
    assert any(c["page"] is None for c in cases) and any(c["page"] for c in cases)


def test_runner_definition_is_what_export_sends_the_browser() -> None:
    # The runner gives JS each case's definition plus the messages table: that must be
    # exactly export_definition's output (untranslated), or the runner tests something else.
    for path in CASE_FILES:
        definition = load(path)["definition"]
        exported = export_definition(parse_definition(definition))
        assert exported == {**definition, "messages": DEFAULT_MESSAGES}


NOISE = ["", " ", "\u3000", "\u0085", "\x1c", "e\u0301", "\U0001F600", "\ud800", "yes-please",
         "no", "07400 123456", "+44 (0)131 270 7500", "0800 123 4567", "EH22 1AE", "eh22",
         "1ae", "29", "02", "2", "2023", "2024", "1900", "31", "55.9", "-3.2", "180.5", "a1",
         "\u0661\u0662", "+44", "@", ".", "a@b.co", "A@B.COM", "x" * 200, "\r\n", "GIR 0AA"]


def random_value(rng: random.Random) -> Any:
    kind = rng.randrange(8)
    if kind == 0:
        return None
    if kind == 1:
        return rng.randrange(100)
    if kind == 2:
        return [rng.choice(NOISE) for _ in range(rng.randrange(4))]
    if kind == 3:
        return rng.choice([{"lat": 55.5, "lng": -3.5}, {"lat": 100, "lng": 0}, "2024-02-29",
                           "2023-02-29", {"line1": "1 High St", "town": "Dalkeith",
                                          "postcode": "eh221ae"}])
    return "".join(rng.choice(NOISE) for _ in range(rng.randrange(4)))


def test_javascript_agrees_with_python_on_random_input(tmp_path: Path) -> None:
    # Beyond the hand-written cases: seeded random input, the Python result taken as the
    # expected one, the same runner. Phone numbers in unallocated ranges are left out:
    # only the server checks those (see formats.py).
    from tests.test_form_engine import RICH
    rng = random.Random(20240301)
    names = [q.field_id(p) for q in RICH.questions for p in
             (None, "day", "month", "year", "line1", "line2", "town", "postcode", "lat", "lng")]
    ids = [q.id for q in RICH.questions]
    for n in range(150):
        posted = {rng.choice(names): random_value(rng) for _ in range(rng.randrange(14))}
        answers = {rng.choice(ids): random_value(rng) for _ in range(rng.randrange(8))}
        for page in [None, *(p.id for p in RICH.pages)]:
            case = {"description": "random", "today": "2024-03-01", "definition": RICH.raw,
                    "page": page, "previous_answers": answers,
                    "answers": answers if page is None else posted}
            case["expected"] = run_python(case, RICH)
            (tmp_path / f"{n:03}-{page}.json").write_text(json.dumps(case), encoding="utf-8")
    messages = tmp_path.parent / "messages.json"
    messages.write_text(json.dumps(DEFAULT_MESSAGES), encoding="utf-8")
    results = node_results(RUNNER, tmp_path, messages)
    for path in sorted(tmp_path.glob("*.json")):
        assert results[path.name] == load(path)["expected"], path.name
