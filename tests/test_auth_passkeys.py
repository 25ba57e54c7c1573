"""Passkey ceremonies over HTTP with a software authenticator: enrolment from an invite,
sign-in, and each lie the server must refuse."""

from __future__ import annotations

import pytest

from server.db import audit, passkeys
from server.db.staff import create_invite
from tests.passkey_authenticator import Browserless, SoftPasskey


@pytest.fixture
def driver(client, settings):
    return Browserless(client, settings.origin)


def invite(store, email="new.officer@midlothian.example", role="planning_officer"):
    return store.write_sync(create_invite, email, role, "New Officer", "test")


def enrol(driver, store, **kwargs):
    token = invite(store, **kwargs)
    page = driver.client.get(f"/enrol/{token}")
    assert page.status_code == 200 and "What is a passkey?" in page.text
    key = SoftPasskey(rp_id="localhost")
    response = driver.register(key, "enrol", f"/enrol/{token}", name="Work laptop")
    return token, key, response


def actions(store):
    return [e.action for e in store.read_sync(audit.entries, 500)]


def test_enrolment_registers_a_passkey_and_signs_in(driver, store):
    _token, key, response = enrol(driver, store)
    assert response.status_code == 200, response.text
    assert response.json() == {"redirect": "/staff/inbox"}
    assert driver.client.get("/staff/inbox").status_code == 200
    stored = store.read_sync(passkeys.active, key.id)
    assert stored is not None and stored.name == "Work laptop"


def test_an_invite_works_once(driver, store):
    token, _key, _response = enrol(driver, store)
    driver.post_form("/sign-out")
    assert driver.client.get(f"/enrol/{token}").status_code == 410


def test_sign_out_then_sign_in_with_the_passkey(driver, store):
    _token, key, _ = enrol(driver, store)
    assert driver.post_form("/sign-out").status_code == 303
    assert driver.client.get("/staff/inbox", follow_redirects=False).status_code == 303
    response = driver.sign_in(key)
    assert response.status_code == 200, response.text
    assert response.json()["redirect"] == "/staff/inbox"
    assert driver.client.get("/staff/inbox").status_code == 200


def test_sign_in_rotates_the_session_and_csrf_token(driver, store, client):
    _token, key, _ = enrol(driver, store)
    driver.post_form("/sign-out")
    before = driver.token("/sign-in")
    old_cookie = client.cookies.get("tolbooth_session")
    driver.sign_in(key)
    assert client.cookies.get("tolbooth_session") != old_cookie
    after = driver.token("/account")
    assert after != before


def test_a_second_passkey_works_and_a_removed_one_does_not(driver, store):
    _token, first, _ = enrol(driver, store)
    second = SoftPasskey(rp_id="localhost")
    response = driver.register(second, "account", "/account/passkeys", name="Phone")
    assert response.status_code == 200, response.text
    driver.post_form("/sign-out")
    assert driver.sign_in(second).status_code == 200
    assert driver.post_form(f"/account/passkeys/{first.id}/remove",
                            page="/account/passkeys").status_code == 303
    driver.post_form("/sign-out")
    assert driver.sign_in(first).status_code == 403
    assert driver.sign_in(second).status_code == 200


def test_staff_cannot_remove_their_only_passkey(driver, store):
    """Staff have no email link to fall back on: removing the only passkey locked them out
    until an admin re-invited them (issue 5's note)."""
    _token, only, _ = enrol(driver, store)
    page = driver.client.get("/account/passkeys")
    assert f"/account/passkeys/{only.id}/remove" not in page.text
    assert "only passkey" in page.text
    refused = driver.post_form(f"/account/passkeys/{only.id}/remove", page="/account/passkeys")
    assert refused.status_code == 409
    assert "You cannot remove your only passkey" in refused.text
    assert store.read_sync(passkeys.active, only.id) is not None
    assert "passkey_removed" not in actions(store)
    driver.post_form("/sign-out")
    assert driver.sign_in(only).status_code == 200


