"""Finish on a kiosk, the server's half (issue 13): the session's drafts go, a member of
staff signed in on the kiosk is signed out, the cookie changes; the script gets JSON;
only a kiosk gets copies of the kiosk's start pages."""

from __future__ import annotations

from server.db import session_data
from server.web.visitor_session import stored_key
from tests.passkey_authenticator import sign_in_with_new_passkey, staff_id
from tests.support import csrf
from tests.test_kiosk_help import HUB, kiosk_browser


def test_finish_forgets_the_drafts_and_signs_staff_out(app, store, settings):
    kiosk = kiosk_browser(app, store, settings)
    token = csrf(kiosk.get("/services/pest-control").text)
    store.write_sync(session_data.put, stored_key("not-this-one-at-all-0000"), "draft:x", {})
    answered = kiosk.post("/services/pest-control/contact", follow_redirects=False, data={
        "csrf_token": token, "name": "Seumas Friseal", "how": "email",
        "email": "seumas@example.org"})
    assert answered.status_code in (200, 303)
    holding = "SELECT count(*) FROM session_data WHERE value LIKE '%seumas@example.org%'"
    assert store.read_sync(lambda db: db.execute(holding).fetchone()[0]) >= 1
    sign_in_with_new_passkey(kiosk, store, settings.origin, "staff", staff_id(store, HUB))
    assert store.read_sync(lambda db: db.execute(
        "SELECT count(*) FROM auth_sessions WHERE ended_at IS NULL").fetchone()[0]) == 1
    before = kiosk.cookies.get("tolbooth_session")

    token = csrf(kiosk.get("/kiosk").text)
    done = kiosk.post("/kiosk/finish", data={"csrf_token": token},
                      headers={"Accept": "application/json", "Origin": settings.origin})

    assert done.status_code == 200 and done.json() == {"finished": True}
    assert "no-store" in done.headers["cache-control"]
    assert kiosk.cookies.get("tolbooth_session") != before
    assert store.read_sync(lambda db: db.execute(holding).fetchone()[0]) == 0
    assert store.read_sync(lambda db: db.execute(
        "SELECT count(*) FROM auth_sessions WHERE ended_at IS NULL").fetchone()[0]) == 0
    assert store.read_sync(lambda db: db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'signed_out'"
        " AND detail LIKE '%kiosk_finish%'").fetchone()[0]) == 1
    # Another session's data is not this kiosk's to forget.
    assert store.read_sync(session_data.get, stored_key("not-this-one-at-all-0000"),
                           "draft:x") == {}
    # The old session's token no longer works.
    assert kiosk.post("/kiosk/finish", data={"csrf_token": token}).status_code == 403


def test_the_kiosk_start_pages_have_copies_only_for_a_kiosk(client, app, store, settings):
    assert client.get("/app/copies/en/kiosk").status_code == 404
    kiosk = kiosk_browser(app, store, settings)
    copy = kiosk.get("/app/copies/en/kiosk")
    assert copy.status_code == 200 and "data-tb-offline-copy" in copy.text
    assert 'id="tb-kiosk-finish"' in copy.text and 'id="tb-kiosk-idle"' in copy.text
    assert "set-cookie" not in copy.headers
    journey_copy = kiosk.get("/app/copies/en/services/pest-control/contact").text
    assert 'id="tb-kiosk-finish"' in journey_copy and '<form autocomplete="off"' in journey_copy
    assert 'id="tb-kiosk-finish"' not in client.get(
        "/app/copies/en/services/pest-control/contact").text
