"""The local Notify endpoint proves what it checks; `/dev/outbox` shows unsent messages
in development and nowhere else; the old text queue moves into the outbox."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from server.db import Store
from server.db.schema import _apply_one, migrate, migrations
from server.settings import SettingsError
from tests.notify_support import BOTH, EMAIL, MOBILE, new_request, settled
from tests.support import make_settings


def test_the_stub_refuses_a_wrong_key_and_a_stale_token(notify):
    import jwt
    body = {"phone_number": MOBILE, "template_id": notify.template_id,
            "personalisation": {"body": "hello"}}
    url = f"{notify.url}/v2/notifications/sms"

    def with_token(secret: str, iss: str, iat: int, sent: Any = None) -> httpx.Response:
        token = jwt.encode({"iss": iss, "iat": iat}, secret, algorithm="HS256")
        return httpx.post(url, json=sent or body, headers={"Authorization": f"Bearer {token}"})

    now = int(time.time())
    wrong_secret = with_token(str(uuid.uuid4()), notify.service_id, now)
    assert wrong_secret.status_code == 403
    assert wrong_secret.json()["errors"][0]["error"] == "AuthError"
    assert with_token(notify.secret, str(uuid.uuid4()), now).status_code == 403
    stale = with_token(notify.secret, notify.service_id, now - 60)
    assert stale.status_code == 403 and "30 seconds" in stale.json()["errors"][0]["message"]
    assert httpx.post(url, json=body).status_code == 401
    assert with_token(notify.secret, notify.service_id, now).status_code == 201
    missing = with_token(notify.secret, notify.service_id, now,
                         {"template_id": notify.template_id})
    assert missing.status_code == 400
    assert missing.json() == {"status_code": 400, "errors": [
        {"error": "ValidationError", "message": "phone_number is a required property"}]}


def test_the_developers_outbox_shows_what_residents_would_get(make_app):
    world = make_app()  # localhost, no SMTP, no Notify: what `make run` is
    assert world.settings.dev_outbox
    with world.client() as client:
        found = new_request(world, BOTH)
        settled(world)
        page = client.get("/dev/outbox")
    assert page.status_code == 200
    assert f"Email to {EMAIL}" in page.text and f"Text message to {MOBILE}" in page.text
    assert f"We have received your request {found.reference}" in page.text
    assert "/r/" in page.text  # the text's short link


@pytest.mark.parametrize("overrides", [
    {"TOLBOOTH_ORIGIN": "https://council.example"},
    {"TOLBOOTH_SMTP_HOST": "127.0.0.1"},
])
def test_the_developers_outbox_is_not_there_elsewhere(make_app, caplog, overrides):
    world = make_app(**overrides)
    assert not world.settings.dev_outbox
    with world.client() as client:
        assert client.get("/dev/outbox").status_code == 404
        if "TOLBOOTH_ORIGIN" in overrides:
            # Production without SMTP or Notify: dropped, and only that fact is logged.
            new_request(world, BOTH)
            rows = settled(world)
            assert {r["status"] for r in rows} == {"failed"}
            assert "We have received" not in caplog.text and "/r/" not in caplog.text


def test_a_short_callback_token_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="TOLBOOTH_NOTIFY_CALLBACK_TOKEN"):
        make_settings(tmp_path / "data", TOLBOOTH_NOTIFY_CALLBACK_TOKEN="short")
    with pytest.raises(SettingsError, match="TOLBOOTH_NOTIFY_RETRY_FIRST_SECONDS"):
        make_settings(tmp_path / "data", TOLBOOTH_NOTIFY_RETRY_FIRST_SECONDS="0")


def test_texts_queued_before_the_outbox_move_into_it(tmp_path):
    """Migration 0010: a text still queued in the old table is in the outbox, as written."""
    store = Store(tmp_path / "tolbooth.db")
    try:
        for migration in migrations():
            if migration.number < 10:
                store.write_sync(_apply_one, migration)
        store.write_sync(lambda db: db.execute(
            "INSERT INTO sms_outbox (phone, body, purpose, created_at, next_attempt_at,"
            " status) VALUES (?, ?, 'phone_link', '2026-01-01T00:00:00.000Z',"
            " '2026-01-01T00:00:00.000Z', ?)", [MOBILE, "Open this link", "queued"]))
        store.write_sync(lambda db: db.execute(
            "INSERT INTO sms_outbox (phone, body, purpose, created_at, next_attempt_at,"
            " status) VALUES (?, NULL, 'phone_link', '2026-01-01T00:00:00.000Z',"
            " '2026-01-01T00:00:00.000Z', 'sent')", [MOBILE]))
        migrate(store)
        rows = store.read_sync(lambda db: db.execute(
            "SELECT channel, recipient, template, status, json_extract(params, '$.body')"
            " FROM notifications").fetchall())
        assert rows == [("sms", MOBILE, "prepared_text", "queued", "Open this link")]
        assert not store.read_sync(lambda db: db["sms_outbox"].exists())
    finally:
        store.close()
