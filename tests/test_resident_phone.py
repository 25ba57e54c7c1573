"""Residents' mobile numbers: a texted one-time link (through GOV.UK Notify's official
client, to a stub on a real port that checks the JWT) proves the number, and then "my
requests" includes requests made with it, also ones made before."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from server.db import Store
from server.db import requests as requests_db
from tests import queries
from tests.journey_answers import page_fields
from tests.notify_stub import NotifyStub
from tests.passkey_authenticator import csrf, resident, sign_in_with_new_passkey
from tests.support import TestApp

ORIGIN = "http://localhost:8000"
MOBILE = "+447912345678"  # the stub is the only place it goes
TYPED = "07912 345 678"
FIRST = "first.phone@example.com"
SECOND = "second.phone@example.com"


@pytest.fixture
def world(make_app: Callable[..., TestApp], notify: NotifyStub) -> TestApp:
    return make_app(TOLBOOTH_NOTIFY_API_KEY=notify.api_key,
                    TOLBOOTH_NOTIFY_BASE_URL=notify.url,
                    TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID=notify.template_id)


def signed_in(world: dict[str, Any], email: str) -> TestClient:
    """A signed-in client; `with` it to run the app's lifespan (the text sender)."""
    client = TestClient(world.app, base_url=ORIGIN)
    sign_in_with_new_passkey(client, world.store, ORIGIN, "resident",
                             resident(world.store, email))
    return client


def post(client: TestClient, path: str, data: dict[str, str], page: str) -> Any:
    token = csrf(client.get(page).text)
    return client.post(path, data={"csrf_token": token, **data}, headers={"Origin": ORIGIN},
                       follow_redirects=False)


def ask_for_link(client: TestClient, typed: str = TYPED) -> Any:
    return post(client, "/account/phone", {"phone": typed}, "/account/phone")


def request_with_phone(store: Store, phone: str) -> str:
    new = requests_db.NewRequest(
        id=str(uuid.uuid4()), journey="noise-complaint", service="environmental-health",
        form_version=1, answers={"details": "Loud music"}, channel="web",
        special_category=False, contact_name="Phone Person", contact_email=None,
        contact_phone=phone, locale="en")
    made = store.write_sync(requests_db.create_request, new,
                            lambda: f"MLC-{uuid.uuid4().hex[:9].upper()}")
    return str(made.request.id)


def test_the_text_reaches_notify_with_a_valid_jwt_and_the_number(world, notify):
    with signed_in(world, FIRST) as client:
        sent = ask_for_link(client)
        assert sent.status_code == 303 and sent.headers["location"] == "/account/phone"
        text = notify.wait_for(MOBILE)
        assert text.claims["iss"] == notify.service_id
        assert text.template_id == notify.template_id
        assert set(text.personalisation) == {"body"}
        # Our notification's id: a text sent twice (a crash in between) is recognisable.
        assert re.fullmatch(r"[0-9a-f-]{36}", text.reference or "")
        assert f"{ORIGIN}/account/phone/verify/" in text.body
        page = client.get("/account/phone").text
        assert "We have sent a text message with a link to 07912 345678" in page


def test_requests_made_earlier_with_the_number_appear_only_after_it_is_verified(
        world, notify):
    earlier = request_with_phone(world.store, MOBILE)
    with signed_in(world, FIRST) as client:
        assert earlier not in client.get("/account/requests").text
        ask_for_link(client)
        # Asked for but not yet proven: an unverified number matches nothing.
        assert earlier not in client.get("/account/requests").text
        assert client.get(f"/account/requests/{earlier}").status_code == 404
        path = notify.link_in(MOBILE).removeprefix(ORIGIN)
        assert client.get(path).status_code == 200  # opening it does not use it
        assert earlier not in client.get("/account/requests").text
        used = post(client, path, {}, path)
        assert used.status_code == 303
        assert "Your mobile number is confirmed" in client.get(used.headers["location"]).text
        assert f"/account/requests/{earlier}" in client.get("/account/requests").text
        assert client.get(f"/account/requests/{earlier}").status_code == 200
        # The link worked once.
        assert client.get(path).status_code == 410
        again = post(client, path, {}, "/account/phone")
        assert again.status_code == 410 and "has already been used" in again.text


