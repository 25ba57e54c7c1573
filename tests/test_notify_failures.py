"""When sending goes wrong: SMTP down (for an hour), Notify answering 500, addresses and
numbers refused for good, messages no longer worth sending, and forged or repeated
callbacks. Back-off is shortened by the settings (first wait 0.05 s, longest 0.2 s)."""

from __future__ import annotations

import json

import pytest
from aiosmtpd.controller import Controller
from starlette.testclient import TestClient

from server.db import request_tasks, update_choices
from tests.mailbox import Mailbox
from tests.notify_support import (
    BOTH,
    CALLBACK_TOKEN,
    EMAIL,
    MOBILE,
    change_status,
    new_request,
    notifications,
    notify_app,
    settled,
    wait_until,
)
from tests.passkey_authenticator import sign_in_with_new_passkey, staff_id
from tests.support import free_port

TEXT_ONLY = {**BOTH, "how": "phone", "updates": "text"}
EMAIL_ONLY = {**BOTH, "updates": "email"}
OFFICER = "eh.officer@midlothian.example"


def test_smtp_down_for_an_hour_every_message_arrives_once_it_is_back(make_app):
    port = free_port()  # nothing listens here yet: SMTP is down
    world = notify_app(make_app, None, None, TOLBOOTH_SMTP_HOST="127.0.0.1",
                       TOLBOOTH_SMTP_PORT=str(port))
    with world.client():
        made = [new_request(world, EMAIL_ONLY | {"email": f"r{i}@example.org"})
                for i in range(5)]
        wait_until(lambda: all(r["attempts"] >= 3 for r in notifications(world)),
                   what="three failed tries each")
        rows = notifications(world)
        assert {r["status"] for r in rows} <= {"queued", "sending"}
        assert all("connect" in (r["last_error"] or "") for r in rows if r["attempts"])
        # As after an hour of back-off: queued an hour ago, tried many times; still
        # worth sending (an update is worth sending for three days).
        world.store.write_sync(lambda db: db.execute(
            "UPDATE notifications SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now',"
            " '-1 hour'), attempts = 12"))
        mailbox = Mailbox(port)
        controller = Controller(mailbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            rows = settled(world)
        finally:
            controller.stop()
    assert {r["status"] for r in rows} == {"sent"}
    assert sorted(m["To"] for m in mailbox.messages) == sorted(
        f"r{i}@example.org" for i in range(5))
    assert len({m["Message-ID"] for m in mailbox.messages}) == 5
    assert all(world.store.read_sync(request_tasks.open_tasks, r.id) == [] for r in made)


def test_smtp_4xx_is_retried_and_5xx_for_the_address_stops_at_once(make_app, mailbox):
    world = notify_app(make_app, mailbox, None)
    mailbox.fail_next(2)  # 451, 451, then accepted
    mailbox.refuse("gone@example.org")
    with world.client():
        kept = new_request(world, EMAIL_ONLY)
        refused = new_request(world, EMAIL_ONLY | {"email": "gone@example.org"})
        rows = {r["recipient"]: r for r in settled(world)}
        assert rows[EMAIL]["status"] == "sent" and rows[EMAIL]["attempts"] == 3
        assert rows["gone@example.org"]["status"] == "failed"
        assert rows["gone@example.org"]["attempts"] == 1
        assert rows["gone@example.org"]["last_error"].startswith("550")
        # Marked: the next update to that address is not tried, and the officer is asked
        # to phone.
        change_status(world, refused.id, "in_progress")
        later = settled(world, refused.id)
    assert later[-1]["status"] == "suppressed"
    assert mailbox.answered.count(550) == 1
    tasks = world.store.read_sync(request_tasks.open_tasks, refused.id)
    assert [t.kind for t in tasks] == ["contact_failed"]
    assert world.store.read_sync(request_tasks.open_tasks, kept.id) == []
    assert len(mailbox.to(EMAIL)) == 1


def test_notify_answering_500_is_retried_until_it_takes_the_text(make_app, notify):
    world = notify_app(make_app, None, notify)
    notify.fail_next(3, status=500)
    with world.client():
        new_request(world, TEXT_ONLY)
        rows = settled(world)
    assert notify.answered == [500, 500, 500, 201]
    assert rows[0]["status"] == "sent" and rows[0]["attempts"] == 4
    assert len(notify.accepted) == 1


def test_notify_429_is_retried_and_a_refused_number_is_not_tried_again(make_app, notify):
    world = notify_app(make_app, None, notify)
    notify.fail_next(1, status=429)
    with world.client():
        first = new_request(world, TEXT_ONLY)
        settled(world)
        # Notify refuses a number it cannot text (a landline): permanent, marked.
        landline = new_request(world, TEXT_ONLY | {"phone": "+441312707500"})
        rows = settled(world, landline.id)
        assert rows[0]["status"] == "failed" and "phone_number" in rows[0]["last_error"]
        change_status(world, landline.id, "in_progress")
        assert settled(world, landline.id)[-1]["status"] == "suppressed"
    assert notify.answered == [429, 201, 400]
    assert world.store.read_sync(request_tasks.open_tasks, first.id) == []
    assert world.store.read_sync(update_choices.unreachable, ["+441312707500"])


def test_a_message_no_longer_worth_sending_is_given_up(make_app, mailbox):
    world = notify_app(make_app, mailbox, None)
    found = new_request(world, EMAIL_ONLY)  # queued while nothing sends (no lifespan)
    world.store.write_sync(lambda db: db.execute(
        "UPDATE notifications SET send_before = '2020-01-01T00:00:00.000Z'"))
    with world.client():
        rows = settled(world)
    assert rows[0]["status"] == "expired" and rows[0]["params"] is None
    assert not mailbox.messages
    assert [t.kind for t in world.store.read_sync(request_tasks.open_tasks, found.id)] == [
        "contact_failed"]


# --- callbacks ---------------------------------------------------------------------------


@pytest.fixture
def texted(make_app, notify):
    world = notify_app(make_app, None, notify)
    with world.client() as client:
        found = new_request(world, TEXT_ONLY)
        text = notify.wait_for(MOBILE)
        settled(world)
        yield world, client, found, text


def _statuses(world):
    return [(r["status"], r["last_error"]) for r in notifications(world)]


@pytest.mark.parametrize("headers, body, status", [
    ({}, "receipt", 401),  # no token
    ({"Authorization": "Bearer not-the-token"}, "receipt", 401),
    ({"Authorization": f"Basic {CALLBACK_TOKEN}"}, "receipt", 401),
    ("token", b"{not json", 400),
    ("token", b"[1, 2]", 400),
    ("token", {"id": "0d5d1b2e-0000-4000-8000-000000000000", "status": "delivered"}, 404),
    ("token", {"status": "delivered"}, 400),  # no id
    ("token", "bad status", 400),
    ("token", b"x" * 20000, 413),
])
def test_forged_or_broken_receipts_change_nothing(texted, notify, headers, body, status):
    world, client, _found, text = texted
    before = _statuses(world)
    if headers == "token":
        headers = {"Authorization": f"Bearer {CALLBACK_TOKEN}"}
    if body == "receipt":
        body = notify.receipt(text)
    elif body == "bad status":
        body = {**notify.receipt(text), "status": "opened"}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = client.post("/notify/callbacks/delivery", content=content,
                         headers={**headers, "Content-Type": "application/json"})
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    assert _statuses(world) == before


def test_a_receipt_marks_the_text_delivered_and_twice_is_harmless(texted, notify):
    world, client, _found, text = texted
    for _ in range(2):
        assert notify.post_receipt(client, text, CALLBACK_TOKEN).status_code == 200
    assert _statuses(world) == [("delivered", None)]
    # A later failure receipt does not undo a delivery.
    notify.post_receipt(client, text, CALLBACK_TOKEN, "temporary-failure")
    assert _statuses(world) == [("delivered", None)]
    wrong_reference = {**notify.receipt(text), "reference": "someone-else"}
    assert notify.post_callback(client, "/notify/callbacks/delivery", wrong_reference,
                                CALLBACK_TOKEN).status_code == 404


def test_a_permanent_failure_marks_the_number_and_tells_the_officer(texted, notify):
    world, client, found, text = texted
    assert notify.post_receipt(client, text, CALLBACK_TOKEN,
                               "permanent-failure").status_code == 200
    assert _statuses(world) == [("failed", "permanent-failure")]
    officer = TestClient(world.app, base_url=world.settings.origin)
    sign_in_with_new_passkey(officer, world.store, world.settings.origin, "staff",
                             staff_id(world.store, OFFICER))
    page = officer.get(f"/staff/requests/{found.id}").text
    assert "Text failed" in page and "Cannot be reached" in page
    assert "We could not reach the resident with an update: phone them." in page
    change_status(world, found.id, "in_progress")
    assert settled(world, found.id)[-1]["status"] == "suppressed"
    assert len(notify.accepted) == 1  # not tried again
    task = world.store.read_sync(request_tasks.open_tasks, found.id)[0]
    page = officer.get(f"/staff/requests/{found.id}").text
    from tests.support import csrf
    done = officer.post(f"/staff/requests/{found.id}/tasks/{task.id}/done",
                        data={"csrf_token": csrf(page)},
                        headers={"Origin": world.settings.origin}, follow_redirects=False)
    assert done.status_code == 303
    assert world.store.read_sync(request_tasks.open_tasks, found.id) == []


def test_a_reply_by_text_goes_on_the_newest_open_request_of_a_proven_number(texted, notify):
    from server.db.requests import public_events
    world, client, found, text = texted
    source = MOBILE.removeprefix("+")
    unproven = notify.post_received_text(client, source, "Here is more", CALLBACK_TOKEN)
    assert unproven.json() == {"status": "unmatched"}  # not delivered yet: not proven
    notify.post_receipt(client, text, CALLBACK_TOKEN)
    body = notify.received_text(source, "The rats are back in the shed")
    for _ in range(2):  # Notify sending the same callback twice
        answer = notify.post_callback(client, "/notify/callbacks/received-text", body,
                                      CALLBACK_TOKEN)
        assert answer.status_code == 200
    added = [e for e in world.store.read_sync(public_events, found.id)
             if e.kind == "information_added"]
    assert [(e.message, e.actor) for e in added] == [("The rats are back in the shed",
                                                      "resident:text")]
    stranger = notify.post_received_text(client, "447912999999", "Hello", CALLBACK_TOKEN)
    assert stranger.json() == {"status": "unmatched"}
    assert notify.post_received_text(client, source, "x", "wrong-token").status_code == 401
    bad = notify.post_callback(client, "/notify/callbacks/received-text",
                               {**body, "source_number": "not a number"}, CALLBACK_TOKEN)
    assert bad.status_code == 400


def test_stop_by_text_stops_texts_and_is_recorded(texted, notify, mailbox):
    world, client, found, _text = texted
    answer = notify.post_received_text(client, MOBILE.removeprefix("+"), "Stop",
                                       CALLBACK_TOKEN)
    assert answer.json() == {"status": "stop"}
    assert world.store.read_sync(update_choices.stops_for, MOBILE) == [
        ("sms", None, "stop_text")]
    change_status(world, found.id, "resolved", "Done")
    assert settled(world, found.id)[-1]["status"] == "suppressed"
    assert len(notify.accepted) == 1


def test_callbacks_are_refused_when_no_token_is_set(make_app):
    world = make_app()
    with world.client() as client:
        answer = client.post("/notify/callbacks/delivery", json={},
                             headers={"Authorization": "Bearer "})
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
