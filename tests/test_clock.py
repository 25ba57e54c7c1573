"""One clock (server/db/clock.py): every stored moment is UTC with milliseconds, so moments
compare as text; no module keeps a time helper of its own."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from server.db import requests as requests_db
from server.db import staff
from server.db.clock import day_start, iso, iso_in, now_iso, parse_iso

ROOT = Path(__file__).resolve().parent.parent
STORED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\Z")


def test_stored_moments_are_utc_with_milliseconds():
    assert iso(datetime(2026, 6, 1, 23, 30, 5, 123456, tzinfo=UTC)) == "2026-06-01T23:30:05.123Z"
    summer = timezone(timedelta(hours=1))
    assert iso(datetime(2026, 6, 2, 0, 30, tzinfo=summer)) == "2026-06-01T23:30:00.000Z"
    assert STORED.match(now_iso()) and STORED.match(iso_in(timedelta(days=3)))
    assert parse_iso("2026-06-01T23:30:05.123Z") == datetime(2026, 6, 1, 23, 30, 5, 123000,
                                                               tzinfo=UTC)


def test_a_staff_invite_expires_at_a_moment_with_milliseconds(store):
    """Invites were stored to the second: `…:51Z` sorts after `…:51.999Z`, so an invite
    outlived its expiry by up to a second."""
    store.write_sync(staff.create_invite, "new@example.gov.uk", "admin", "New", "test")
    [expires] = store.read_sync(lambda db: [r[0] for r in db.execute(
        "SELECT expires_at FROM staff_invites")])
    assert STORED.match(expires), expires


def test_no_module_keeps_a_time_helper_of_its_own():
    """Ten copies once mixed seconds and milliseconds: server/db/clock.py is the one."""
    copies = []
    for path in sorted((ROOT / "server").rglob("*.py")):
        if path == ROOT / "server" / "db" / "clock.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in ("isoformat(timespec", '.replace("Z", "+00:00")',
                        '.replace("+00:00", "Z")', "datetime.now(UTC) +",
                        "datetime.now(UTC) -"):
            if pattern in text:
                copies.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert copies == []


def test_the_web_and_sync_paths_draw_again_when_a_reference_is_taken(store):
    """One function (requests.free_references) for both: drawn references already taken,
    or drawn twice in one push, are drawn again."""
    drawn = iter(["MLC-AAAA-AAAA", "MLC-AAAA-AAAA", "MLC-BBBB-BBBB", "MLC-AAAA-AAAA",
                  "MLC-BBBB-BBBB", "MLC-CCCC-CCCC", "MLC-DDDD-DDDD"]).__next__
    from tests.test_requests_store import new
    store.write_sync(requests_db.create_request, new(), drawn)  # takes AAAA
    assert store.write_sync(requests_db.free_references, drawn, 2) == ["MLC-BBBB-BBBB",
                                                                       "MLC-CCCC-CCCC"]


def test_the_councils_day_starts_at_its_own_midnight_in_summer_and_winter():
    london = ZoneInfo("Europe/London")
    # 00:30 BST on 2 July is 23:30 UTC on 1 July: the hub's "today" is already 2 July.
    assert day_start(london, datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == "2026-07-01T23:00:00.000Z"
    assert day_start(london, datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == "2026-06-30T23:00:00.000Z"
    assert day_start(london, datetime(2026, 12, 3, 0, 10, tzinfo=UTC)) == "2026-12-03T00:00:00.000Z"