def send_journey_with_phone(client: TestClient, app: Any, slug: str, typed: str) -> str:
    """Walk a journey over HTTP, giving a phone number as the contact; its reference."""
    journey, chosen = app.state.forms.latest(slug), {}
    url = f"/services/{slug}/{journey.pages[0].id}"
    while not url.endswith("/check"):
        page_id = url.rsplit("/", 1)[1]
        data = {"name": "Phone Person", "how": "phone", "phone": typed} \
            if page_id == "contact" else \
            page_fields(next(p for p in journey.pages if p.id == page_id), chosen)
        answered = post(client, url, data, url)
        assert answered.status_code == 303, answered.text[:2000]
        url = answered.headers["location"]
    check = client.get(url).text
    submission = re.search(r'name="submission_id" value="([^"]+)"', check).group(1)
    sent = post(client, url, {"submission_id": submission}, url)
    assert sent.status_code == 303, sent.text[:2000]
    done = client.get(sent.headers["location"]).text
    return re.search(r"\bMLC-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b", done).group(0)


def test_a_request_made_through_the_web_journey_with_the_number_appears(world, notify):
    with signed_in(world, FIRST) as client:
        reference = send_journey_with_phone(client, world.app, "noise-complaint", TYPED)
        ask_for_link(client)
        assert reference not in client.get("/account/requests").text
        path = notify.link_in(MOBILE).removeprefix(ORIGIN)
        assert post(client, path, {}, path).status_code == 303
        assert reference in client.get("/account/requests").text


def test_a_second_resident_cannot_verify_the_number_with_the_first_ones_link(world, notify):
    theirs = request_with_phone(world.store, MOBILE)
    with signed_in(world, FIRST) as first:
        ask_for_link(first)
        path = notify.link_in(MOBILE).removeprefix(ORIGIN)
        with signed_in(world, SECOND) as second:
            page = second.get(path)
            assert page.status_code == 403 and "sent to a different account" in page.text
            refused = post(second, path, {}, "/account/phone")
            assert refused.status_code == 403
            assert theirs not in second.get("/account/requests").text
        # Refusing the second resident did not use the link up for its owner.
        assert post(first, path, {}, path).status_code == 303
        assert theirs in first.get("/account/requests").text


def test_an_expired_link_is_refused_with_a_clear_page(world, notify):
    with signed_in(world, FIRST) as client:
        ask_for_link(client)
        path = notify.link_in(MOBILE).removeprefix(ORIGIN)
        world.store.write_sync(lambda db: db.execute(
            "UPDATE phone_links SET expires_at = '2000-01-01T00:00:00.000Z'"))
        page = client.get(path)
        assert page.status_code == 410
        assert "This link has expired or has already been used" in page.text
        assert post(client, path, {}, "/account/phone").status_code == 410
        assert "You have not confirmed a mobile number" in client.get("/account/phone").text


@pytest.mark.parametrize("typed, message", [
    ("", "Enter your mobile phone number"),
    ("0131 270 7500", "Enter a UK mobile phone number"),  # a landline cannot get texts
    ("12345", "Enter a UK mobile phone number"),
])
def test_a_bad_number_gets_the_error_summary_and_no_text(world, notify, typed, message):
    with signed_in(world, FIRST) as client:
        page = ask_for_link(client, typed)
        assert page.status_code == 400
        assert "There is a problem" in page.text and message in page.text
        assert re.search(r"<title>Error:", page.text)
        assert 'href="#phone"' in page.text and 'aria-invalid="true"' in page.text
    assert notify.answered == []


