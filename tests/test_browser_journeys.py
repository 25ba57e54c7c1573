"""Every journey as a person drives it in real Chromium, with JavaScript on and off.

The answers come from the journey's definition: for each question type a valid answer,
put in through accessible locators (labels, roles and names), so a missing or wrong
label fails here just as it would stop someone using a screen reader or voice control.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from server.db import requests as requests_db
from server.forms.conditions import is_met
from server.forms.definition import Journey
from server.forms.questions import Question
from server.forms.registry import FormRegistry
from server.journeys.contact import contact_form

pytestmark = pytest.mark.browser

FORMS = FormRegistry()
JOURNEYS: dict[str, Journey] = {j.journey: j for j in FORMS.journeys()}
SLUGS = sorted(JOURNEYS)
SOCIAL_WORK = [s for s in SLUGS if JOURNEYS[s].service == "social-work"]
REFERENCE = re.compile(r"MLC-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
NAME = "Morag MacLeod"
EMAIL = "morag@example.org"
ADDRESS_PARTS = (("line1", "Building and street"),
                 ("line2", "Building and street line 2 (optional)"),
                 ("town", "Town or city"), ("postcode", "Postcode"))
ADDRESS_TYPED = {"line1": "2 White Hart Street", "line2": "", "town": "Dalkeith",
                 "postcode": "eh22 1ae"}
ADDRESS_STORED = {"line1": "2 White Hart Street", "town": "Dalkeith", "postcode": "EH22 1AE"}
HIDE_PAGE = re.compile(r"^Hide this page")


# --- answers from the definition --------------------------------------------------------


def label_text(q: Question) -> str:
    """The label as shown: optional questions say so."""
    return f"{q.label} (optional)" if q.optional else q.label


def long_date(d: date) -> str:
    """A date as GOV.UK and the SGDS write it: 3 November 2026."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def answer_date(q: Question) -> date:
    return date.today() + (timedelta(days=40) if q.when == "future" else -timedelta(days=20))


def option_labels(q: Question) -> list[tuple[str, str]]:
    if q.type == "yesno":
        return [("yes", "Yes"), ("no", "No")]
    return [(o.value, o.label) for o in q.options]


@dataclass
class Given:
    """One answer given in the browser: what the database should hold, and the lines
    check your answers should show (dates are checked part by part here; their exact
    wording has its own test)."""
    question: Question
    stored: Any
    shown: list[str]


def group(page: Page, q: Question) -> Locator:
    """The fieldset of a question (address, date, radios, checkboxes, yes/no)."""
    return page.get_by_role("group", name=label_text(q), exact=True)


def choose(control: Locator) -> None:
    """Tick a radio or checkbox. SGDS draws the control over the hidden native input
    with the label's ::before, so the label takes the click, as it does for a person."""
    control.check(force=True)
    expect(control).to_be_checked()


def fill_question(page: Page, q: Question, option: str | None = None) -> Given | None:
    """Answer `q` as a person would; None when left unanswered (file, location).
    Radios and checkboxes take the first option, or `option` when given."""
    kind = q.type
    if kind in ("text", "textarea"):
        value = f"Answer to {q.id}"[: q.max_length or 200]
        if kind == "textarea":
            value = f"It started in the spring.\nIt is about {q.id}."
        page.get_by_label(label_text(q), exact=True).fill(value)
        return Given(q, value, value.split("\n"))
    if kind == "email":
        page.get_by_label(label_text(q), exact=True).fill(EMAIL)
        return Given(q, EMAIL, [EMAIL])
    if kind == "phone":
        page.get_by_label(label_text(q), exact=True).fill("07700 900982")
        return Given(q, "+447700900982", ["07700 900982"])
    if kind == "address":
        fieldset = group(page, q)
        for part, label in ADDRESS_PARTS:
            fieldset.get_by_label(label, exact=True).fill(ADDRESS_TYPED[part])
        return Given(q, ADDRESS_STORED, list(ADDRESS_STORED.values()))
    if kind == "date":
        d = answer_date(q)
        fieldset = group(page, q)
        for label, value in (("Day", d.day), ("Month", d.month), ("Year", d.year)):
            fieldset.get_by_label(label, exact=True).fill(str(value))
        return Given(q, d.isoformat(), [str(d.day), MONTHS[d.month - 1], str(d.year)])
    if kind in ("radios", "yesno", "checkboxes"):
        value, label = next((o for o in option_labels(q) if o[0] == option),
                            option_labels(q)[0])
    if kind in ("radios", "yesno"):
        choose(group(page, q).get_by_role("radio", name=label, exact=True))
        return Given(q, value, [label])
    if kind == "checkboxes":
        choose(group(page, q).get_by_role("checkbox", name=label, exact=True))
        return Given(q, [value], [label])
    return None  # file and location: optional, left empty


