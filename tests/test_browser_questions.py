"""Each question type in real Chromium: accessible empty and with errors, the GOV.UK
error pattern (summary, focus, links, aria-describedby, answers kept), with JavaScript on
and with our scripts blocked; the other journey pages under axe; reflow at 320 px; and
file uploads (wrong type refused, photos stripped of their location)."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from server.forms.messages import message_for
from server.forms.questions import Question
from server.journeys.contact import contact_form
from tests.axe import WCAG_TAGS, assert_accessible_without_scripts, describe, violations
from tests.test_browser_journeys import (  # noqa: F401  (fixtures, used by name)
    JOURNEYS,
    SLUGS,
    Given,
    answer_page,
    expect_kept,
    group,
    label_text,
    patient_expect,
    track_limit,
    walk_to_check,
)

pytestmark = pytest.mark.browser

PROBLEM = "There is a problem"
NOT_AN_IMAGE = b"These are not the pixels you are looking for.\n" * 20
TYPE_ERROR = "The selected file must be a JPG, PNG, WebP or PDF"


def axe(page: Page) -> None:
    """Zero axe violations, WCAG 2.2 A/AA and best practice, as tests/axe.py asks, in
    one run (half the time); on the page as it is once loaded (a click may have started
    a navigation)."""
    page.wait_for_load_state("load")
    found = violations(page, [*WCAG_TAGS, "best-practice"])
    assert not found, f"axe:\n{describe(found)}"


# --- where each question type is asked -------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A page that asks a question of one type, and how to reach it."""
    slug: str
    page_id: str
    questions: tuple[Question, ...]
    question: Question

    @property
    def path(self) -> str:
        return f"/services/{self.slug}/{self.page_id}"


def find_target(qtype: str) -> Target:
    """The first page, in journey order, that always shows a question of `qtype`:
    preferring a journey's own page to the shared contact page, a required question,
    and a page with other questions on it too."""
    found: list[tuple[int, int, int, Target]] = []
    for slug in SLUGS:
        journey = JOURNEYS[slug]
        pages = [(0, p.id, p.questions, p.show_if) for p in journey.pages]
        contact = contact_form(journey).pages[0]
        pages.append((1, contact.id, contact.questions, None))
        for shared, page_id, questions, show_if in pages:
            if show_if is not None:
                continue
            for q in questions:
                if q.type == qtype:
                    score = (shared, int(q.optional), -len(questions))
                    found.append((*score, Target(slug, page_id, tuple(questions), q)))
    assert found, f"no page asks a {qtype} question"
    return min(found, key=lambda f: f[:3])[3]


@dataclass(frozen=True)
class Case:
    """One way to get a question wrong, and the message that should say so."""
    name: str
    qtype: str
    rule: str
    variant: str | None = None
    options: dict[str, str] = field(default_factory=dict)  # choices on the same page


CASES = [
    Case("text-empty", "text", "required"),
    Case("text-too-long", "text", "max_length"),
    Case("textarea-empty", "textarea", "required"),
    Case("email-empty", "email", "required", options={"how": "email"}),
    Case("email-format", "email", "format", options={"how": "email"}),
    Case("phone-empty", "phone", "required", options={"how": "phone"}),
    Case("phone-format", "phone", "format", options={"how": "phone"}),
    Case("address-empty", "address", "required"),
    Case("address-postcode", "address", "postcode"),
    Case("date-empty", "date", "required"),
    Case("date-not-real", "date", "real"),
    Case("radios-empty", "radios", "required"),
    Case("checkboxes-empty", "checkboxes", "required"),
    Case("yesno-empty", "yesno", "required"),
    Case("file-not-an-image", "file", "type"),
]
TYPES_IN_DEFINITIONS = sorted({q.type for j in JOURNEYS.values() for p in j.pages
                               for q in p.questions} | {"email", "phone"})


def test_every_question_type_has_a_case() -> None:
    covered = {c.qtype for c in CASES} | {"location"}  # location: JS only, never required
    assert set(TYPES_IN_DEFINITIONS) <= covered


def expected_message(q: Question, rule: str) -> str:
    return message_for(q, rule) % {"label": q.label, "max": q.max_length, "min": q.min}


