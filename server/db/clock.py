"""The one clock: every moment the server stores or compares is UTC text with
milliseconds (`2026-12-02T17:13:51.123Z`), so stored moments sort and compare as text.

A second precision once crept in (staff invites): `…:51Z` sorts after `…:51.999Z`, so an
invite outlived its expiry by up to a second. pwa/scripts/time/clock.js is the browser's
side of the same format.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


def iso(moment: datetime) -> str:
    """An aware datetime as stored text."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now_iso() -> str:
    return iso(datetime.now(UTC))


def day_start(zone: tzinfo, moment: datetime | None = None) -> str:
    """Midnight of the day `moment` (now) falls on in `zone`, as stored text: "today"
    where the council is (00:00 BST is 23:00 UTC the day before)."""
    local = (moment or datetime.now(UTC)).astimezone(zone)
    return iso(local.replace(hour=0, minute=0, second=0, microsecond=0))


def iso_in(delta: timedelta) -> str:
    """Now plus `delta` (minus, for a negative one), as stored text."""
    return iso(datetime.now(UTC) + delta)


def parse_iso(text: str) -> datetime:
    """Stored text (or any ISO 8601 moment with a zone) as an aware datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment


def seconds_until(text: str) -> float:
    return (parse_iso(text) - datetime.now(UTC)).total_seconds()


def age(text: str) -> timedelta:
    return datetime.now(UTC) - parse_iso(text)