def expect_kept(page: Page, answer: Given) -> None:
    """The page shows `answer` again (after an error, going back or a reload)."""
    q = answer.question
    if q.type in ("text", "textarea", "email"):
        expect(page.get_by_label(label_text(q), exact=True)).to_have_value(answer.stored)
    elif q.type == "phone":
        expect(page.get_by_label(label_text(q), exact=True)).to_have_value(answer.shown[0])
    elif q.type == "address":
        for part, label in ADDRESS_PARTS:
            expect(group(page, q).get_by_label(label, exact=True)).to_have_value(
                re.compile(f"(?i)^{re.escape(ADDRESS_TYPED[part])}$"))
    elif q.type == "date":
        d = date.fromisoformat(answer.stored)
        for label, value in (("Day", d.day), ("Month", d.month), ("Year", d.year)):
            expect(group(page, q).get_by_label(label, exact=True)).to_have_value(str(value))
    elif q.type in ("radios", "yesno", "checkboxes"):
        role = "checkbox" if q.type == "checkboxes" else "radio"
        expect(group(page, q).get_by_role(role, name=answer.shown[0], exact=True)
               ).to_be_checked()


def answer_page(page: Page, questions: tuple[Question, ...] | list[Question],
                chosen: dict[str, Any], given: dict[str, Given], *,
                skip: str | None = None, options: dict[str, str] | None = None) -> None:
    """Answer every question the page shows, given the choices made so far (same-page
    conditions included: with JS they are revealed once their option is chosen).
    `skip` leaves one question alone; `options` picks other options than the first."""
    for q in questions:
        if q.id == skip or (q.show_if is not None and not is_met(q.show_if, chosen)):
            continue
        answer = fill_question(page, q, (options or {}).get(q.id))
        if answer is not None:
            given[q.id] = answer
            chosen[q.id] = answer.stored


def next_page_id(journey: Journey, after: str | None, chosen: dict[str, Any]) -> str:
    """The page a person should see next, read from the definition."""
    ids = [p.id for p in journey.pages]
    start = ids.index(after) + 1 if after else 0
    for p in journey.pages[start:]:
        if p.show_if is None or is_met(p.show_if, chosen):
            return p.id
    return "contact"


def arrive(page: Page, url: str | re.Pattern[str]) -> None:
    """Wait until the page is at `url` and loaded: a click may have started a full
    navigation (before scripts ran, or with none), and its DOM is not ready at commit."""
    expect(page).to_have_url(url)
    page.wait_for_load_state("load")


def page_url(base_url: str, slug: str, page_id: str) -> re.Pattern[str]:
    return re.compile(re.escape(f"{base_url}/services/{slug}/{page_id}") + r"$")


# --- walking a journey ----------------------------------------------------------------


@dataclass
class Walk:
    journey: Journey
    given: dict[str, Given] = field(default_factory=dict)
    chosen: dict[str, Any] = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)


def expect_quick_exit(page: Page, journey: Journey) -> None:
    """Social work pages carry "Hide this page"; others do not."""
    control = page.get_by_role("link", name=HIDE_PAGE)
    if journey.service == "social-work":
        expect(control).to_be_visible()
    else:
        expect(control).to_have_count(0)


def open_journey(page: Page, base_url: str, journey: Journey) -> None:
    """From /services, by the journey's title, to its start page."""
    page.goto(base_url + "/services")
    page.get_by_role("link", name=journey.title, exact=True).click()
    arrive(page, f"{base_url}/services/{journey.journey}")
    expect(page.get_by_role("heading", level=1)).to_have_text(journey.title)
    expect_quick_exit(page, journey)


def answer_questions(page: Page, base_url: str, walk: Walk, *, until: str = "contact"
                     ) -> None:
    """From the start page, click Start now and answer page after page until `until`."""
    journey = walk.journey
    page.get_by_role("button", name="Start now").click()
    current: str | None = None
    for _ in range(len(journey.pages) + 1):
        expected = next_page_id(journey, current, walk.chosen)
        arrive(page, page_url(base_url, journey.journey, expected))
        if expected == until:
            return
        expect_quick_exit(page, journey)
        journey_page = next(p for p in journey.pages if p.id == expected)
        answer_page(page, journey_page.questions, walk.chosen, walk.given)
        walk.visited.append(expected)
        page.get_by_role("button", name="Continue").click()
        current = expected
    raise AssertionError(f"never reached {until}")