def test_a_notify_server_error_is_retried_and_the_text_still_arrives(world, notify):
    notify.fail_next(2, status=500)
    with signed_in(world, FIRST) as client:
        ask_for_link(client)
        text = notify.wait_for(MOBILE, timeout=20)
        assert notify.answered == [500, 500, 201]
        assert "/account/phone/verify/" in text.body


def test_a_notify_refusal_is_logged_and_not_retried(world, notify, caplog):
    notify.fail_next(1, status=400)
    with signed_in(world, FIRST) as client:
        ask_for_link(client)
        from server.db import notify_outbox
        notification = world.store.read_sync(lambda db: db.execute(
            "SELECT id FROM notifications").fetchone()[0])
        for _ in range(100):
            status = world.store.read_sync(notify_outbox.status_of, notification)
            if status[0] not in ("queued", "sending"):
                break
            time.sleep(0.05)
        assert status[0] == "failed" and status[2] and status[2].startswith("400")
    assert notify.answered == [400]


def test_the_app_with_a_wrong_key_gets_no_text_through(make_app, notify):
    wrong = f"tolbooth_test-{notify.service_id}-{uuid.uuid4()}"
    world = make_app(TOLBOOTH_NOTIFY_API_KEY=wrong, TOLBOOTH_NOTIFY_BASE_URL=notify.url,
                     TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID=notify.template_id)
    with signed_in(world, FIRST) as client:
        ask_for_link(client)
        deadline = time.monotonic() + 10
        while not notify.answered and time.monotonic() < deadline:
            time.sleep(0.05)
    assert notify.answered == [403] and not notify.accepted


def test_removing_the_number_stops_the_matching(world, notify):
    earlier = request_with_phone(world.store, MOBILE)
    with signed_in(world, FIRST) as client:
        ask_for_link(client)
        path = notify.link_in(MOBILE).removeprefix(ORIGIN)
        post(client, path, {}, path)
        assert earlier in client.get("/account/requests").text
        removed = post(client, "/account/phone/remove", {}, "/account/phone")
        assert removed.status_code == 303
        assert earlier not in client.get("/account/requests").text
        assert client.get(f"/account/requests/{earlier}").status_code == 404
    actions = world.store.read_sync(lambda db: [r[0] for r in db.execute(
        "SELECT action FROM audit_log WHERE action LIKE 'phone%' ORDER BY id")])
    assert actions == ["phone_link_sent", "phone_verified", "phone_removed"]


def test_sends_are_limited_per_account(world, notify):
    with signed_in(world, FIRST) as client:
        for _ in range(3):
            assert ask_for_link(client).status_code == 303
        limited = ask_for_link(client, "07912 345 679")
        assert limited.status_code == 429 and "Retry-After" in limited.headers


def test_sends_are_limited_per_number(world, notify):
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        with signed_in(world, email) as client:
            assert ask_for_link(client).status_code == 303
    with signed_in(world, "d@example.com") as client:
        assert ask_for_link(client).status_code == 429


def test_opening_the_link_signed_out_says_to_sign_in_first(world, notify):
    with signed_in(world, FIRST) as client:
        ask_for_link(client)
        path = notify.link_in(MOBILE).removeprefix(ORIGIN)
    with TestClient(world.app, base_url=ORIGIN) as anonymous:
        page = anonymous.get(path)
        assert page.status_code == 200 and "sign in to the account" in page.text
        assert "07912" not in page.text  # the number is not shown to whoever has the link
        assert post(anonymous, path, {}, "/sign-in").status_code == 403


def test_a_text_queued_while_the_app_was_stopped_is_sent_when_it_starts(world, notify):
    client = signed_in(world, FIRST)  # no lifespan: nothing sends texts
    assert ask_for_link(client).status_code == 303
    # The text waits in the queue, untried, and there is no sender to try it.
    assert world.store.read_sync(queries.text_status) == ("queued", 0, None)
    assert world.app.state.sender._task is None
    assert notify.answered == []
    with TestClient(world.app, base_url=ORIGIN):
        assert "/account/phone/verify/" in notify.wait_for(MOBILE).body