def enter_wrong_answer(page: Page, q: Question, rule: str) -> dict[str, str]:
    """Leave `q` empty or put a wrong answer in it; returns what was typed, by label."""
    typed: dict[str, str] = {}
    if rule == "max_length":
        typed[label_text(q)] = "x" * ((q.max_length or 200) + 1)
    elif rule == "format":
        typed[label_text(q)] = "not-an-email" if q.type == "email" else "12"
    for label, value in typed.items():
        page.get_by_label(label, exact=True).fill(value)
    if rule == "postcode":
        typed = {"Building and street": "2 White Hart Street", "Town or city": "Dalkeith",
                 "Postcode": "XXX"}
    elif rule == "real":
        typed = {"Day": "31", "Month": "2", "Year": "2026"}
    if rule in ("postcode", "real"):
        for label, value in typed.items():
            group(page, q).get_by_label(label, exact=True).fill(value)
    if rule == "type":
        page.get_by_label(label_text(q), exact=True).set_input_files(
            {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": NOT_AN_IMAGE})
    return typed


def expect_typed_kept(page: Page, q: Question, typed: dict[str, str]) -> None:
    for label, value in typed.items():
        scope = group(page, q) if q.type in ("address", "date") else page
        expect(scope.get_by_label(label, exact=True)).to_have_value(value)


DESCRIBED_BY = """(el, id) => {
  const has = (node) => (node.getAttribute('aria-describedby') || '').split(/\\s+/)
    .includes(id);
  return has(el) || Boolean(el.closest('fieldset') && has(el.closest('fieldset')));
}"""


def expect_error_pattern(page: Page, target: Target, case: Case, *, scripts: bool) -> None:
    """Title, summary, focus, links, inline message tied to its field."""
    q = target.question
    message = expected_message(q, case.rule)
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.wait_for_load_state("load")
    summary = page.locator(".ds_error-summary")
    expect(summary).to_have_count(1)
    expect(summary.get_by_role("heading")).to_have_text(PROBLEM)
    if scripts:
        expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links.filter(has_text=message)).to_have_count(1)
    hrefs = [link.get_attribute("href") or "" for link in links.all()]
    for href in hrefs:
        assert href.startswith("#"), href
        expect(page.locator(f"[id='{href[1:]}']")).to_have_count(1)
    ours = links.filter(has_text=message).get_attribute("href") or ""
    field_el = page.locator(f"[id='{ours[1:]}']")
    inline = page.locator(f"[id='{q.id}-error']")
    expect(inline).to_be_visible()
    expect(inline).to_contain_text(message)
    assert field_el.evaluate(DESCRIBED_BY, f"{q.id}-error"), \
        f"{ours} is not described by {q.id}-error"
    for href in hrefs:
        link = summary.locator(f"a[href='{href}']")
        link.click()
        if scripts:
            expect(page.locator(f"[id='{href[1:]}']")).to_be_focused()
        else:
            expect(page).to_have_url(re.compile(re.escape(href) + "$"))


def provoke(page: Page, base_url: str, target: Target, case: Case
            ) -> tuple[list[Given], dict[str, str]]:
    """Open the page, answer everything else on it, get `case` wrong, Continue."""
    page.goto(base_url + target.path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    others: dict[str, Given] = {}
    answer_page(page, target.questions, {}, others, skip=target.question.id,
                options=case.options)
    typed = enter_wrong_answer(page, target.question, case.rule)
    page.get_by_role("button", name="Continue").click()
    return list(others.values()), typed


AXED: set[str] = set()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_question_errors_with_javascript(page: Page, base_url: str, case: Case) -> None:
    target = find_target(case.qtype)
    if target.path not in AXED:  # once per page is enough for the empty state
        page.goto(base_url + target.path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe(page)
        AXED.add(target.path)
    others, typed = provoke(page, base_url, target, case)
    expect_error_pattern(page, target, case, scripts=True)
    for answer in others:
        expect_kept(page, answer)
    expect_typed_kept(page, target.question, typed)
    axe(page)


@pytest.fixture
def scriptless_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """JavaScript as a person without it gets the page: every script request refused
    (axe needs JavaScript itself, so it cannot run with JavaScript disabled)."""
    context = browser.new_context(locale="en-GB")
    context.route("**/*.js*", lambda route: route.abort())
    page = context.new_page()
    yield page
    context.close()


SCRIPTLESS = ["text-empty", "address-postcode", "date-not-real", "radios-empty",
              "email-format", "file-not-an-image"]


@pytest.mark.parametrize("name", SCRIPTLESS)
def test_question_errors_without_scripts(scriptless_page: Page, base_url: str,
                                         name: str) -> None:
    case = next(c for c in CASES if c.name == name)
    target = find_target(case.qtype)
    page = scriptless_page
    page.goto(base_url + target.path)
    assert page.evaluate("typeof window.htmx") == "undefined"
    axe(page)
    others, typed = provoke(page, base_url, target, case)
    expect_error_pattern(page, target, case, scripts=False)
    for answer in others:
        expect_kept(page, answer)
    expect_typed_kept(page, target.question, typed)
    axe(page)


# --- the other pages of a journey -----------------------------------------------------


def test_check_and_confirmation_pages_are_accessible(page: Page, base_url: str) -> None:
    journey = JOURNEYS["pest-control"]
    walk_to_check(page, base_url, journey)
    axe(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    axe(page)


def test_check_and_confirmation_pages_are_accessible_without_scripts(
        scriptless_page: Page, base_url: str) -> None:
    page = scriptless_page
    journey = JOURNEYS["care-needs-assessment"]  # social work: the hide-this-page too
    walk_to_check(page, base_url, journey)
    assert page.evaluate("typeof window.htmx") == "undefined"
    axe(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    axe(page)


def test_services_pages_are_accessible(page: Page, base_url: str) -> None:
    page.goto(base_url + "/services")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)
    page.goto(base_url + "/services?q=noise")
    expect(page.locator(".tb-result-count[role=status]")).to_contain_text("noise")
    axe(page)
    # and after htmx swaps the results in as someone types
    page.goto(base_url + "/services")
    page.get_by_role("searchbox", name="Search services").fill("pests")
    expect(page.locator(".tb-result-count[role=status]")).to_contain_text("pests")
    expect(page).to_have_url(re.compile(r"/services\?q=pests$"))
    axe(page)


@pytest.mark.parametrize("path", ["/services", "/services?q=noise", "/services?q=zzzz",
                                  "/track"])
def test_pages_are_accessible_without_scripts(browser: Browser, base_url: str,
                                              path: str) -> None:
    assert_accessible_without_scripts(browser, base_url + path)


TRACK_CASES = {
    "empty": ({}, ["Enter your reference", "Enter your email address or phone number"]),
    "bad-reference": ({"Reference": "ABC", "Email address or phone number": "a@b.org"},
                      ["Enter the reference in the right format, like MLC-7K3P-Q9X2"]),
    "not-found": ({"Reference": "MLC-2222-2222", "Email address or phone number": "a@b.org"},
                  ["We could not find a request with that reference"]),
}


def expect_track_errors(page: Page, typed: dict[str, str], messages: list[str],
                        *, scripts: bool) -> None:
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.wait_for_load_state("load")
    summary = page.locator(".ds_error-summary")
    expect(summary.get_by_role("heading")).to_have_text(PROBLEM)
    if scripts:
        expect(summary).to_be_focused()
    for message in messages:
        expect(summary.get_by_role("link").filter(has_text=message)).to_have_count(1)
    for link in summary.get_by_role("link").all():
        target_id = (link.get_attribute("href") or "")[1:]
        field_el = page.locator(f"[id='{target_id}']")
        expect(field_el).to_have_count(1)
        assert field_el.evaluate(DESCRIBED_BY, f"{target_id}-error")
        if scripts:
            link.click()
            expect(field_el).to_be_focused()
    for label, value in typed.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)


@pytest.mark.usefixtures("track_limit")
@pytest.mark.parametrize("name", TRACK_CASES)
def test_track_page_is_accessible_with_and_without_errors(
        page: Page, base_url: str, name: str) -> None:
    typed, messages = TRACK_CASES[name]
    page.goto(base_url + "/track")
    if name == "empty":
        axe(page)
    for label, value in typed.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Find my request").click()
    expect_track_errors(page, typed, messages, scripts=True)
    axe(page)


@pytest.mark.usefixtures("track_limit")
def test_track_errors_are_accessible_without_scripts(scriptless_page: Page,
                                                     base_url: str) -> None:
    page = scriptless_page
    typed, messages = TRACK_CASES["bad-reference"]
    page.goto(base_url + "/track")
    for label, value in typed.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Find my request").click()
    expect_track_errors(page, typed, messages, scripts=False)
    axe(page)


# --- reflow at 320 CSS px (400% zoom) ---------------------------------------------------


TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > 320)
  .slice(-5).map((e) => `${e.outerHTML.slice(0, 120)} -> ${e.getBoundingClientRect().right}`)"""


def expect_no_horizontal_scroll(page: Page, where: str) -> None:
    page.wait_for_load_state("load")  # a click may have navigated: measure it styled
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, (f"{where}: {width}px wide at a 320px viewport; too wide:\n"
                          + "\n".join(page.evaluate(TOO_WIDE)))


def test_question_pages_reflow_at_320_pixels(page: Page, base_url: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    paths = sorted({find_target(c.qtype).path for c in CASES})
    for path in paths:
        page.goto(base_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect_no_horizontal_scroll(page, path)
    # with errors: summary and messages take room too
    case = next(c for c in CASES if c.name == "address-postcode")
    provoke(page, base_url, find_target(case.qtype), case)
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect_no_horizontal_scroll(page, "address with an error")


def test_services_track_and_check_pages_reflow_at_320_pixels(page: Page,
                                                              base_url: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/services", "/services?q=noise", "/track"):
        page.goto(base_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect_no_horizontal_scroll(page, path)
    walk_to_check(page, base_url, JOURNEYS["report-planning-breach"])
    expect_no_horizontal_scroll(page, "check your answers")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    expect_no_horizontal_scroll(page, "confirmation")


# --- file uploads -----------------------------------------------------------------------


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: (55.0, 53.0, 40.0), 3: "W", 4: (3.0, 4.0, 5.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the test's own premise
        assert check.getexif().get_ifd(0x8825)[2] == (55.0, 53.0, 40.0)
    return data


def stored_upload(live_server: Any, filename: str) -> tuple[str, bytes]:
    read: Callable[[Any], Any] = lambda db: db.execute(  # noqa: E731
        "SELECT media_type, data FROM attachments WHERE filename = ?", [filename]).fetchall()
    rows = live_server.app.state.store.read_sync(read)
    assert len(rows) == 1, f"{len(rows)} stored files named {filename}"
    return rows[0][0], bytes(rows[0][1])


def test_photo_upload_refuses_a_non_image_and_strips_location(
        page: Page, base_url: str, live_server: Any) -> None:
    journey = JOURNEYS["report-planning-breach"]
    photos = next(p for p in journey.pages if p.id == "photos")
    question = photos.questions[0]
    path = f"/services/{journey.journey}/{photos.id}"
    page.goto(base_url + path)
    upload = page.get_by_label(label_text(question), exact=True)

    upload.set_input_files({"name": "photo.jpg", "mimeType": "image/jpeg",
                            "buffer": NOT_AN_IMAGE})
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.wait_for_load_state("load")
    summary = page.locator(".ds_error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=TYPE_ERROR)).to_have_attribute(
        "href", f"#{question.first_field}")
    expect(page.locator(f"[id='{question.id}-error']")).to_contain_text(TYPE_ERROR)
    expect(page.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)

    name = f"photo-{uuid.uuid4().hex[:8]}.jpg"
    page.get_by_label(label_text(question), exact=True).set_input_files(
        {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_with_gps()})
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_title(re.compile(r"^Error: "))
    expect(page).not_to_have_url(re.compile(re.escape(path) + "$"))
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("main").get_by_text(name)).to_be_visible()
    expect(page.get_by_role("button", name=f"Remove {name}")).to_be_visible()

    media_type, data = stored_upload(live_server, name)
    assert media_type == "image/jpeg"
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (64, 48)
        assert "exif" not in stored.info
        assert dict(stored.getexif()) == {}
        assert dict(stored.getexif().get_ifd(0x8825)) == {}
    assert b"Exif\x00\x00" not in data and b"PhoneMaker" not in data


def test_every_journey_has_a_reachable_services_link(page: Page, base_url: str) -> None:
    """The services index lists every journey by its title (the journey tests start
    there), each under a heading for its service."""
    page.goto(base_url + "/services")
    for slug in SLUGS:
        link = page.get_by_role("link", name=JOURNEYS[slug].title, exact=True)
        expect(link).to_have_attribute("href", f"/services/{slug}")

