"""Admins list the shared devices that sync and revoke a lost one (issue 10: sync
clients could not be revoked; `revoke` had no caller)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from server.db import audit
from tests.passkey_authenticator import Browserless, sign_in_with_new_passkey, staff_id
from tests.sync_support import Device, mutation, push_body

HUB = "hub.staff@midlothian.example"
ADMIN = "admin@midlothian.example"


def signed_in(app, store, settings, email) -> Browserless:
    client = TestClient(app, base_url=settings.origin)
    sign_in_with_new_passkey(client, store, settings.origin, "staff", staff_id(store, email))
    return Browserless(client, settings.origin)


@pytest.fixture
def kiosk(app, store, settings):
    hub = signed_in(app, store, settings, HUB)
    made = hub.post_json("/sync/v1/clients", {"protocol": 1, "kind": "kiosk",
                                              "app_version": "2026.12.1"},
                         hub.token("/account"))
    assert made.status_code == 201, made.text
    return made.json()


def push(client, kiosk, *mutations):
    return client.post("/sync/v1/push", json=push_body(kiosk["client_id"], *mutations),
                       headers={"Authorization": f"Bearer {kiosk['client_token']}"})


def test_an_admin_sees_shared_devices_and_who_set_them_up(app, store, settings, kiosk,
                                                         client):
    personal = Device(client)
    admin = signed_in(app, store, settings, ADMIN)
    page = admin.client.get("/admin/devices")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert kiosk["client_id"][:8] in page.text and "Kiosk" in page.text
    assert "Morag Hub" in page.text
    assert personal.client_id[:8] not in page.text  # a resident's own phone is theirs
    assert 'href="/admin/devices"' in admin.client.get("/account").text


def test_a_revoked_device_cannot_push_and_the_revocation_is_audited(app, store, settings,
                                                                    kiosk, client):
    assert push(client, kiosk, mutation(1)).status_code == 200
    admin = signed_in(app, store, settings, ADMIN)
    path = f"/admin/devices/{kiosk['client_id']}/revoke"
    no_token = admin.client.post(path, headers={"Origin": settings.origin},
                                 follow_redirects=False)
    assert no_token.status_code == 403
    done = admin.post_form(path, page="/admin/devices")
    assert done.status_code == 303 and done.headers["location"] == "/admin/devices?revoked=1"
    page = admin.client.get("/admin/devices?revoked=1").text
    assert "The device is revoked." in page and f'action="{path}"' not in page
    refused = push(client, kiosk, mutation(2))
    assert refused.status_code == 401 and refused.json()["error"] == "revoked_token"
    logged = [e for e in store.read_sync(audit.entries, 50)
              if e.action == "sync_client_revoked"]
    assert [(e.actor, e.subject) for e in logged] == [
        (f"staff:{staff_id(store, ADMIN)}", f"sync_client:{kiosk['client_id']}")]
    assert admin.post_form(path, page="/admin/devices").status_code == 303  # once is enough


def test_a_residents_own_device_or_an_unknown_one_is_not_revoked_here(app, store, settings,
                                                                      client):
    personal = Device(client)
    admin = signed_in(app, store, settings, ADMIN)
    for client_id in (personal.client_id, "nothing"):
        assert admin.post_form(f"/admin/devices/{client_id}/revoke",
                               page="/admin/devices").status_code == 404
    assert personal.push(mutation(1)).status_code == 200
