"""Tracking links (issue 10): opaque (no request id inside), stoppable by the resident
and by staff (audited), and expired some time after the request closes. Links made
before keep working until stopped or expired."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest

from server.auth import signed_links
from server.casework import actions as casework
from server.db import audit, clock, notify_outbox, tracking_links
from server.db import requests as requests_db
from server.notify import links
from tests.passkey_authenticator import make_request, sign_in_with_new_passkey, staff_id
from tests.support import csrf, tracking_token
from tests.test_shared_device import send

ORIGIN = {"Origin": "http://localhost:8000"}
TOKEN = re.compile(r"/track/([^\"/<\s]+)")


def actions(store):
    return [(e.action, e.actor) for e in store.read_sync(audit.entries, 500)]


def test_a_tracking_link_carries_no_request_id(client, app, store):
    done = send(client, app)
    token = TOKEN.search(done.text).group(1)
    request_id = store.read_sync(lambda db: db.execute("SELECT id FROM requests").fetchone()[0])
    assert re.fullmatch(r"[0-9a-f]{32}\.[a-z2-7]{26}", token)
    for part in token.split("."):
        decoded = base64.b32decode(part.upper() + "=" * (-len(part) % 8), casefold=True) \
            if len(part) == 26 else bytes.fromhex(part)
        assert request_id.encode() not in decoded
    assert request_id not in token and request_id.replace("-", "") not in token
    assert client.get(f"/track/{token}").status_code == 200


def stop_as_resident(client, token):
    page = client.get(f"/track/{token}")
    action = re.search(r'action="(/track/[^"]+/stop)"', page.text).group(1)
    return client.post(action, data={"csrf_token": csrf(page.text)}, headers=ORIGIN)


def test_the_resident_can_stop_the_link(world):
    store, settings = world.store, world.settings
    request_id = make_request(store, "planning", "a@example.com")
    old = tracking_token(store, settings, request_id)
    found = store.read_sync(requests_db.by_id, request_id)
    old_short = links.short_request_link(
        settings, found.reference, store.read_sync(tracking_links.for_request, request_id))
    with world.client() as client:
        refused = client.post(f"/track/{old}/stop", headers=ORIGIN)  # no CSRF token
        assert refused.status_code == 403
        stopped = stop_as_resident(client, old)
        assert stopped.status_code == 200 and "This link has stopped working" in stopped.text
        gone = client.get(f"/track/{old}")
        assert gone.status_code == 410 and "This link no longer works" in gone.text
        assert client.get(old_short.removeprefix(settings.origin),
                          follow_redirects=False).status_code == 404
        new = tracking_token(store, settings, request_id)
        assert new != old and client.get(f"/track/{new}").status_code == 200
    assert ("tracking_links_stopped", "resident") in actions(store)


def test_staff_can_stop_the_links_and_it_is_audited(world):
    store, settings = world.store, world.settings
    request_id = make_request(store, "planning", "a@example.com")
    old = tracking_token(store, settings, request_id)
    officer = staff_id(store, "planning.officer@midlothian.example")
    with world.client() as client:
        sign_in_with_new_passkey(client, store, settings.origin, "staff", officer)
        page = client.get(f"/staff/requests/{request_id}")
        assert f"/staff/requests/{request_id}/tracking-links/stop" in page.text
        r = client.post(f"/staff/requests/{request_id}/tracking-links/stop",
                        data={"csrf_token": csrf(page.text)}, headers=ORIGIN,
                        follow_redirects=True)
        assert r.status_code == 200 and "has stopped working" in r.text
    with world.client() as resident:
        assert resident.get(f"/track/{old}").status_code == 410
    assert ("tracking_links_stopped", f"staff:{officer}") in actions(store)


@pytest.fixture
def later(monkeypatch):
    """Moves the tracking links' clock on: `later(days)`."""
    def move(days: int) -> None:
        monkeypatch.setattr(signed_links, "age",
                            lambda text: clock.age(text) + timedelta(days=days))
    return move


def test_a_link_expires_some_time_after_the_request_closes(world, later):
    store, settings = world.store, world.settings
    open_id = make_request(store, "planning", "a@example.com")
    closed_id = make_request(store, "planning", "b@example.com")
    store.write_sync(casework.withdraw, store.read_sync(requests_db.by_id, closed_id),
                     "Sorted", "resident")
    open_token = tracking_token(store, settings, open_id)
    closed_token = tracking_token(store, settings, closed_id)
    after = signed_links.TRACKING_LINK_AFTER_CLOSE.days
    with world.client() as client:
        later(after - 1)
        assert client.get(f"/track/{closed_token}").status_code == 200
        later(after + 1)
        assert client.get(f"/track/{closed_token}").status_code == 410
        assert client.get(f"/track/{open_token}").status_code == 200  # open: no expiry


def test_links_made_before_keep_working_until_stopped(world):
    store, settings = world.store, world.settings
    request_id = make_request(store, "planning", "a@example.com")
    legacy = signed_links.sign(settings.secret_key, signed_links.TRACKING, request_id)
    with world.client() as client:
        assert client.get(f"/track/{legacy}").status_code == 200
        assert stop_as_resident(client, legacy).status_code == 200
        assert client.get(f"/track/{legacy}").status_code == 410


def test_messages_after_a_stop_carry_the_new_link(world):
    store = world.store
    send(world.client(), world.app)  # no lifespan: the sender does not take it first
    request_id = store.read_sync(lambda db: db.execute("SELECT id FROM requests").fetchone()[0])
    store.write_sync(tracking_links.stop, request_id, "resident")
    claimed = store.write_sync(lambda db: [c for c in notify_outbox.claim_due(db, 50)
                                           if c.request_id == request_id])
    assert claimed, "the acknowledgement is queued"
    assert claimed[0].tracking_generation == 1
    assert claimed[0].tracking_public_id == store.read_sync(
        tracking_links.for_request, request_id).public_id
