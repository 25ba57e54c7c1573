"""Scottish working days, and the targets form definitions give in them."""

from datetime import date

import pytest

from server.casework.calendar import add_working_days, is_working_day, working_days_between
from server.forms.definition import DefinitionError, parse_definition
from server.forms.registry import FormRegistry


@pytest.mark.parametrize("start, days, expected", [
    (date(2026, 12, 2), 1, date(2026, 12, 3)),     # Wednesday to Thursday
    (date(2026, 12, 4), 1, date(2026, 12, 7)),     # Friday: over the weekend
    (date(2026, 11, 27), 1, date(2026, 12, 1)),    # St Andrew's Day, Monday 30 November
    (date(2026, 12, 24), 2, date(2026, 12, 30)),   # Christmas, Boxing Day's Monday
    (date(2026, 12, 31), 1, date(2027, 1, 5)),     # 1 January and 2 January's Monday
    (date(2026, 12, 2), 0, date(2026, 12, 2)),
])
def test_adding_working_days_skips_weekends_and_scottish_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_a_council_closure_is_not_a_working_day():
    closed = {date(2026, 12, 3)}
    assert not is_working_day(date(2026, 12, 3), closed)
    assert add_working_days(date(2026, 12, 2), 1, closed) == date(2026, 12, 4)
    assert working_days_between(date(2026, 12, 2), date(2026, 12, 7), closed) == 2


def test_every_journey_has_targets():
    for journey in FormRegistry().journeys():
        assert journey.targets is not None, journey.journey
        assert journey.targets.first_response_days <= journey.targets.resolution_days


def test_targets_are_checked(tmp_path):
    journey = FormRegistry().latest("pest-control")
    for bad in ({"first_response_days": 0, "resolution_days": 5},
                {"first_response_days": 10, "resolution_days": 5},
                {"first_response_days": 5}):
        with pytest.raises(DefinitionError):
            parse_definition({**journey.raw, "targets": bad})


def test_working_days_between_counts_as_day_by_day_would():
    """Counted by weeks (for the dashboard's speed): the same as counting each day."""
    from datetime import date, timedelta

    from server.casework.calendar import is_working_day, working_days_between

    closures = {date(2026, 12, 3), date(2027, 1, 9), date(2025, 6, 2)}
    start = date(2025, 5, 1)
    for offset in range(0, 700, 13):
        for length in (0, 1, 2, 5, 6, 7, 8, 30, 95, 400):
            a = start + timedelta(days=offset)
            b = a + timedelta(days=length)
            slow = sum(1 for i in range(1, length + 1)
                       if is_working_day(a + timedelta(days=i), closures))
            assert working_days_between(a, b, closures) == slow, (a, b)
    assert working_days_between(date(2026, 12, 5), date(2026, 12, 1)) == 0
