"""The notification outbox end to end over HTTP: what residents get (email and text, in
their language), the headers email needs, stopping without signing in, and the way each
request's events become messages (the web, sync and casework paths)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from server import i18n
from server.db import update_choices
from server.notify import links
from server.notify.sms_length import measure
from tests import queries
from tests.journey_answers import page_fields
from tests.notify_support import (
    BOTH,
    EMAIL,
    MOBILE,
    change_status,
    new_request,
    notifications,
    notify_app,
    settled,
)
from tests.support import csrf
from tests.sync_support import Device, mutation

ORIGIN = "http://localhost:8000"
REFERENCE = re.compile(r"MLC-[2-9A-Z]{4}-[2-9A-Z]{4}")


@pytest.fixture
def world(make_app, mailbox, notify):
    return notify_app(make_app, mailbox, notify)


def walk_web_journey(client: TestClient, app, slug: str, contact: dict[str, str],
                     language: str | None = None) -> str:
    """Every page of a journey through the web form, the contact page as given; the
    reference from the confirmation page."""
    if language:
        client.get(f"/language/{language}", follow_redirects=False)
    journey = app.state.forms.latest(slug)
    url, chosen = f"/services/{slug}/{journey.pages[0].id}", {}
    for _ in range(40):
        page_id = url.rsplit("/", 1)[1]
        page = client.get(url)
        if page_id == "check":
            break
        data = dict(contact) if page_id == "contact" else page_fields(
            next(p for p in journey.pages if p.id == page_id), chosen)
        response = client.post(url, data={**data, "csrf_token": csrf(page.text)},
                               headers={"Origin": ORIGIN}, follow_redirects=False)
        assert response.status_code == 303, (url, response.text[:2000])
        url = response.headers["location"]
    done = client.post(url, data={"csrf_token": csrf(page.text)}, headers={"Origin": ORIGIN})
    return REFERENCE.search(done.text).group(0)


def test_a_request_sent_on_the_web_is_acknowledged_by_email_and_text(world, mailbox, notify):
    with world.client() as client:
        reference = walk_web_journey(client, world.app, "pest-control", BOTH)
        mail = mailbox.wait_for(EMAIL)
        text = notify.wait_for(MOBILE)
    assert mail["Subject"] == f"We have received your request {reference}"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert re.fullmatch(r"<[0-9a-f-]{36}@localhost>", mail["Message-ID"])
    assert mail["List-Unsubscribe"].startswith(f"<{ORIGIN}/updates/stop/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    # What happens next and by when (the service's definition: 5 working days).
    assert "We aim to reply by " in plain and "What happens next" in plain
    assert "A pest control officer will look at your request." in plain
    assert f"{ORIGIN}/track/" in plain and f"{ORIGIN}/track/" in html
    assert "<h1>We have received your request</h1>" in html and "<img" not in html
    assert '<meta name="color-scheme" content="light dark">' in html
    assert reference in text.body and "STOP" in text.body
    assert f"{ORIGIN}/r/{reference.replace('-', '')}" in text.body
    length = measure(text.body)
    assert (length.encoding, length.fragments) == ("GSM", 1), length
    # The short link leads to the request's page.
    with world.client() as client:
        short = re.search(r"http://\S+/r/\S+", text.body).group(0).removeprefix(ORIGIN)
        landed = client.get(short, follow_redirects=False)
        assert landed.status_code == 303 and "/track/" in landed.headers["location"]
        assert reference in client.get(landed.headers["location"]).text
        assert client.get(short[:-1] + ("A" if short[-1] != "A" else "B")).status_code == 404


def test_a_gaelic_request_is_told_in_gaelic(world, mailbox, notify):
    with world.client():
        found = new_request(world, locale="gd")
        mailbox.wait_for(EMAIL)
        change_status(world, found.id, "in_progress", "Tha sinn a' coimhead air.")
        settled(world, found.id)
    gd = i18n.Gettext("gd")
    subject = gd.gettext("Your request %(reference)s has been updated",
                         reference=found.reference)
    assert subject != f"Your request {found.reference} has been updated"
    assert mailbox.to(EMAIL)[-1]["Subject"] == subject
    assert mailbox.to(EMAIL)[-1]["Content-Language"] == "gd"
    html = mailbox.to(EMAIL)[-1].get_body(("html",)).get_content()
    assert '<html lang="gd"' in html and "Tha sinn a&#39; coimhead air." in html
    texts = notify.texts_to(MOBILE)
    assert len(texts) == 2 and gd.gettext("Being dealt with") in texts[-1].body


def test_each_public_change_tells_the_resident_what_the_trigger_table_says(world, mailbox):
    with world.client():
        found = new_request(world, {**BOTH, "updates": "email"})
        change_status(world, found.id, "waiting_resident", "Send us a photo of the droppings.")
        change_status(world, found.id, "waiting_resident", "")  # nothing new: nothing sent
        change_status(world, found.id, "waiting_resident", "Any photo will do.")  # a message
        change_status(world, found.id, "resolved", "We laid traps.")
        rows = settled(world, found.id)
    assert [r["template"] for r in rows] == ["acknowledgement", "information_requested",
                                             "message", "closed"]
    assert {r["channel"] for r in rows} == {"email"}  # they chose email only
    subjects = [m["Subject"] for m in mailbox.to(EMAIL)]
    assert f"We need more information about your request {found.reference}" in subjects
    asked = next(m for m in mailbox.to(EMAIL) if "more information" in m["Subject"])
    body = asked.get_body(("plain",)).get_content()
    assert "Send us a photo of the droppings." in body and f"{ORIGIN}/track/" in body
    closed = mailbox.to(EMAIL)[-1].get_body(("plain",)).get_content()
    assert "We laid traps." in closed
    assert "How satisfied are you with how we dealt with your request?" in closed
    assert f"{ORIGIN}/survey/" in closed


def test_the_satisfaction_survey_stores_one_answer_per_request(world, mailbox):
    from server.db import satisfaction
    with world.client() as client:
        found = new_request(world, {**BOTH, "updates": "none"})
        path = f"/survey/{links.survey_code(world.settings, found.reference, found.id)}"
        page = client.get(path)
        assert page.status_code == 200
        assert "How satisfied are you with how we dealt with your request?" in page.text
        empty = client.post(path, data={"csrf_token": csrf(page.text)},
                            headers={"Origin": ORIGIN})
        assert empty.status_code == 400 and 'href="#score-5"' in empty.text
        hostile = client.post(path, data={"csrf_token": csrf(page.text), "score": "9"},
                              headers={"Origin": ORIGIN})
        assert hostile.status_code == 400
        for score in ("2", "4"):  # answering again replaces the answer
            done = client.post(path, data={"csrf_token": csrf(page.text), "score": score,
                                           "comment": "Quick and kind"},
                               headers={"Origin": ORIGIN})
            assert done.status_code == 200 and "Thank you for your answer" in done.text
        assert client.get(path.replace("/survey/", "/survey/X")).status_code == 404
        other = links.survey_code(world.settings, found.reference, "another-request")
        assert client.get(f"/survey/{other}").status_code == 404
    answer = world.store.read_sync(satisfaction.answer_for, found.id)
    assert (answer.score, answer.comment) == (4, "Quick and kind")
    counts = world.store.read_sync(satisfaction.weekly_counts)
    assert [(c[0], c[2], c[3]) for c in counts] == [("environmental-health", 4, 1)]
    assert re.fullmatch(r"\d{4}-W\d{2}", counts[0][1])


def test_one_click_unsubscribe_stops_emails_without_signing_in(world, mailbox, notify):
    with world.client():
        found = new_request(world)
        stop_url = mailbox.wait_for(EMAIL)["List-Unsubscribe"].strip("<>")
    path = stop_url.removeprefix(ORIGIN)
    with TestClient(world.app, base_url=ORIGIN) as stranger:  # no cookie, no CSRF token
        looked = stranger.get(path)  # a mail scanner opening the link stops nothing
        assert looked.status_code == 200 and "Do you want to stop" in looked.text
        assert world.store.read_sync(update_choices.stops_for, EMAIL) == []
        stopped = stranger.post(path, data={"List-Unsubscribe": "One-Click"})
        assert stopped.status_code == 200 and "We will not send you any more emails" in (
            stopped.text)
        stranger.post(path, data={"List-Unsubscribe": "One-Click"})  # twice: harmless
        assert stranger.post(path[:-3] + "xyz").status_code == 404  # forged
        change_status(world, found.id, "in_progress")
        rows = settled(world, found.id)
    assert world.store.read_sync(update_choices.stops_for, EMAIL)[0] == (
        "email", found.id, "one_click")
    assert [r["channel"] for r in rows if r["template"] == "status_changed"] == ["sms"]
    assert len(mailbox.to(EMAIL)) == 1 and len(notify.texts_to(MOBILE)) == 2


def test_a_request_pushed_by_an_app_is_acknowledged_in_the_same_transaction(world, mailbox):
    """An app queued before the updates question existed: updates the way it chose to be
    contacted (email, sync_support's contact)."""
    with world.client() as client:
        device = Device(client)
        result = device.results(mutation(1))[0]
        assert result["status"] == "applied"
        mail = mailbox.wait_for("ann@example.com")
        assert result["reference"] in mail["Subject"]
        again = device.results(mutation(1))  # a retry: the stored answer, no new message
        assert again[0]["reference"] == result["reference"]
    rows = notifications(world)
    assert [(r["template"], r["channel"]) for r in rows] == [("acknowledgement", "email")]
    assert world.store.read_sync(queries.row_counts)["notifications"] == 1


def test_the_contact_page_asks_how_to_get_updates_and_uses_the_answer(world):
    with world.client() as client:
        page = client.get("/services/pest-control/contact").text
        assert "How would you like to get updates?" in page
        for value in ("email", "text", "both", "none"):
            assert f'id="updates-{value}"' in page
        # "both" reveals the email address and the phone number, each asked once.
        assert 'data-tb-reveal="email-when phone-when"' in page
        assert page.count('name="email"') == 1 and page.count('name="phone"') == 1
        walk_web_journey(client, world.app, "pest-control",
                         {"name": "Ann", "how": "email", "email": EMAIL, "updates": "text",
                          "phone": "07912 345678"})
        rows = settled(world)
    assert [(r["template"], r["channel"]) for r in rows] == [("acknowledgement", "sms")]
    assert world.store.read_sync(lambda db: db.execute(
        "SELECT contact_email, contact_phone FROM requests").fetchone()) == (EMAIL, MOBILE)


def test_an_account_sets_its_default_and_the_contact_page_offers_it(world):
    from tests.passkey_authenticator import resident, sign_in_with_new_passkey
    with world.client() as client:
        sign_in_with_new_passkey(client, world.store, ORIGIN, "resident",
                                 resident(world.store, EMAIL))
        page = client.get("/account/updates")
        assert page.status_code == 200 and "(optional)" not in page.text
        empty = client.post("/account/updates", data={"csrf_token": csrf(page.text)},
                            headers={"Origin": ORIGIN})
        assert empty.status_code == 400 and 'href="#updates-email"' in empty.text
        hostile = client.post("/account/updates", data={"csrf_token": csrf(page.text),
                                                         "updates": "everything"},
                              headers={"Origin": ORIGIN})
        assert hostile.status_code == 400
        saved = client.post("/account/updates", data={"csrf_token": csrf(page.text),
                                                       "updates": "text"},
                            headers={"Origin": ORIGIN}, follow_redirects=False)
        assert saved.status_code == 303
        assert "Your choice is saved" in client.get(saved.headers["location"]).text
        contact = client.get("/services/pest-control/contact").text
        assert re.search(r'id="updates-text"[^>]*checked', contact)
