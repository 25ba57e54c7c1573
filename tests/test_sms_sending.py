"""Sending texts: the Notify stub checks what Notify's API requires (so the tests that
use it prove something), and without a Notify key texts are only logged in development."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import jwt
import pytest

from tests import queries

MOBILE = "+447912345678"


def test_the_stub_refuses_a_wrong_key_and_a_stale_token(notify):
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


@pytest.mark.parametrize("origin, logged_link, status", [
    ("http://localhost:8000", True, "sent"),  # development: the text is in the log
    ("https://council.example", False, "failed"),  # production: never a link in the log
])
def test_without_a_notify_key_texts_are_logged_only_in_development(
        make_app, caplog, origin, logged_link, status):
    import asyncio
    import logging
    import threading

    from server.db import sms_outbox
    from server.notify.sms import TextSender
    built = make_app(TOLBOOTH_ORIGIN=origin)
    settings, store = built.settings, built.store
    text_id = store.write_sync(sms_outbox.queue_text, MOBILE,
                               "Open https://link.example/secret-token", "phone_link")
    with caplog.at_level(logging.INFO, logger="tolbooth.sms"):
        # In its own thread: after a browser test, Playwright's sync API leaves an event
        # loop running in this worker's main thread, and asyncio.run() refuses to nest.
        worker = threading.Thread(
            target=lambda: asyncio.run(TextSender(settings, store).send_due()))
        worker.start()
        worker.join(30)
    assert ("secret-token" in caplog.text) is logged_link
    assert store.read_sync(queries.text_status, text_id)[0] == status
