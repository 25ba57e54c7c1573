"""SIGKILL with 100 messages queued: after a restart every message arrives, and only
messages that were in flight arrive twice, each time with the same Message-ID.
`tolbooth serve` runs as a real process; a real SMTP server (aiosmtpd) takes a little
time over each message, so the kill lands mid-stream."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from server.db import Store, notify_outbox
from server.db import requests as requests_db
from server.db.schema import migrate
from server.db.seed import seed
from server.forms.references import new_reference
from server.notify.notices import Notices
from server.notify.sender import BATCH
from tests.mailbox import Mailbox
from tests.notify_support import wait_until
from tests.support import free_port
from tests.test_sync_kill import Server

pytestmark = pytest.mark.slow
MESSAGES = 100


class SlowMailbox(Mailbox):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def queue_requests(store: Store, count: int) -> None:
    notices = Notices()  # nothing to wake: the server is not running yet

    def make(db: Any) -> None:
        for i in range(count):
            new = requests_db.NewRequest(
                id=str(uuid.uuid4()), journey="pest-control", service="environmental-health",
                form_version=1, answers={}, channel="web", special_category=False,
                contact_name="R", contact_email=f"resident{i}@example.org",
                contact_phone=None, locale="en", updates="email")
            created = requests_db.create_request(db, new, lambda: new_reference("MLC"))
            notices.requests_created(db, [(new, created.request.reference)])

    store.write_sync(make)


def test_sigkill_with_messages_queued_loses_none_and_resends_only_in_flight(tmp_path):
    data_dir = tmp_path / "data"
    store = Store(data_dir / "tolbooth.db")
    migrate(store)
    store.write_sync(seed)
    queue_requests(store, MESSAGES)
    store.close()

    mailbox = SlowMailbox(free_port())
    smtp = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    smtp.start()
    server = Server(data_dir)
    server.env |= {"TOLBOOTH_SMTP_HOST": "127.0.0.1", "TOLBOOTH_SMTP_PORT": str(mailbox.port)}
    try:
        server.start()
        wait_until(lambda: len(mailbox.messages) >= 30, timeout=60, what="30 emails")
        server.kill()
        at_kill = len(mailbox.messages)
        assert at_kill < MESSAGES, "everything was sent before the kill"
        server.start()
        wait_until(lambda: len({m["Message-ID"] for m in mailbox.messages}) == MESSAGES,
                   timeout=90, what="every message")
    finally:
        server.stop()
        smtp.stop()

    ids = Counter(m["Message-ID"] for m in mailbox.messages)
    twice = {message_id for message_id, n in ids.items() if n > 1}
    assert max(ids.values()) <= 2 and len(twice) <= BATCH, ids.most_common(3)
    for message_id in twice:  # the same message, the same Message-ID, the same person
        assert len({m["To"] for m in mailbox.messages if m["Message-ID"] == message_id}) == 1
    assert len({m["To"] for m in mailbox.messages}) == MESSAGES
    store = Store(data_dir / "tolbooth.db")
    try:
        assert store.read_sync(notify_outbox.counts) == {"sent": MESSAGES}
    finally:
        store.close()