def test_a_revoked_passkey_fails_and_the_admin_gets_a_new_invite(driver, store, app, settings):
    from starlette.testclient import TestClient
    _token, key, _ = enrol(driver, store)
    staff_id = store.read_sync(passkeys.active, key.id).owner_id
    with TestClient(app, base_url=settings.origin) as admin_client:
        admin = Browserless(admin_client, settings.origin)
        _t, _k, r = enrol(admin, store, email="admin@midlothian.example", role="admin")
        assert r.json()["redirect"] == "/staff/inbox"
        page = admin.post_form(f"/admin/staff/{staff_id}/revoke", page="/admin/staff")
        assert page.status_code == 200 and "/enrol/" in page.text
    # The revoked person's open session has ended, and their passkey no longer works.
    assert driver.client.get("/staff/inbox", follow_redirects=False).status_code == 303
    assert driver.sign_in(key).status_code == 403
    assert "passkeys_revoked" in actions(store)


def test_a_response_made_for_another_origin_is_refused(driver, store):
    _token, key, _ = enrol(driver, store)
    driver.post_form("/sign-out")
    response = driver.sign_in(key, origin="https://evil.example")
    assert response.status_code == 403
    assert response.json()["error"] == "passkey_refused"


def test_a_registration_made_for_another_origin_is_refused(driver, store):
    token = invite(store)
    driver.client.get(f"/enrol/{token}")
    response = driver.register(SoftPasskey(rp_id="localhost"), "enrol", f"/enrol/{token}",
                               origin="https://evil.example")
    assert response.status_code == 403


def test_a_replayed_challenge_is_refused(driver, store):
    _token, key, _ = enrol(driver, store)
    driver.post_form("/sign-out")
    options, token = driver.options()
    credential = key.get(options, driver.origin)
    first = driver.post_json("/auth/passkeys/authenticate/verify", {"credential": credential},
                             token)
    assert first.status_code == 200
    driver.post_form("/sign-out")
    token = driver.token("/sign-in")
    again = driver.post_json("/auth/passkeys/authenticate/verify", {"credential": credential},
                             token)
    assert again.status_code == 403


def test_a_challenge_from_another_browser_session_is_refused(driver, store, app, settings):
    from starlette.testclient import TestClient
    _token, key, _ = enrol(driver, store)
    with TestClient(app, base_url=settings.origin) as other_client:
        other = Browserless(other_client, settings.origin)
        options, _ = other.options()
    driver.post_form("/sign-out")
    token = driver.token("/sign-in")
    response = driver.post_json("/auth/passkeys/authenticate/verify",
                                {"credential": key.get(options, driver.origin)}, token)
    assert response.status_code == 403


def test_a_lowered_sign_count_is_refused_and_audited(driver, store):
    _token, key, _ = enrol(driver, store)
    driver.post_form("/sign-out")
    assert driver.sign_in(key, count=10).status_code == 200
    driver.post_form("/sign-out")
    response = driver.sign_in(key, count=3)
    assert response.status_code == 403
    assert "passkey_sign_count_regression" in actions(store)
    assert store.read_sync(passkeys.active, key.id).sign_count == 10


def test_registering_without_an_invite_or_a_session_is_refused(driver):
    token = driver.token("/sign-in")
    for purpose in ("enrol", "account"):
        r = driver.post_json("/auth/passkeys/register/options", {"purpose": purpose}, token)
        assert r.status_code in (403, 410)


def test_sign_out_everywhere_ends_every_session(driver, store, app, settings):
    from starlette.testclient import TestClient
    _token, key, _ = enrol(driver, store)
    with TestClient(app, base_url=settings.origin) as laptop_client:
        laptop = Browserless(laptop_client, settings.origin)
        assert laptop.sign_in(key).status_code == 200
        assert driver.post_form("/sign-out/everywhere").status_code == 303
        assert laptop_client.get("/staff/inbox", follow_redirects=False).status_code == 303
    assert driver.client.get("/account", follow_redirects=False).status_code == 303


def test_staff_are_signed_out_after_the_idle_time(driver, store, monkeypatch):
    from server.auth import session
    _token, _key, _ = enrol(driver, store)
    assert driver.client.get("/staff/inbox").status_code == 200
    monkeypatch.setattr(session, "idle_limit", lambda person, minutes: session.timedelta(0))
    r = driver.client.get("/staff/inbox", follow_redirects=True)
    assert "You were signed out because you had not done anything" in r.text


def test_keep_alive_needs_a_csrf_token(driver, store):
    _token, _key, _ = enrol(driver, store)
    r = driver.client.post("/auth/session/keepalive", headers={"Origin": driver.origin})
    assert r.status_code == 403
    r = driver.post_json("/auth/session/keepalive", {}, driver.token("/account"))
    assert r.status_code == 200 and r.json()["idle_seconds"] == 30 * 60
