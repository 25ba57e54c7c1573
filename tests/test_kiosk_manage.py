"""Issue 13: enrolling a kiosk (fresh passkey session, hub-bound, staff signed out),
revoking one (out of service at once, its queue still delivered, then revoked), each
hub's timing within WCAG-safe bounds, and the kiosk's status reports."""

from __future__ import annotations

import re
from datetime import timedelta

from server.auth.signed_links import make_sync_token
from server.db import audit, kiosks, sync_clients
from server.db.clock import iso_in
from server.kiosk.device import KIOSK_COOKIE
from tests.sync_support import Device, mutation, push_body
from tests.test_kiosk_help import ADMIN, HUB, kiosk_browser, post, staff


def bearer(settings, client_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_sync_token(settings.secret_key, client_id, 1)}"}


def report(http, settings, client_id, waiting, oldest=None):
    body = {"protocol": 1, "waiting": waiting}
    if oldest:
        body["oldest_at"] = oldest
    return http.post("/sync/v1/kiosk/status", json=body, headers=bearer(settings, client_id))


def test_enrolling_binds_the_hub_sets_the_cookie_and_signs_staff_out(app, store, settings):
    morag = staff(app, store, settings, HUB)
    page = morag.client.get("/kiosk/enrol")
    assert "Dalkeith Library" in page.text and 'name="hub"' not in page.text
    # Hub staff enrol at their own hub, whatever the form says.
    done = morag.post_form("/kiosk/enrol", {"label": "By the door", "hub": "penicuik"},
                           "/kiosk/enrol")
    assert done.status_code == 200, done.text[:500]
    cookie = done.headers["set-cookie"]
    assert cookie.startswith(f"{KIOSK_COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()
    assert "Max-Age=" in cookie
    client_id = re.search(r'data-client-id="([^"]+)"', done.text).group(1)
    assert 'data-client-token="' in done.text and 'data-hub-name="Dalkeith Library"' in done.text
    found = store.read_sync(kiosks.kiosk, client_id)
    assert found.hub_id == "dalkeith" and not found.revoked
    # The member of staff is signed out of this browser; it is now a kiosk.
    assert morag.client.get("/account", follow_redirects=False).status_code == 303
    kiosk_page = morag.client.get("/kiosk").text
    assert 'data-kiosk="true"' in kiosk_page and "Sign out" not in kiosk_page
    actions = [e.action for e in store.read_sync(audit.entries, 100)]
    assert "kiosk_enrolled" in actions


def test_enrolling_needs_a_fresh_sign_in(app, store, settings):
    morag = staff(app, store, settings, HUB)
    # Signed in 10 minutes ago: still signed in, no longer fresh.
    store.write_sync(lambda db: db.execute("UPDATE auth_sessions SET created_at = ?",
                                           [iso_in(timedelta(minutes=-10))]))
    page = morag.client.get("/kiosk/enrol")
    assert "sign in again with your passkey first" in page.text
    assert 'data-tb-redirect="/kiosk/enrol"' in page.text and 'name="label"' not in page.text
    refused = morag.post_form("/kiosk/enrol", {"label": "Desk"}, "/kiosk/enrol")
    assert refused.status_code == 403 and KIOSK_COOKIE not in refused.headers.get(
        "set-cookie", "")
    assert store.read_sync(kiosks.listing, None) == []


def test_an_admin_chooses_a_hub_and_bad_input_changes_nothing(app, store, settings):
    admin = staff(app, store, settings, ADMIN)
    missing = admin.post_form("/kiosk/enrol", {"label": "", "hub": "nowhere"}, "/kiosk/enrol")
    assert missing.status_code == 400
    assert "Choose the library hub this kiosk is at" in missing.text
    assert "Enter a name for this kiosk" in missing.text
    assert store.read_sync(kiosks.listing, None) == []
    done = admin.post_form("/kiosk/enrol", {"label": "Upstairs", "hub": "penicuik"},
                           "/kiosk/enrol")
    assert done.status_code == 200
    assert [k.hub_id for k in store.read_sync(kiosks.listing, None)] == ["penicuik"]


def test_a_kiosk_signed_up_over_sync_belongs_to_its_staff_members_hub(app, store, settings):
    morag = staff(app, store, settings, HUB)
    made = morag.post_json("/sync/v1/clients", {"protocol": 1, "kind": "kiosk",
                                                "app_version": "t"}, morag.token("/account"))
    assert made.status_code == 201
    assert store.read_sync(kiosks.kiosk, made.json()["client_id"]).hub_id == "dalkeith"


def test_a_revoked_kiosk_is_out_of_service_but_delivers_its_queue_first(app, store, settings):
    kiosk = kiosk_browser(app, store, settings)
    kid = kiosk.client_id
    assert report(kiosk, settings, kid, 2, "2026-12-03T09:00:00.000Z").json() == {
        "protocol": 1, "revoked": False}
    morag = staff(app, store, settings, HUB)
    listing = morag.client.get("/staff/kiosks").text
    assert "By the door" in listing and "oldest from 2026-12-03 09:00" in listing
    done = morag.post_form(f"/staff/kiosks/{kid}/revoke", page="/staff/kiosks")
    assert done.status_code == 303
    assert "out of service" in morag.client.get("/staff/kiosks?done=revoked").text
    # Out of service at once: no new journeys, no help.
    page = kiosk.get("/kiosk")
    assert page.status_code == 503 and "This kiosk is out of service" in page.text
    assert 'id="tb-kiosk-help"' not in page.text
    for path in ("/services/noise-complaint", "/kiosk/services", "/kiosk/assist"):
        moved = kiosk.get(path, follow_redirects=False)
        assert moved.status_code == 303 and moved.headers["location"] == "/kiosk", path
    assert post(kiosk, "/kiosk/help", page="/track").headers["location"] == "/kiosk"
    # ...but what it holds is still delivered.
    pushed = kiosk.post("/sync/v1/push", json=push_body(kid, mutation(1), mutation(2)),
                        headers=bearer(settings, kid))
    assert pushed.status_code == 200
    assert [r["status"] for r in pushed.json()["results"]] == ["applied", "applied"]
    assert report(kiosk, settings, kid, 1).json()["revoked"] is True
    assert not store.read_sync(sync_clients.by_id, kid).revoked
    # Queue empty: now the token stops working.
    assert report(kiosk, settings, kid, 0).status_code == 200
    assert store.read_sync(sync_clients.by_id, kid).revoked
    again = kiosk.post("/sync/v1/push", json=push_body(kid, mutation(3)),
                       headers=bearer(settings, kid))
    assert again.status_code == 401 and again.json()["error"] == "revoked_token"
    assert any(e.action == "kiosk_revoked" and e.subject == f"sync_client:{kid}"
               for e in store.read_sync(audit.entries, 100))


def test_revoking_a_kiosk_with_nothing_waiting_revokes_it_at_once(app, store, settings):
    kiosk = kiosk_browser(app, store, settings)
    staff(app, store, settings, HUB).post_form(f"/staff/kiosks/{kiosk.client_id}/revoke",
                                               page="/staff/kiosks")
    assert store.read_sync(sync_clients.by_id, kiosk.client_id).revoked


def test_hub_staff_cannot_revoke_or_time_another_hubs_kiosks(app, store, settings):
    other = kiosk_browser(app, store, settings, "penicuik", "Penicuik desk")
    morag = staff(app, store, settings, HUB)
    assert "Penicuik desk" not in morag.client.get("/staff/kiosks").text
    refused = morag.post_form(f"/staff/kiosks/{other.client_id}/revoke", page="/staff/kiosks")
    assert refused.status_code == 404
    assert not store.read_sync(kiosks.kiosk, other.client_id).revoked
    timing = morag.post_form("/staff/kiosks/timing", {"hub": "penicuik", "idle_seconds": "300",
                                                      "warn_seconds": "120"}, "/staff/kiosks")
    assert timing.status_code == 404
    assert store.read_sync(kiosks.timings, "penicuik")[0].idle_seconds == 120


def test_timing_is_saved_within_wcag_safe_bounds_only(app, store, settings):
    kiosk = kiosk_browser(app, store, settings)
    morag = staff(app, store, settings, HUB)
    for idle, warn in (("300", "40"), ("300", "610"), ("130", "60"), ("40", "60"),
                       ("lots", "60")):
        bad = morag.post_form("/staff/kiosks/timing", {"hub": "dalkeith", "idle_seconds": idle,
                                                       "warn_seconds": warn}, "/staff/kiosks")
        assert bad.status_code == 400, (idle, warn)
        assert 'class="ds_error-summary"' in bad.text
    assert store.read_sync(kiosks.timings, "dalkeith")[0].warn_seconds == 60
    good = morag.post_form("/staff/kiosks/timing", {"hub": "dalkeith", "idle_seconds": "300",
                                                    "warn_seconds": "120"}, "/staff/kiosks")
    assert good.status_code == 303
    page = kiosk.get("/kiosk").text
    assert 'data-kiosk-idle-seconds="300"' in page and 'data-kiosk-warn-seconds="120"' in page


def test_status_reports_need_a_kiosk_token_and_a_well_formed_body(client, app, store,
                                                                  settings):
    personal = Device(client)
    refused = client.post("/sync/v1/kiosk/status", json={"protocol": 1, "waiting": 0},
                          headers={"Authorization": f"Bearer {personal.token}"})
    assert refused.status_code == 403 and refused.json()["error"] == "not_a_kiosk"
    kid = kiosk_browser(app, store, settings).client_id
    for body in ({"protocol": 1}, {"protocol": 1, "waiting": -1},
                 {"protocol": 1, "waiting": 1, "oldest_at": "yesterday"},
                 {"protocol": 1, "waiting": 1, "extra": 1}, {"protocol": 2, "waiting": 1}):
        bad = client.post("/sync/v1/kiosk/status", json=body, headers=bearer(settings, kid))
        assert bad.status_code == 400, body
    assert store.read_sync(kiosks.listing, None)[0].status_at is None
    assert report(client, settings, kid, 3, "2026-12-03T08:00:00.000Z").status_code == 200
    shown = staff(app, store, settings, HUB).client.get("/staff/hub").text
    assert re.search(r"<td>3 <span class=\"ds_hint-text\">oldest from 2026-12-03 08:00", shown)
