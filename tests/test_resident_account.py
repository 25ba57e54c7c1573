"""Residents: sign in with a one-time link sent through real SMTP, see every request made
with their email (also before the account existed), add information, and never reach
anyone else's request."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from tests.mailbox import Mailbox
from tests.passkey_authenticator import csrf, make_request
from tests.support import tracking_token

ORIGIN = "http://localhost:8000"
FIRST = "first.resident@example.com"
SECOND = "second.resident@example.com"


@pytest.fixture
def mail_app(make_app, mailbox: Mailbox):
    built = make_app(TOLBOOTH_SMTP_HOST="127.0.0.1", TOLBOOTH_SMTP_PORT=str(mailbox.port))
    return built.app, built.store, built.settings


def post(client: TestClient, path: str, data: dict[str, str], page: str):
    token = csrf(client.get(page).text)
    return client.post(path, data={"csrf_token": token, **data}, headers={"Origin": ORIGIN},
                       follow_redirects=False)


def sign_in_by_email(client: TestClient, mailbox: Mailbox, address: str) -> None:
    sent = post(client, "/sign-in/email", {"email": address}, "/sign-in")
    assert sent.status_code == 200 and "Check your email" in sent.text
    link = mailbox.sign_in_link(address)
    path = link.removeprefix(ORIGIN)
    assert client.get(path).status_code == 200  # opening it does not use it
    used = post(client, path, {}, path)
    assert used.status_code == 303 and used.headers["location"] == "/account/requests"


def test_resident_signs_in_by_email_and_sees_requests_made_before(mail_app, mailbox):
    app, store, _settings = mail_app
    earlier = make_request(store, "environmental-health", FIRST.upper())
    someone_elses = make_request(store, "environmental-health", SECOND)
    with TestClient(app, base_url=ORIGIN) as client:
        sign_in_by_email(client, mailbox, FIRST)
        page = client.get("/account/requests").text
        assert f"/account/requests/{earlier}" in page
        assert someone_elses not in page
        detail = client.get(f"/account/requests/{earlier}").text
        assert "We received your request" in detail


def test_a_sign_in_link_works_once(mail_app, mailbox):
    app, _store, _settings = mail_app
    with TestClient(app, base_url=ORIGIN) as client:
        sign_in_by_email(client, mailbox, FIRST)
        path = mailbox.sign_in_link(FIRST).removeprefix(ORIGIN)
        post(client, "/sign-out", {}, "/account")
        assert client.get(path).status_code == 410
        assert post(client, path, {}, "/sign-in").status_code == 410


def test_a_resident_cannot_reach_another_residents_request(mail_app, mailbox):
    app, store, _settings = mail_app
    theirs = make_request(store, "environmental-health", FIRST)
    with TestClient(app, base_url=ORIGIN) as client:
        sign_in_by_email(client, mailbox, SECOND)
        assert client.get(f"/account/requests/{theirs}").status_code == 404
        r = post(client, f"/account/requests/{theirs}/information", {"information": "x"},
                 "/account/requests")
        assert r.status_code == 404
        assert client.get(f"/staff/requests/{theirs}").status_code == 403


def test_resident_adds_information_to_an_open_request(mail_app, mailbox):
    app, store, settings = mail_app
    mine = make_request(store, "environmental-health", FIRST)
    with TestClient(app, base_url=ORIGIN) as client:
        sign_in_by_email(client, mailbox, FIRST)
        page = f"/account/requests/{mine}"
        empty = post(client, f"{page}/information", {"information": ""}, page)
        assert empty.status_code == 400 and "Enter the information to add" in empty.text
        added = post(client, f"{page}/information", {"information": "It starts at 11pm"},
                     page)
        assert added.status_code == 303
        public = client.get(f"/track/{tracking_token(store, settings, mine)}").text
        assert "You added information" in public and "It starts at 11pm" in public


def test_a_badly_formed_email_address_shows_an_error(mail_app, mailbox):
    app, _store, _settings = mail_app
    with TestClient(app, base_url=ORIGIN) as client:
        r = post(client, "/sign-in/email", {"email": "not-an-address"}, "/sign-in")
        assert r.status_code == 200 and "There is a problem" in r.text
        assert re.search(r"<title>Error:", r.text)
        assert not mailbox.messages
