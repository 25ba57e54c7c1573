"""Issue 14, the back office's side of field work: field workers can be assigned
environmental health and planning requests (never social work), and managers see and
revoke their service's field devices (admins every one, with whose it is)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from server.db import audit
from server.db import requests as requests_db
from tests.passkey_authenticator import (
    Browserless,
    make_request,
    sign_in_with_new_passkey,
    staff_id,
)
from tests.test_assignment import rendered

FIELD = "field.worker@midlothian.example"
EH_OFFICER = "eh.officer@midlothian.example"
EH_MANAGER = "eh.manager@midlothian.example"
SW_MANAGER = "sw.manager@midlothian.example"
ADMIN = "admin@midlothian.example"


def signed_in(app, store, settings, email) -> Browserless:
    client = TestClient(app, base_url=settings.origin)
    sign_in_with_new_passkey(client, store, settings.origin, "staff", staff_id(store, email))
    return Browserless(client, settings.origin)


def field_device(app, store, settings, email=FIELD) -> str:
    """A field device set up by this person, as the field app does it."""
    worker = signed_in(app, store, settings, email)
    made = worker.post_json("/sync/v1/clients", {"protocol": 1, "kind": "field",
                                                 "app_version": "2026.12.1"},
                            worker.token("/account"))
    assert made.status_code == 201, made.text
    return made.json()["client_id"]


def test_a_field_worker_is_offered_and_assigned_an_environmental_health_request(
        app, store, settings):
    request_id = make_request(store, "environmental-health", "a@example.com")
    manager = signed_in(app, store, settings, EH_MANAGER)
    page = f"/staff/requests/{request_id}"
    html = manager.client.get(page).text
    assert "Callum Field (Field worker)" in html
    callum = staff_id(store, FIELD)
    r = manager.post_form(f"{page}/assign", {**rendered(manager.client, page),
                                             "assignee": callum}, page=page)
    assert r.status_code == 303
    assert store.read_sync(requests_db.by_id, request_id).assignee == callum
    assert "Assigned to Callum Field" in manager.client.get(page).text


def test_a_field_worker_is_never_offered_or_given_a_social_work_request(app, store, settings):
    request_id = make_request(store, "social-work", "a@example.com",
                              "adult-protection-concern", special=True)
    manager = signed_in(app, store, settings, SW_MANAGER)
    page = f"/staff/requests/{request_id}"
    assert "Callum Field" not in manager.client.get(page).text
    r = manager.post_form(f"{page}/assign", {**rendered(manager.client, page),
                                             "assignee": staff_id(store, FIELD)}, page=page)
    assert r.status_code == 400 and "Choose an officer of this service" in r.text
    assert store.read_sync(requests_db.by_id, request_id).assignee is None


def test_a_manager_sees_their_services_field_devices_and_revokes_one(app, store, settings):
    callums = field_device(app, store, settings)
    manager = signed_in(app, store, settings, EH_MANAGER)
    page = manager.client.get("/staff/devices")
    assert page.status_code == 200
    assert callums[:8] in page.text and "Callum Field" in page.text
    assert "Field worker" in page.text  # whose it is, and what they do
    social = signed_in(app, store, settings, SW_MANAGER)
    assert callums[:8] not in social.client.get("/staff/devices").text
    # Another service's manager cannot revoke it, not even by posting.
    r = social.post_form(f"/staff/devices/{callums}/revoke", page="/staff/devices")
    assert r.status_code == 404
    r = manager.post_form(f"/staff/devices/{callums}/revoke", page="/staff/devices")
    assert r.status_code == 303 and r.headers["location"] == "/staff/devices?revoked=1"
    assert "The device is revoked." in manager.client.get("/staff/devices?revoked=1").text
    logged = [(e.actor, e.subject) for e in store.read_sync(audit.entries, 50)
              if e.action == "sync_client_revoked"]
    assert logged == [(f"staff:{staff_id(store, EH_MANAGER)}", f"sync_client:{callums}")]


def test_a_kiosk_is_not_a_managers_to_revoke(app, store, settings):
    hub = signed_in(app, store, settings, "hub.staff@midlothian.example")
    made = hub.post_json("/sync/v1/clients", {"protocol": 1, "kind": "kiosk",
                                              "app_version": "2026.12.1"},
                         hub.token("/account"))
    kiosk = made.json()["client_id"]
    manager = signed_in(app, store, settings, EH_MANAGER)
    assert kiosk[:8] not in manager.client.get("/staff/devices").text
    r = manager.post_form(f"/staff/devices/{kiosk}/revoke", page="/staff/devices")
    assert r.status_code == 404


def test_admins_see_whose_field_device_it_is(app, store, settings):
    callums = field_device(app, store, settings)
    admin = signed_in(app, store, settings, ADMIN)
    html = admin.client.get("/admin/devices").text
    assert callums[:8] in html and "Belongs to" in html and "Field worker" in html
    assert callums[:8] in admin.client.get("/staff/devices").text


@pytest.mark.parametrize("email", [EH_OFFICER, FIELD])
def test_officers_and_field_workers_have_no_device_list(app, store, settings, email):
    person = signed_in(app, store, settings, email)
    assert person.client.get("/staff/devices").status_code == 403
