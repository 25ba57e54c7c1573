"""Issue 15, "What a newcomer found", resident side, over HTTP: hints said once, the date
field in error highlighted, back after sending, save and come back later, the council's
own postcode districts, phone numbers as tel: links, feedback, location in words."""

from __future__ import annotations

import re
from datetime import date

import pytest

from server.db import continue_links
from server.db import feedback as feedback_db
from server.forms.questions import Question
from server.journeys.question_page import date_example
from server.rendering import tel_links
from tests.journey_answers import CONTACT, page_fields
from tests.notify_support import wait_until
from tests.support import csrf

ORIGIN = {"Origin": "http://localhost:8000"}


def post(client, url, data, page=None):
    page = page if page is not None else client.get(url)
    return client.post(url, data={**data, "csrf_token": csrf(page.text)}, headers=ORIGIN,
                       follow_redirects=False)


def answer(client, app, slug, upto=None):
    """Answer pages in order, stopping before `upto` (or at check your answers)."""
    journey = app.state.forms.latest(slug)
    chosen: dict = {}
    url = f"/services/{slug}/{journey.pages[0].id}"
    while True:
        page_id = url.split("?")[0].rsplit("/", 1)[1]
        if page_id in ("check", upto):
            return url
        data = dict(CONTACT) if page_id == "contact" else page_fields(
            next(p for p in journey.pages if p.id == page_id), chosen)
        r = post(client, url, data)
        assert r.status_code == 303, (url, r.text[:2000])
        url = r.headers["location"]


def invalid_inputs(html: str) -> list[str]:
    return re.findall(r'id="([\w-]+)"[^>]*aria-invalid="true"', html)


# --- 3: hints and examples ------------------------------------------------------------


def test_a_date_question_gives_one_example_on_the_right_side_of_today():
    today = date(2026, 12, 2)
    birth = Question(id="b", type="date", label="b", hint="For example, 27 3 1950.", when="past")
    assert date_example(birth, today) is None  # its own example is the only one
    assert date_example(Question(id="w", type="date", label="w", when="future"),
                        today) == "27 3 2027"
    assert date_example(Question(id="p", type="date", label="p", when="past"),
                        today) == "27 3 2025"


def test_date_page_shows_one_example(client):
    html = client.get("/services/noise-complaint/first-date").text
    assert len(re.findall(r"\b\d{1,2} \d{1,2} \d{4}\b", html)) == 1


def test_a_date_in_the_wrong_place_highlights_the_whole_date_a_bad_year_only_the_year(client):
    url = "/services/noise-complaint/first-date"
    future = post(client, url, {"first_date-day": "27", "first_date-month": "3",
                                "first_date-year": str(date.today().year + 2)})
    assert sorted(invalid_inputs(future.text)) == ["first_date-day", "first_date-month",
                                                   "first_date-year"]
    year = post(client, url, {"first_date-day": "27", "first_date-month": "3",
                              "first_date-year": "20266"})
    assert invalid_inputs(year.text) == ["first_date-year"]
    blank = post(client, url, {"first_date-day": "27", "first_date-month": "",
                               "first_date-year": ""})
    assert sorted(invalid_inputs(blank.text)) == ["first_date-month", "first_date-year"]


def test_file_questions_do_not_state_their_limits_in_their_hints_too(app):
    """The page states the limits from max_files and max_bytes; a hint saying them again,
    in other words, was the photos page's contradiction."""
    said_twice = [f"{j.journey}/{q.id}" for j in app.state.forms.journeys()
                  for p in j.pages for q in p.questions
                  if q.type == "file" and q.hint
                  and re.search(r"\bMB\b|\d+ (photos|files)", q.hint)]
    assert not said_twice


def test_a_location_answer_is_never_shown_as_coordinates(app):
    from server.journeys.answers_display import answer_lines
    q = Question(id="m", type="location", label="m")
    lines = answer_lines(q, {"lat": 55.89361, "lng": -3.06802}, lambda s: s, str, {})
    assert lines == ["Location recorded, accurate to about 20 metres"]


def test_without_a_map_the_location_question_says_what_it_does(client):
    html = client.get("/services/tree-enquiry/tree-location").text
    assert "on a map" not in html and 'data-tb-map' not in html
    assert "your phone can tell us where you are, to within about 20 metres" in html


# --- 7: back after sending ------------------------------------------------------------


