"""Protocol 1, kiosks (issue 13): what a kiosk reports it has waiting to send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sync.messages import UTC_TIME, read_int, read_object, read_protocol, read_text

MAX_WAITING = 100_000
MAX_STATUS_BYTES = 1024


@dataclass(frozen=True)
class KioskStatus:
    waiting: int
    oldest_at: str | None  # when the oldest waiting item was queued (UTC, as stored)


def parse_kiosk_status(body: Any) -> KioskStatus:
    read_protocol(body)
    read_object(body, "", {"protocol", "waiting"}, {"oldest_at"})
    waiting = read_int(body["waiting"], "waiting", 0, MAX_WAITING)
    oldest = body.get("oldest_at")
    if oldest is not None:
        oldest = read_text(oldest, "oldest_at", 40, pattern=UTC_TIME)
    return KioskStatus(waiting, oldest)
