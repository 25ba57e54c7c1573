"""Signed-in sessions (issue 10): ids hashed at rest, an absolute lifetime whatever the
activity, and removing a passkey signs out the browsers that may have used it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from server.db import people
from server.db.clock import iso_in
from server.db.staff import create_invite, token_hash
from tests.passkey_authenticator import (
    Browserless,
    SoftPasskey,
    resident,
    sign_in_with_new_passkey,
)


@pytest.fixture
def driver(client, settings):
    return Browserless(client, settings.origin)


def enrol(driver, store, email="lifetime.officer@midlothian.example"):
    token = store.write_sync(create_invite, email, "planning_officer", "Officer", "test")
    driver.client.get(f"/enrol/{token}")
    key = SoftPasskey(rp_id="localhost")
    assert driver.register(key, "enrol", f"/enrol/{token}").status_code == 200
    return key


def session_ids(store) -> list[str]:
    return store.read_sync(lambda db: [r[0] for r in db.execute("SELECT id FROM auth_sessions")])


def test_the_database_holds_only_a_hash_of_the_session_id(store):
    person = resident(store, "hash.me@example.com")
    cookie_id = store.write_sync(people.start_session, "resident", person, "email")
    assert cookie_id not in session_ids(store)
    assert token_hash(cookie_id) in session_ids(store)
    assert store.read_sync(people.session_person, cookie_id).id == person
    # What a copy of the database holds signs nobody in.
    assert store.read_sync(people.session_person, token_hash(cookie_id)) is None


def backdate_sign_in(store, delta: timedelta) -> None:
    store.write_sync(lambda db: db.execute("UPDATE auth_sessions SET created_at = ?",
                                           [iso_in(-delta)]))


def test_a_staff_session_ends_after_its_lifetime_however_active(driver, store, settings):
    enrol(driver, store)
    assert driver.client.get("/staff/inbox").status_code == 200
    backdate_sign_in(store, timedelta(hours=settings.staff_session_hours) - timedelta(minutes=1))
    assert driver.client.get("/staff/inbox").status_code == 200
    backdate_sign_in(store, timedelta(hours=settings.staff_session_hours, minutes=1))
    assert driver.client.get("/staff/inbox", follow_redirects=False).status_code == 303


def test_a_resident_session_ends_after_its_lifetime(make_app):
    world = make_app(TOLBOOTH_RESIDENT_SESSION_DAYS="2")
    person = resident(world.store, "lifetime.resident@example.com")
    with world.client() as client:
        sign_in_with_new_passkey(client, world.store, world.settings.origin, "resident", person)
        assert client.get("/account", follow_redirects=False).status_code == 200
        backdate_sign_in(world.store, timedelta(days=2, minutes=1))
        assert client.get("/account", follow_redirects=False).status_code == 303


def test_removing_a_passkey_signs_out_every_other_session(driver, store, app, settings):
    first = enrol(driver, store)
    second = SoftPasskey(rp_id="localhost")
    assert driver.register(second, "account", "/account/passkeys").status_code == 200
    with TestClient(app, base_url=settings.origin) as lost_phone_client:
        lost_phone = Browserless(lost_phone_client, settings.origin)
        assert lost_phone.sign_in(first).status_code == 200
        assert lost_phone_client.get("/account").status_code == 200
        assert driver.post_form(f"/account/passkeys/{first.id}/remove",
                                page="/account/passkeys").status_code == 303
        assert lost_phone_client.get("/account", follow_redirects=False).status_code == 303
    assert driver.client.get("/account", follow_redirects=False).status_code == 200


def cookie_session(client) -> dict:
    import base64
    import json
    payload = client.cookies.get("tolbooth_session").split(".")[0]
    return json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))


def test_drafts_are_kept_under_a_hash_of_the_browser_session_id(client, app, store):
    import hashlib

    from tests.test_newcomer_fixes import answer
    answer(client, app, "pest-control", upto="contact")
    raw = cookie_session(client)["sid"]
    keys = store.read_sync(lambda db: {r[0] for r in db.execute("SELECT sid FROM session_data")})
    assert raw not in keys
    assert hashlib.sha256(raw.encode()).hexdigest() in keys