def give_contact(page: Page, journey: Journey) -> None:
    questions = {q.id: q for q in contact_form(journey).pages[0].questions}
    expect(page.get_by_role("heading", level=1)).to_have_text("Your contact details")
    expect_quick_exit(page, journey)
    page.get_by_label(label_text(questions["name"]), exact=True).fill(NAME)
    choose(group(page, questions["how"]).get_by_role("radio", name="Email", exact=True))
    page.get_by_label(label_text(questions["email"]), exact=True).fill(EMAIL)
    page.get_by_role("button", name="Continue").click()


def summary_row(page: Page, row_id: str) -> Locator:
    return page.locator(".ds_summary-list__item").filter(
        has=page.locator(f"[id='key-{row_id}']"))


SUMMARY_ROWS = """(items) => Object.fromEntries(items.map((li) => {
  const key = li.querySelector('.ds_summary-list__key');
  const value = li.querySelector('.ds_summary-list__value');
  return [key.id, [key.innerText.trim(), value.innerText.replace(/\\s+/g, ' ').trim()]];
}))"""


def expect_check_page(page: Page, base_url: str, walk: Walk) -> None:
    """Every answer given shows against its question (one snapshot of the list)."""
    journey = walk.journey
    arrive(page, page_url(base_url, journey.journey, "check"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect_quick_exit(page, journey)
    rows = page.locator(".ds_summary-list__item").evaluate_all(SUMMARY_ROWS)
    problems = []
    for qid, answer in walk.given.items():
        label, value = rows.get(f"key-{qid}", (None, ""))
        if label != answer.question.label:
            problems.append(f"{qid}: row labelled {label!r}")
        problems += [f"{qid}: {line!r} not in {value!r}" for line in answer.shown
                     if line not in value]
    for qid, line in (("contact-name", NAME), ("contact-email", EMAIL)):
        if line not in rows.get(f"key-{qid}", ("", ""))[1]:
            problems.append(f"{qid}: {line!r} not shown")
    assert not problems, "check your answers:\n" + "\n".join(problems)


def send(page: Page, base_url: str, journey: Journey) -> str:
    page.get_by_role("button", name="Send request").click()
    arrive(page, page_url(base_url, journey.journey, "done"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    expect_quick_exit(page, journey)
    found = REFERENCE.search(page.locator("main").inner_text())
    assert found, "no reference on the confirmation page"
    return found.group(0)


def walk_to_check(page: Page, base_url: str, journey: Journey) -> Walk:
    walk = Walk(journey)
    open_journey(page, base_url, journey)
    answer_questions(page, base_url, walk)
    give_contact(page, journey)
    expect_check_page(page, base_url, walk)
    return walk


def complete(page: Page, base_url: str, journey: Journey) -> tuple[Walk, str]:
    walk = walk_to_check(page, base_url, journey)
    return walk, send(page, base_url, journey)


def expect_stored(live_server: Any, walk: Walk, reference: str) -> None:
    journey = walk.journey
    stored = live_server.app.state.store.read_sync(requests_db.by_reference, reference)
    assert stored is not None, f"{reference} is not in the database"
    assert stored.journey == journey.journey
    assert stored.form_version == journey.version
    assert stored.status == "received" and stored.channel == "web"
    assert stored.special_category == journey.special_category
    assert (stored.contact_name, stored.contact_email) == (NAME, EMAIL)
    for qid, answer in walk.given.items():
        if answer.question.type == "address":
            kept = {k: stored.answers[qid].get(k) for k in ADDRESS_STORED}
            assert kept == ADDRESS_STORED, (qid, stored.answers[qid])
        else:
            assert stored.answers.get(qid) == answer.stored, (qid, stored.answers.get(qid))
    # nothing from pages the person never saw
    for p in journey.pages:
        if p.id not in walk.visited:
            for q in p.questions:
                assert q.id not in stored.answers, (p.id, q.id)


def expect_tracked(page: Page, base_url: str, reference: str) -> None:
    page.locator("main").get_by_role("link", name="Track a request").click()
    arrive(page, base_url + "/track")
    page.get_by_label("Reference", exact=True).fill(reference)
    page.get_by_label("Email address or phone number", exact=True).fill(EMAIL)
    page.get_by_role("button", name="Find my request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request {reference}")
    expect(page.get_by_text("We received your request")).to_be_visible()


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """Wait up to 10 s (not 5) for a page to get where it should: these run two at a
    time beside other work, and a slow machine is not a failure."""
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def track_limit(live_world: Any) -> None:
    """/track allows 10 tries in 10 minutes per reference, and every browser test comes
    from 127.0.0.1: each test gets the same limits, counted afresh."""
    live_world[0].fresh_rate_limits()


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        yield context.new_page()
    finally:
        context.close()


CSP_TO_CONSOLE = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture
def problems(page: Page) -> list[str]:
    """Console errors, uncaught exceptions and CSP violations on `page`."""
    found: list[str] = []
    page.add_init_script(CSP_TO_CONSOLE)
    page.on("console", lambda m: found.append(f"console: {m.text}") if m.type == "error"
            else None)
    page.on("pageerror", lambda e: found.append(f"pageerror: {e}"))
    return found


# --- every journey, end to end -------------------------------------------------------


def run_journey(page: Page, base_url: str, live_server: Any, slug: str) -> None:
    walk, reference = complete(page, base_url, JOURNEYS[slug])
    expect_stored(live_server, walk, reference)
    expect_tracked(page, base_url, reference)


@pytest.mark.parametrize("slug", SLUGS)
def test_journey_with_javascript(page: Page, base_url: str, live_server: Any, slug: str,
                                 problems: list[str], track_limit: None) -> None:
    run_journey(page, base_url, live_server, slug)
    assert page.evaluate("typeof window.htmx") == "object"
    page.wait_for_load_state("load")
    assert problems == []


@pytest.mark.parametrize("slug", SLUGS)
def test_journey_without_javascript(no_js_page: Page, base_url: str, live_server: Any,
                                    slug: str, track_limit: None) -> None:
    run_journey(no_js_page, base_url, live_server, slug)


# --- social work: quick exit and emergency numbers ------------------------------------


def test_escape_hides_a_social_work_page(page: Page, base_url: str) -> None:
    page.context.route("https://**", lambda route: route.fulfill(
        status=200, content_type="text/html",
        body="<!doctype html><html lang='en'><title>Elsewhere</title><p>Elsewhere</p>"))
    journey = JOURNEYS[SOCIAL_WORK[0]]
    open_journey(page, base_url, journey)
    page.get_by_role("button", name="Start now").click()
    question_url = page_url(base_url, journey.journey, journey.pages[0].id)
    arrive(page, question_url)
    altlink = page.get_by_role("link", name=HIDE_PAGE).get_attribute("data-altlink")
    assert altlink and altlink.startswith("https://")
    page.keyboard.press("Escape")
    expect(page).not_to_have_url(question_url)
    expect(page).to_have_url(re.compile("^" + re.escape(altlink.rstrip("/")) + "/?$"))


CONCERNS = [s for s in SOCIAL_WORK if "999" in (JOURNEYS[s].start.warning or "")]


def test_two_concern_journeys_found() -> None:
    assert len(CONCERNS) == 2, CONCERNS


FIRST_TEXT_NODE = """(button, needles) => {
  const main = document.querySelector('main');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const before = {};
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (const needle of needles) {
      if (!(needle in before) && n.textContent.includes(needle)) {
        before[needle] = Boolean(
          n.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
      }
    }
  }
  return before;
}"""


@pytest.mark.parametrize("slug", CONCERNS)
def test_concern_start_page_gives_emergency_numbers_before_start_now(
        page: Page, base_url: str, slug: str) -> None:
    open_journey(page, base_url, JOURNEYS[slug])
    start = page.get_by_role("button", name="Start now")
    for number in ("999", "0800 731 6969"):
        expect(page.locator("main").get_by_text(number).first).to_be_visible()
    before = start.evaluate(FIRST_TEXT_NODE, ["999", "0800 731 6969"])
    assert before == {"999": True, "0800 731 6969": True}


# --- going back, reloading, changing answers ------------------------------------------


def test_back_link_returns_with_the_answer_kept(page: Page, base_url: str) -> None:
    journey = JOURNEYS["noise-complaint"]
    source, address = journey.pages[0].questions[0], journey.pages[1].questions[0]
    open_journey(page, base_url, journey)
    page.get_by_role("button", name="Start now").click()
    fill_question(page, source)
    page.get_by_role("button", name="Continue").click()
    arrive(page, page_url(base_url, journey.journey, journey.pages[1].id))
    fill_question(page, address)
    page.get_by_role("button", name="Continue").click()
    arrive(page, page_url(base_url, journey.journey, journey.pages[2].id))

    page.get_by_role("link", name="Back", exact=True).click()
    arrive(page, page_url(base_url, journey.journey, journey.pages[1].id))
    fieldset = group(page, address)
    expect(fieldset.get_by_label("Building and street", exact=True)).to_have_value(
        ADDRESS_STORED["line1"])
    expect(fieldset.get_by_label("Postcode", exact=True)).to_have_value("EH22 1AE")

    page.get_by_role("link", name="Back", exact=True).click()
    arrive(page, page_url(base_url, journey.journey, journey.pages[0].id))
    first_label = option_labels(source)[0][1]
    expect(group(page, source).get_by_role("radio", name=first_label, exact=True)
           ).to_be_checked()

    page.get_by_role("link", name="Back", exact=True).click()
    arrive(page, f"{base_url}/services/{journey.journey}")


def test_reload_keeps_answers_because_drafts_are_on_the_server(page: Page,
                                                               base_url: str) -> None:
    journey = JOURNEYS["noise-complaint"]
    pages = {p.id: p for p in journey.pages}
    open_journey(page, base_url, journey)
    answer_questions(page, base_url, Walk(journey), until="noise-times")
    date_q = pages["first-date"].questions[0]
    when = answer_date(date_q)

    def expect_answers(p: Page) -> None:
        expect(group(p, date_q).get_by_label("Day", exact=True)).to_have_value(str(when.day))
        expect(group(p, date_q).get_by_label("Year", exact=True)).to_have_value(str(when.year))

    page.reload()  # the page after: nothing lost by reloading it
    arrive(page, page_url(base_url, journey.journey, "noise-times"))
    page.goto(f"{base_url}/services/{journey.journey}/first-date")
    expect_answers(page)
    page.reload()
    expect_answers(page)
    # a new tab has no form state the browser could restore: this is the server's copy
    other = page.context.new_page()
    other.goto(f"{base_url}/services/{journey.journey}/first-date")
    expect_answers(other)
    other.goto(f"{base_url}/services/{journey.journey}/noise-types")
    types_q = pages["noise-types"].questions[0]
    expect(group(other, types_q).get_by_role(
        "checkbox", name=option_labels(types_q)[0][1], exact=True)).to_be_checked()
    other.close()


def test_change_links_return_to_check_your_answers(page: Page, base_url: str) -> None:
    journey = JOURNEYS["pest-control"]
    pages = {p.id: p for p in journey.pages}
    walk_to_check(page, base_url, journey)
    where = pages["pest-where"].questions[0]
    labels = option_labels(where)

    page.get_by_role("link", name=f"Change {where.label}", exact=True).click()
    arrive(page, re.compile(re.escape(
        f"{base_url}/services/{journey.journey}/pest-where?change=1") + "$"))
    expect(group(page, where).get_by_role("radio", name=labels[0][1], exact=True)
           ).to_be_checked()
    expect(page.get_by_role("link", name="Back", exact=True)).to_have_attribute(
        "href", f"/services/{journey.journey}/check")
    choose(group(page, where).get_by_role("radio", name=labels[1][1], exact=True))
    page.get_by_role("button", name="Save and return to check your answers").click()
    arrive(page, page_url(base_url, journey.journey, "check"))
    expect(summary_row(page, where.id).locator(".ds_summary-list__value")).to_have_text(
        labels[1][1])

    address = pages["property-address"].questions[0]
    page.get_by_role("link", name=f"Change {address.label}", exact=True).click()
    arrive(page, re.compile(re.escape(
        f"{base_url}/services/{journey.journey}/property-address?change=1") + "$"))
    group(page, address).get_by_label("Building and street", exact=True).fill(
        "10 Eskbank Road")
    page.get_by_role("button", name="Save and return to check your answers").click()
    arrive(page, page_url(base_url, journey.journey, "check"))
    value = summary_row(page, address.id).locator(".ds_summary-list__value")
    expect(value).to_contain_text("10 Eskbank Road")
    expect(value).not_to_contain_text(ADDRESS_STORED["line1"])

    contact = contact_form(journey).pages[0].questions[0]
    page.get_by_role("link", name=f"Change {contact.label}", exact=True).click()
    arrive(page, re.compile(re.escape(
        f"{base_url}/services/{journey.journey}/contact?change=1") + "$"))
    page.get_by_label(label_text(contact), exact=True).fill("Morag Anne MacLeod")
    page.get_by_role("button", name="Save and return to check your answers").click()
    arrive(page, page_url(base_url, journey.journey, "check"))
    expect(summary_row(page, "contact-name")).to_contain_text("Morag Anne MacLeod")


def test_a_change_that_opens_a_new_page_comes_back_to_check_your_answers(
        page: Page, base_url: str) -> None:
    """GOV.UK pattern: a changed answer that opens a page not yet answered asks it, then
    returns to check your answers, not through every later page again."""
    journey = JOURNEYS["noise-complaint"]
    pages = {p.id: p for p in journey.pages}
    walk_to_check(page, base_url, journey)
    types_q = pages["noise-types"].questions[0]
    other_label = dict(option_labels(types_q))["other"]
    page.get_by_role("link", name=f"Change {types_q.label}", exact=True).click()
    arrive(page, re.compile(r"/noise-types\?change=1$"))
    choose(group(page, types_q).get_by_role("checkbox", name=other_label, exact=True))
    page.get_by_role("button", name="Save and return to check your answers").click()

    other_q = pages["other-noise"].questions[0]
    arrive(page, re.compile(r"/other-noise(\?change=1)?$"))
    page.get_by_label(label_text(other_q), exact=True).fill("Drilling")
    expect(page.get_by_role("button", name="Save and return to check your answers")
           ).to_be_visible()
    page.get_by_role("button", name="Save and return to check your answers").click()
    arrive(page, page_url(base_url, journey.journey, "check"))
    expect(summary_row(page, other_q.id)).to_contain_text("Drilling")


def test_dates_are_written_the_british_way(page: Page, base_url: str, track_limit: None
                                           ) -> None:
    """A Scottish council writes 3 November 2026, not November 3, 2026: on check your
    answers and on the tracking page."""
    journey = JOURNEYS["noise-complaint"]
    first = next(p for p in journey.pages if p.id == "first-date").questions[0]
    walk = walk_to_check(page, base_url, journey)
    when = date.fromisoformat(walk.given[first.id].stored)
    value = summary_row(page, first.id).locator(".ds_summary-list__value")
    expect(value).to_have_text(long_date(when))
    reference = send(page, base_url, journey)
    expect_tracked(page, base_url, reference)
    expect(page.get_by_text(re.compile(r"^Sent on"))).to_have_text(
        f"Sent on {long_date(date.today())}")


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "no-javascript"])
def test_contact_details_reveal_the_field_for_the_way_chosen(
        browser: Browser, base_url: str, scripts: bool) -> None:
    """Same-page conditions: with JS the email or phone field shows under its option;
    without JS every field shows, and only the chosen one is read."""
    journey = JOURNEYS["pest-control"]
    context = browser.new_context(java_script_enabled=scripts, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/services/{journey.journey}/contact")
        questions = {q.id: q for q in contact_form(journey).pages[0].questions}
        email = page.get_by_label(label_text(questions["email"]), exact=True)
        phone = page.get_by_label(label_text(questions["phone"]), exact=True)
        how = group(page, questions["how"])
        if scripts:
            expect(email).to_be_hidden()
            expect(phone).to_be_hidden()
            choose(how.get_by_role("radio", name="Phone or text message", exact=True))
            expect(phone).to_be_visible()
            expect(email).to_be_hidden()
            choose(how.get_by_role("radio", name="Email", exact=True))
            expect(email).to_be_visible()
            expect(phone).to_be_hidden()
        else:
            expect(email).to_be_visible()
            expect(phone).to_be_visible()
            choose(how.get_by_role("radio", name="Email", exact=True))
        page.get_by_label(label_text(questions["name"]), exact=True).fill(NAME)
        email.fill(EMAIL)
        if not scripts:  # a field for the way not chosen is not read, nor checked
            phone.fill("not a phone number")
        page.get_by_role("button", name="Continue").click()
        # the journey has no answers yet, so the check page sends us to its first page
        arrive(page, page_url(base_url, journey.journey, journey.pages[0].id))
    finally:
        context.close()
