"""Working days in Scotland: weekdays that are not Scottish public holidays (the
`holidays` library, subdivision SCT: 2 January, St Andrew's Day, ...) nor one of the
council's own closures. Service targets count in working days."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import cache, lru_cache

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
    return _add_working_days(start, days, frozenset(closures))


# Requests received on the same day share their due dates: the dashboard and the due
# filters ask for the same few thousand again and again.
@lru_cache(maxsize=65536)
def _add_working_days(start: date, days: int, closures: frozenset[date]) -> date:
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, closures):
            left -= 1
    return day


def working_days_between(start: date, end: date, closures: Collection[date] = ()) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start).
    Counted by weeks, less the holidays and closures on weekdays in between, not day by
    day: the dashboard and the due filters count thousands of long-open requests."""
    if end <= start:
        return 0
    full_weeks, rest = divmod((end - start).days, 7)
    weekday = start.weekday()
    count = full_weeks * 5 + sum(1 for i in range(1, rest + 1) if (weekday + i) % 7 < 5)
    off = set(closures)
    for year in range(start.year, end.year + 1):
        off |= _scottish_holidays(year)
    return count - sum(1 for day in off if start < day <= end and day.weekday() < 5)