def test_back_after_sending_says_it_was_sent_and_offers_a_new_request(client, app):
    slug = "pest-control"
    check = answer(client, app, slug)
    page = client.get(check)
    done = client.post(check, data={"csrf_token": csrf(page.text), "submission_id": re.search(
        r'name="submission_id" value="([^"]+)"', page.text).group(1)}, headers=ORIGIN)
    reference = re.search(r"MLC-[A-Z0-9]{4}-[A-Z0-9]{4}", done.text).group(0)
    first = app.state.forms.latest(slug).pages[0].id
    for back in (check, f"/services/{slug}/contact", f"/services/{slug}/{first}"):
        r = client.get(back, follow_redirects=False)
        assert r.status_code == 200 and "You have already sent this" in r.text, back
        # No reference: on a shared computer the next person may press Back (issue 10).
        assert reference not in r.text and f"/services/{slug}/{first}?new=1" in r.text
    fresh = client.get(f"/services/{slug}/{first}?new=1")
    assert "You have already sent this" not in fresh.text and 'name="pest_type"' in fresh.text
    assert f"/{first}?new=1" in client.get(f"/services/{slug}").text  # Start now: a new one
    post(client, f"/services/{slug}/{first}?new=1", page_fields(
        app.state.forms.latest(slug).pages[0], {}))
    assert "You have already sent this" not in client.get(f"/services/{slug}/check").text


# --- save and come back later ---------------------------------------------------------


@pytest.fixture
def mail_world(make_app, mailbox):
    return make_app(TOLBOOTH_SMTP_HOST="127.0.0.1", TOLBOOTH_SMTP_PORT=str(mailbox.port))


def test_continue_later_link_restores_the_answers_on_another_device_once(mail_world, mailbox):
    app = mail_world.app
    with mail_world.client() as phone:  # the lifespan runs the message sender
        answer(phone, app, "noise-complaint", upto="noise-times")
        r = post(phone, "/services/noise-complaint/save", {"how": "email",
                                                           "email": "morag@example.org"})
        assert r.status_code == 200 and "We have sent you a link" in r.text
        body = mailbox.wait_for("morag@example.org").get_body(("plain",)).get_content()
        link = re.search(r"http://localhost:8000(/continue/[\w.-]+)", body).group(1)
        assert "Dalkeith" not in link and "EH22" not in link  # no answers in the URL
        laptop = mail_world.client()
        opened = laptop.get(link)
        assert opened.status_code == 200 and "Carry on" in opened.text
        used = post(laptop, link, {}, opened)
        assert used.status_code == 303
        resumed = laptop.get(used.headers["location"], follow_redirects=True)
        assert resumed.url.path == "/services/noise-complaint/noise-times"  # the first gap
        back = laptop.get("/services/noise-complaint/source-address")
        assert 'value="Dalkeith"' in back.text  # an earlier answer came with it
        assert laptop.get(link).status_code == 410  # once only
        assert post(mail_world.client(), link, {}, opened).status_code in (403, 410)


def test_a_newer_link_revokes_the_older_and_links_expire(world, store):
    first = store.write_sync(continue_links.create, "sid-1", "pest-control", {"version": 1},
                             "email")
    second = store.write_sync(continue_links.create, "sid-1", "pest-control", {"version": 1},
                              "email")
    assert store.read_sync(continue_links.usable, first) is None
    assert store.read_sync(continue_links.usable, second) is not None
    store.write_sync(lambda db: db.execute("UPDATE continue_links SET expires_at = "
                                           "'2000-01-01T00:00:00.000Z'"))
    assert store.read_sync(continue_links.usable, second) is None


