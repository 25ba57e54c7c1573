"""The form engine: strict definitions, the registry, conditions, references, extraction
and export, and validation that never raises. The answer rules themselves are pinned by
the example cases (test_form_examples.py)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections import Counter
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.forms.conditions import visible_pages
from server.forms.definition import DefinitionError, parse_definition
from server.forms.export import export_definition
from server.forms.extract import extract_definition
from server.forms.formats import normalise_uk_phone, uk_phone_by_rule
from server.forms.messages import DEFAULT_MESSAGES, question_labels_in_messages
from server.forms.questions import RULES
from server.forms.references import ALPHABET, new_reference, normalise_reference
from server.forms.registry import FormRegistry
from server.forms.validate import clean_answers, upload_error, validate_page
from server.journeys.steps import flow, previous_step

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = [{"value": "yes-please", "label": "Yes please"}, {"value": "no", "label": "No"}]


def definition(slug: str = "noise", version: int = 1, service: str = "planning") -> dict[str, Any]:
    return {
        "format": 1, "journey": slug, "version": version, "service": service,
        "special_category": service == "social-work",
        "title": "Report noise", "summary": "Tell us about noise.", "keywords": ["loud"],
        "start": {"paragraphs": ["Use this to report noise."], "warning": "Call 999."},
        "pages": [
            {"id": "first", "questions": [
                {"id": "choice", "type": "radios", "label": "Pick one", "options": OPTIONS}]},
            {"id": "second", "title": "More", "show_if": {"question": "choice", "equals": "no"},
             "questions": [
                 {"id": "kinds", "type": "checkboxes", "label": "Kinds", "hint": "All that apply",
                  "options": OPTIONS, "errors": {"required": "Select the kinds"}},
                 {"id": "detail", "type": "text", "label": "Detail",
                  "show_if": {"question": "kinds", "includes": "no"}}]},
            {"id": "third", "questions": [
                {"id": "when", "type": "date", "label": "Date", "when": "past",
                 "show_if": {"not": {"question": "choice", "in": ["yes-please"]}}}]},
        ],
        "next_steps": ["We will call you."],
    }


def broken(change: Any) -> str:
    data = definition()
    change(data)
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data, slug="noise", version=1)
    return str(raised.value)


def first_question(data: dict[str, Any]) -> dict[str, Any]:
    return data["pages"][0]["questions"][0]


BROKEN_DEFINITIONS = [
    (lambda d: d.update(colour="red"), "definition: unknown key 'colour'"),
    (lambda d: first_question(d).update(lable="x"), "pages[0].questions[0]: unknown key 'lable'"),
    (lambda d: d.update(version="1"), "version: must be a whole number"),
    (lambda d: d.update(version=2), "version: is 2 but the file is v1.json"),
    (lambda d: d.update(journey="other"), "journey: is 'other' but the folder is 'noise'"),
    (lambda d: d.update(format=2), "format: must be 1"),
    (lambda d: d.pop("summary"), "definition: missing key 'summary'"),
    (lambda d: d.update(service="parks"), "service: must be one of"),
    (lambda d: d.update(service="social-work"), "special_category: must be true"),
    (lambda d: d.update(anonymous=True), 'contact: must be "optional"'),
    (lambda d: d["pages"][1].update(id="More Info"), "pages[1].id: 'More Info' does not match"),
    (lambda d: d["pages"][1].update(id="first"), "pages[1].id: 'first' is already the id"),
    (lambda d: first_question(d).update(id="Choice"), "pages[0].questions[0].id: 'Choice'"),
    (lambda d: d["pages"][2]["questions"][0].update(id="choice"), "'choice' is already the id"),
    (lambda d: d["pages"][1].pop("title"), "pages[1]: a page with more than one question"),
    (lambda d: first_question(d).update(options=[OPTIONS[0]]), "options: must be a list of at "
                                                               "least 2"),
    (lambda d: first_question(d).pop("options"), "pages[0].questions[0].options: must be a list"),
    (lambda d: first_question(d).update(options=[OPTIONS[0], OPTIONS[0]]),
     "options[1].value: 'yes-please' is already"),
    (lambda d: first_question(d).update(type="slider"), "type: must be one of"),
    (lambda d: first_question(d).update(label=" Pick one"), "label: must not start or end"),
    (lambda d: first_question(d).update(optional=1), "optional: must be true or false"),
    (lambda d: d["pages"][1]["questions"][1].update(max_length=True), "max_length: must be a "
                                                                      "whole number"),
    (lambda d: d["pages"][0].update(show_if={"question": "kinds", "includes": "no"}),
     "pages[0].show_if.question: 'kinds' is not a question on an earlier page"),
    (lambda d: d["pages"][1].update(show_if={"question": "nope", "equals": "no"}),
     "'nope' is not a question on an earlier page"),
    (lambda d: d["pages"][1].update(show_if={"question": "choice", "equals": "maybe"}),
     "show_if.equals: 'maybe' is not one of the values of 'choice': yes-please, no"),
    (lambda d: d["pages"][1].update(show_if={"question": "choice", "includes": "no"}),
     "'includes' needs a checkboxes question, and 'choice' is radios"),
    (lambda d: d["pages"][1].update(show_if={"question": "choice", "equals": "no", "in": ["no"]}),
     'needs exactly one of "equals", "in", "includes"'),
    (lambda d: d["pages"][1].update(show_if={"all": []}), "show_if.all: must be a list of at "
                                                          "least 1"),
    (lambda d: d["pages"][1]["questions"][0].update(errors={"format": "x"}),
     "errors: unknown key 'format'"),
    (lambda d: d["pages"][1]["questions"][0].update(errors={"min": "Pick %(max)s"}),
     "%(max)s is not available"),
    (lambda d: d["pages"][1]["questions"][0].update(errors={"min": "Pick 100%"}),
     "a % sign must be written %%"),
    (lambda d: d["pages"][2].update(title="Where") or d["pages"][2]["questions"].append(
        {"id": "spot", "type": "location", "label": "Where"}),
     "location question 'spot' needs a text, textarea or address question"),
    (lambda d: d["pages"][2]["questions"].insert(0, {"id": "spot", "type": "location",
                                                     "label": "Where", "optional": False}),
     "a location question is never required"),
    (lambda d: first_question(d).update(id="csrf_token"), "'csrf_token' is reserved"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN_DEFINITIONS)
def test_broken_definition_is_refused_with_where_and_why(change: Any, message: str) -> None:
    assert message in broken(change)


def test_definition_parses_with_defaults_and_keeps_raw() -> None:
    data = definition()
    journey = parse_definition(data, slug="noise", version=1)
    assert journey.raw == data and journey.raw is not data
    assert journey.contact == "required" and journey.anonymous is False
    detail = journey.question("detail")
    assert detail is not None and detail.max_length == 200 and detail.first_field == "detail"
    assert journey.question("choice").first_field == "choice-yes-please"  # type: ignore[union-attr]
    assert journey.question("when").first_field == "when-day"  # type: ignore[union-attr]
    assert journey.page_of("detail") == journey.page("second")


def write(directory: Path, data: dict[str, Any], name: str | None = None) -> Path:
    folder = directory / data["journey"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"v{data['version']}.json")
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_registry_loads_every_version_and_serves_the_latest(tmp_path: Path) -> None:
    write(tmp_path, definition("noise", 1, "environmental-health"))
    newer = definition("noise", 2, "environmental-health")
    newer["title"] = "Report a noise problem"
    write(tmp_path, newer)
    write(tmp_path, definition("trees", 1, "planning"))
    write(tmp_path, definition("care", 1, "social-work"))
    forms = FormRegistry(tmp_path)
    assert forms.latest("noise").version == 2
    assert forms.get("noise", 1).title == "Report noise"
    assert forms.versions("noise") == [1, 2]
    assert [(j.journey, j.version) for j in forms.journeys()] == [
        ("trees", 1), ("noise", 2), ("care", 1)]
    with pytest.raises(KeyError):
        forms.get("noise", 3)
    with pytest.raises(KeyError):
        forms.latest("parking")


@pytest.mark.parametrize(("arrange", "message"), [
    (lambda d: write(d, {**definition(), "version": 2}, "v1.json"), "is 2 but the file is v1"),
    (lambda d: write(d, definition(), "v1.yaml"), "expected only files named v<N>.json"),
    (lambda d: write(d, definition(), "v01.json"), "expected only files named v<N>.json"),
    (lambda d: (d / "noise").mkdir(), "no v<N>.json in this journey folder"),
    (lambda d: write(d, {**definition("noise", 2), "service": "social-work",
                         "special_category": True}) and write(d, definition()),
     "versions disagree about the service"),
])
def test_registry_fails_loudly_naming_the_file(tmp_path: Path, arrange: Any,
                                               message: str) -> None:
    arrange(tmp_path)
    with pytest.raises(DefinitionError, match="noise") as raised:
        FormRegistry(tmp_path)
    assert message in str(raised.value)


def test_registry_refuses_duplicate_json_keys(tmp_path: Path) -> None:
    path = write(tmp_path, definition())
    path.write_text(path.read_text().replace('"title": "Report noise"',
                                             '"title": "A", "title": "B"'))
    with pytest.raises(DefinitionError, match=r"v1\.json: duplicate key 'title'"):
        FormRegistry(tmp_path)


def test_shipped_definitions_all_load() -> None:
    forms = FormRegistry()
    assert forms.journeys(), "server/forms/definitions/ holds the published journeys"


def test_pages_skip_by_condition_and_stale_answers_open_nothing() -> None:
    journey = parse_definition(definition())
    ids = lambda pages: [p.id for p in pages]  # noqa: E731
    assert ids(visible_pages(journey, {})) == ["first", "third"]
    assert ids(visible_pages(journey, {"choice": "yes-please"})) == ["first"]
    assert ids(visible_pages(journey, {"choice": "no"})) == ["first", "second", "third"]
    # A stale answer to a question now hidden opens nothing.
    assert ids(visible_pages(journey, {"choice": "yes-please", "kinds": ["no"]})) == ["first"]
    assert flow(journey, {"choice": "no"}) == ["first", "second", "third", "contact", "check"]
    assert previous_step(journey, "third", {}) == "first"
    assert previous_step(journey, "first", {}) is None


def test_hidden_answers_are_dropped_at_submission() -> None:
    journey = parse_definition(definition())
    cleaned, errors = clean_answers(journey, {"choice": "yes-please", "kinds": ["no"],
                                              "detail": "stale", "when": "bad"})
    assert (cleaned, errors) == ({"choice": "yes-please"}, {})


def test_field_error_text_translates_message_and_label() -> None:
    journey = parse_definition(definition())
    photos = RICH.question("file")
    assert photos is not None
    error = upload_error(photos, "count")
    assert error.message == DEFAULT_MESSAGES["file.count"]
    assert error.params["max"] == photos.max_files

    gaelic = {"Date": "Ceann-là", "Select an option": "Tagh roghainn",
              "%(label)s must be today or in the past": "%(label)s: an-diugh no roimhe"}
    missing = validate_page(journey, journey.pages[0], {}, {}).errors["choice"]
    assert missing.text(lambda s: gaelic.get(s, s)) == "Tagh roghainn"
    date_error = clean_answers(journey, {"when": "2999-01-01"})[1]["when"]
    assert date_error.text(lambda s: gaelic.get(s, s)) == "Ceann-là: an-diugh no roimhe"
    # A translation that broke its placeholder falls back to the English sentence.
    assert date_error.text(str.upper) == "DATE must be today or in the past"


@pytest.mark.parametrize("key", [rule for rule in RULES["file"] if rule != "required"])
def test_every_upload_error_can_be_written_out(key) -> None:
    """The web path once made the size error without its %(max)s: formatting it raised,
    and a 10-12 MiB upload answered 500."""
    photos = RICH.question("file")
    assert photos is not None
    text = upload_error(photos, key).text()
    assert "%(" not in text
    assert upload_error(photos, "size").text() == "The selected file must be smaller than 10MB"
    assert upload_error(photos, "size", max_bytes=3 * 1024 * 1024).params["max"] == "3MB"


def test_question_style_label_is_flagged_where_a_default_message_would_use_it() -> None:
    data = definition()
    data["pages"][2]["questions"][0]["label"] = "When did it start?"
    when = parse_definition(data).question("when")
    assert when is not None and question_labels_in_messages(when) == ["required", "incomplete",
                                                                      "past"]


def test_reference_format_and_check_character() -> None:
    reference = new_reference("MLC")
    prefix, first, second = reference.split("-")
    assert prefix == "MLC" and len(first) == len(second) == 4
    assert set(first + second) <= set(ALPHABET) and len(ALPHABET) == 31
    assert normalise_reference(reference, "MLC") == reference
    with pytest.raises(ValueError):
        new_reference("mlc")


def test_reference_check_catches_every_single_error_and_neighbour_swap() -> None:
    for _ in range(300):
        body = new_reference("MLC").replace("-", "")[3:]
        for i in range(len(body)):
            for c in ALPHABET.replace(body[i], ""):
                assert normalise_reference(body[:i] + c + body[i + 1:], "MLC") is None
            if i + 1 < len(body) and body[i] != body[i + 1]:
                swapped = body[:i] + body[i + 1] + body[i] + body[i + 2:]
                assert normalise_reference(swapped, "MLC") is None


def test_reference_typed_any_way_is_normalised() -> None:
    reference = new_reference("MLC")
    body = reference[4:].replace("-", "")
    for typed in (reference.lower(), f" mlc {body[:4]} {body[4:]} ", body, f"MLC{body}",
                  f"{body[:4]}\u2013{body[4:]}"):
        assert normalise_reference(typed, "MLC") == reference
    assert normalise_reference(reference, "ABC") is None
    assert normalise_reference(reference.replace(body[0], "O", 1), "MLC") is None
    assert normalise_reference("MLC-" + "ß" * 8, "MLC") is None
    assert normalise_reference("x" * 10_000, "MLC") is None


def test_references_rarely_repeat_over_100k() -> None:
    # 31**7 bodies: the chance of any repeat among 100k is about 17%, of four or more
    # about 1 in 30,000. Storage keeps references unique and draws again on a clash.
    counts = Counter(new_reference("MLC") for _ in range(100_000))
    assert sum(n - 1 for n in counts.values()) <= 3


def test_phone_in_an_unallocated_range_passes_the_rule_but_not_the_server() -> None:
    # The drama number in the default message: the shared rule (and so the offline
    # check) accepts it, libphonenumber on the server does not.
    assert uk_phone_by_rule("07700 900982") == "+447700900982"
    assert normalise_uk_phone("07700 900982") is None


def test_extract_yields_every_text_with_where_it_is() -> None:
    data = definition()
    source = json.dumps(data, indent=2).encode()
    found = list(extract_definition(BytesIO(source), [], [], {}))
    texts = [text for _, _, text, _ in found]
    assert texts[:4] == ["Report noise", "Tell us about noise.", "loud",
                         "Use this to report noise."]
    assert {"Pick one", "Yes please", "All that apply", "Select the kinds", "More",
            "We will call you.", "Call 999."} <= set(texts)
    line, _, _, comments = next(f for f in found if f[2] == "Select the kinds")
    assert comments == ["form noise v1: pages[1].questions[0].errors.required"]
    assert '"Select the kinds"' in source.decode().splitlines()[line - 1]


def test_pybabel_extract_with_the_project_config_finds_definition_text(tmp_path: Path) -> None:
    write(tmp_path / "server" / "forms" / "definitions", definition())
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "-F", str(ROOT / "locales" / "babel.cfg"),
                    "-k", "lazy", "-o", str(pot), "."], cwd=tmp_path, check=True,
                   capture_output=True)
    text = pot.read_text()
    assert "#. form noise v1: pages[0].questions[0].options[0].label" in text
    assert 'msgid "Yes please"' in text


def test_export_translates_every_text_and_nothing_else() -> None:
    journey = parse_definition(definition())
    exported = export_definition(journey, lambda s: f"[{s}]")
    assert exported["pages"][0]["questions"][0]["options"][0] == {
        "value": "yes-please", "label": "[Yes please]"}
    assert exported["pages"][1]["show_if"] == {"question": "choice", "equals": "no"}
    assert exported["start"]["warning"] == "[Call 999.]"
    assert exported["messages"]["date.real"] == "[Enter a real date]"
    assert journey.raw == definition()  # the stored definition is untouched


POSTED_VALUE = st.one_of(
    st.text(), st.lists(st.one_of(st.text(), st.integers(), st.none()), max_size=4),
    st.none(), st.integers(), st.sampled_from(["yes-please", "no", "07400 123456", "EH22 1AE",
                                               "29", "2", "2024", "55.9", "a1"]))


def rich_definition() -> dict[str, Any]:
    data = copy.deepcopy(definition())
    data["pages"].append({"id": "all", "title": "All", "questions": [
        {"id": t, "type": t, "label": t, **({"options": OPTIONS} if t in ("radios", "checkboxes")
                                             else {})}
        for t in ("text", "textarea", "email", "phone", "address", "date", "yesno", "file",
                  "location", "radios", "checkboxes")]})
    data["pages"][-1]["questions"][-1]["show_if"] = {"question": "radios", "equals": "no"}
    return data


RICH = parse_definition(rich_definition())
FIELD_NAMES = sorted({q.field_id(p) for q in RICH.questions
                      for p in (None, "day", "month", "year", "line1", "line2", "town",
                                "postcode", "lat", "lng")})


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=5), POSTED_VALUE),
       st.dictionaries(st.sampled_from([q.id for q in RICH.questions]), POSTED_VALUE))
def test_validate_page_never_raises_and_never_keeps_a_value_in_error(
        posted: dict[str, Any], answers: dict[str, Any]) -> None:
    for page in RICH.pages:
        result = validate_page(RICH, page, posted, answers)
        assert not set(result.values) & set(result.errors)
        assert set(result.values) | set(result.errors) <= {q.id for q in page.questions}
    cleaned, errors = clean_answers(RICH, {**answers, **posted})
    assert not set(cleaned) & set(errors)


def test_validate_page_survives_huge_and_broken_unicode_input() -> None:
    posted = {name: ["9" * 1_000_000 + "\ud800", "x"] for name in FIELD_NAMES}
    for page in RICH.pages:
        result = validate_page(RICH, page, posted, {"radios": "\udfff"})
        assert result.errors and not set(result.values) & set(result.errors)
    assert validate_page(RICH, RICH.pages[0], None, None).errors  # type: ignore[arg-type]


def test_a_one_page_form_has_a_page_and_nothing_made_up() -> None:
    """Contact, track and the admin invite were journeys with a dummy service, summary
    and start page; a plain one-page form has an id and its page, parsed as strictly."""
    from server.forms.one_page import parse_one_page_form
    from server.handlers.admin.invites import INVITE_FORM
    from server.handlers.public.track import TRACK_FORM
    from server.journeys.contact import CONTACT, CONTACT_ANONYMOUS
    for form in (CONTACT, CONTACT_ANONYMOUS, TRACK_FORM, INVITE_FORM):
        assert len(form.pages) == 1 and form.page.questions
        assert set(export_definition(form)) == {"id", "version", "title", "pages", "messages"}
    assert CONTACT_ANONYMOUS.page.id == CONTACT.page.id == "contact"
    page = {"id": "p", "questions": [{"id": "q", "type": "text", "label": "Q"}]}
    assert parse_one_page_form({"id": "f", "page": page}).question("q") is not None
    with pytest.raises(DefinitionError, match="unknown key 'service'"):
        parse_one_page_form({"id": "f", "page": page, "service": "planning"})
    with pytest.raises(DefinitionError, match=r"page\[0\].questions\[0\]"):
        parse_one_page_form({"id": "f", "page": {**page, "questions": [{"id": "q"}]}})
