"""Working days in Scotland: weekdays that are not Scottish public holidays (the
`holidays` library, subdivision SCT: 2 January, St Andrew's Day, ...) nor one of the
council's own closures. Service targets count in working days."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _scottish_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="SCT", years=year))


def is_working_day(day: date, closures: Collection[date] = ()) -> bool:
    return (day.weekday() < 5 and day not in _scottish_holidays(day.year)
            and day not in closures)


def add_working_days(start: date, days: int, closures: Collection[date] = ()) -> date:
    """The date `days` working days after `start` (start itself not counted): what "we
    will reply within 5 working days" of something received on `start` means."""
    if days < 0:
        raise ValueError("days must not be negative")
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, closures):
            left -= 1
    return day


def working_days_between(start: date, end: date, closures: Collection[date] = ()) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, closures):
            count += 1
    return count