def test_continue_later_by_text_queues_one_text_and_is_rate_limited(client, app, store):
    answer(client, app, "pest-control", upto="contact")
    url = "/services/pest-control/save"
    landline = post(client, url, {"how": "text", "mobile": "0131 496 0000"})
    assert landline.status_code == 400 and "11 digits, starting 07" in landline.text
    ok = post(client, url, {"how": "text", "mobile": "07911 123456"})
    assert ok.status_code == 200
    queued = store.read_sync(lambda db: db.execute(
        "SELECT recipient, template FROM notifications WHERE channel = 'sms'").fetchall())
    assert queued == [("+447911123456", "continue_link")]
    # The sender may already have sent it (and cleared the link from the row): what
    # reached the developers' outbox holds the link.
    sent = wait_until(lambda: [m for m in app.state.sender.dev_outbox.messages
                               if m.to == "+447911123456"], what="the text")
    assert len(sent) == 1 and "/continue/" in sent[0].text
    statuses = [post(client, url, {"how": "text", "mobile": "07911 123456"}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_hostile_continue_links_are_refused(client):
    for token in ("x" * 500, "not-a-token", "..%2F..%2Fadmin", "e30.Zm9v"):
        assert client.get(f"/continue/{token}").status_code in (404, 410)


def test_nothing_to_save_before_the_first_answer(client):
    r = client.get("/services/noise-complaint/save", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/services/noise-complaint"


# --- the council's own postcode districts ---------------------------------------------


def test_an_address_outside_the_council_says_whom_to_contact_and_lets_the_person_go_on(client):
    url = "/services/noise-complaint/source-address"
    fields = {"source_address-line1": "1 High Street", "source_address-town": "Edinburgh",
              "source_address-postcode": "eh1 1ye"}
    warned = post(client, url, fields)
    assert warned.status_code == 200
    assert "City of Edinburgh Council" in warned.text and "gov.uk/find-local-council" in \
        warned.text
    assert 'name="source_address-outside-ok" value="EH1 1YE"' in warned.text
    insist = post(client, url, {**fields, "source_address-outside-ok": "EH1 1YE"})
    assert insist.status_code == 303  # a border address: the person knows best
    unknown = post(client, url, {**fields, "source_address-postcode": "G1 1XQ"})
    assert "find your local council" in unknown.text
    inside = post(client, url, {**fields, "source_address-postcode": "EH37 5UB"})
    assert inside.status_code == 303  # a district shared with a neighbour: no warning


# --- phone numbers and feedback -------------------------------------------------------


def test_phone_numbers_become_tel_links_and_nothing_else_does():
    html = str(tel_links("Call 0131 270 7500 or 999, not 27 3 2026 or MLC-7K3P-Q9X2 <b>"))
    assert re.findall(r'href="(tel:[^"]+)"', html) == ["tel:+441312707500", "tel:999"]
    assert "&lt;b&gt;" in html


def test_help_page_numbers_dial(client):
    html = client.get("/help").text
    assert 'href="tel:999"' in html and 'href="tel:+441312707500"' in html


def test_feedback_needs_no_sign_in_asks_nothing_personal_and_admins_see_it(client, store):
    form = client.get("/feedback?from=/services/noise-complaint?q=secret")
    assert "name=\"email\"" not in form.text and "name=\"name\"" not in form.text
    missing = post(client, "/feedback", {}, form)
    assert missing.status_code == 400 and "Select how you feel about this service" in \
        missing.text
    sent = post(client, "/feedback", {"satisfaction": "satisfied", "comment": " Easy  to use ",
                                      "from": "/services/noise-complaint?q=secret"}, form)
    assert sent.status_code == 200 and "Thank you" in sent.text
    results = store.read_sync(feedback_db.results)
    assert results.counts["satisfied"] == 1 and results.total == 1
    assert results.comments[0].comment == "Easy to use"
    assert results.comments[0].page == "/services/noise-complaint"  # never the query
    too_long = post(client, "/feedback", {"satisfaction": "neutral", "comment": "a" * 1300},
                    form)
    assert too_long.status_code == 400


# --- service search -------------------------------------------------------------------


@pytest.mark.parametrize("query, journey", [
    ("nosie", "noise-complaint"), ("mum needs help at home", "care-needs-assessment"),
    ("peests", "pest-control"), ("tree", "tree-enquiry"),
])
def test_search_forgives_typos_and_plain_words(client, query, journey):
    html = client.get(f"/services?q={query}").text
    found = re.findall(r'class="tb-journey-list__link" href="/services/([\w-]+)"', html)
    assert found == [journey]
    assert "midlothian.gov.uk" not in html  # nothing this service does elsewhere


def test_search_points_to_the_main_website_for_what_it_does_not_do(client):
    html = client.get("/services?q=my bin was not collected").text
    assert "On the council’s main website" in html and "bins_and_recycling" in html
    assert "Council Tax" not in html


def test_search_works_in_the_persons_language(client):
    client.cookies.set("tolbooth_lang", "pl")
    html = client.get("/services?q=hałas").text
    assert 'href="/services/noise-complaint"' in html
