"""What the notification benchmarks share: a real SMTP server (aiosmtpd) on loopback that
notes when each message arrives, and an app (in this process, its own data directory)
whose sender runs while `running()` is open."""

from __future__ import annotations

import contextlib
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from .servers import free_port


class Sink:
    """Keeps nothing but the arrival time of each message, by its Message-ID."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.count = 0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        at = time.perf_counter()
        head = envelope.content.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        message_id = next((line.split(":", 1)[1].strip() for line in head.split("\r\n")
                           if line.lower().startswith("message-id:")), "")
        with self._changed:
            self.arrived.setdefault(message_id, at)
            self.count += 1
            self._changed.notify_all()
        return "250 OK"

    def wait_for_count(self, count: int, timeout: float) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self.count >= count, timeout):
                raise TimeoutError(f"{self.count} of {count} messages arrived")

    def wait_for(self, message_id: str, timeout: float) -> float:
        with self._changed:
            if not self._changed.wait_for(lambda: message_id in self.arrived, timeout):
                raise TimeoutError(f"{message_id} did not arrive")
            return self.arrived[message_id]

    def reset(self) -> None:
        with self._lock:
            self.arrived.clear()
            self.count = 0


@contextlib.contextmanager
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@contextlib.contextmanager
def app_with_smtp(port: int) -> Iterator[Any]:
    """A seeded app sending to `port`; yields (built app, start-sender context)."""
    from tests.support import build_app
    with tempfile.TemporaryDirectory(prefix="tolbooth-bench-notify-") as tmp:
        built = build_app(Path(tmp) / "data", TOLBOOTH_SMTP_HOST="127.0.0.1",
                          TOLBOOTH_SMTP_PORT=str(port), TOLBOOTH_LOG_LEVEL="warning")
        try:
            yield built
        finally:
            built.close()


def queue_requests(built: Any, count: int, per_transaction: int = 100) -> list[Any]:
    """`count` requests wanting email updates, each acknowledged (queued, not sent)."""
    import uuid

    from server.db import requests as requests_db
    from server.forms.references import new_reference
    notices = built.app.state.notices
    made: list[Any] = []

    def make(db: Any, n: int) -> None:
        for _ in range(n):
            new = requests_db.NewRequest(
                id=str(uuid.uuid4()), journey="pest-control", service="environmental-health",
                form_version=1, answers={}, channel="web", special_category=False,
                contact_name="R", contact_email=f"r{len(made)}@example.org",
                contact_phone=None, locale="en", updates="email")
            created = requests_db.create_request(db, new, lambda: new_reference("MLC"))
            notices.requests_created(db, [(new, created.request.reference)])
            made.append(created.request)

    for start in range(0, count, per_transaction):
        built.store.write_sync(make, min(per_transaction, count - start))
    return made


def message_ids(built: Any, template: str | None = None) -> list[str]:
    """The Message-IDs the queued notifications will have, oldest first."""
    from server.notify.email_message import message_id
    where = "WHERE template = ?" if template else ""
    rows = built.store.read_sync(lambda db: [r[0] for r in db.execute(
        f"SELECT id FROM notifications {where} ORDER BY rowid",
        [template] if template else [])])
    return [message_id(built.settings, row) for row in rows]
