"""Issue 12: the working-day clock (server/casework/sla.py) across a weekend, St
Andrew's Day and a council closure; paused while waiting for the resident and resumed;
a changed target keeps the paused days; and how staff see it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from server.casework import sla
from server.casework.calendar import add_working_days
from server.db import audit as audit_db
from server.db import closures as closures_db
from server.db import requests as requests_db
from server.db.requests import ClockEvent
from server.forms.definition import DefinitionError, Targets, parse_definition
from server.forms.registry import FormRegistry
from tests.passkey_authenticator import make_request
from tests.test_request_copies import ADMIN, PLANNER, as_staff, post


def at(day: date, hour: int = 10) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00.000Z"


def events(received: date, *changes: tuple[date, str, str | None]) -> list[ClockEvent]:
    return [ClockEvent(at(received), "created", "received"),
            *(ClockEvent(at(day, 11), kind, status) for day, kind, status in changes)]


def test_a_request_received_on_friday_is_due_after_the_weekend():
    clock = sla.clock(Targets(1, 3), events(date(2026, 12, 4)), (), date(2026, 12, 5))
    assert clock.first_response_due == date(2026, 12, 7)  # Monday
    assert clock.resolution_due == date(2026, 12, 9)
    assert (clock.state, clock.due, clock.days_left) == (sla.DUE_SOON, date(2026, 12, 7), 1)


def test_st_andrews_day_is_not_a_working_day():
    # Friday 27 November 2026; Monday 30 November is St Andrew's Day.
    clock = sla.clock(Targets(1, 5), events(date(2026, 11, 27)), (), date(2026, 11, 27))
    assert clock.first_response_due == date(2026, 12, 1)
    assert clock.resolution_due == date(2026, 12, 7)


def test_a_council_closure_is_skipped():
    closed = {date(2026, 12, 3)}
    clock = sla.clock(Targets(1, 2), events(date(2026, 12, 2)), closed, date(2026, 12, 2))
    assert clock.first_response_due == date(2026, 12, 4)
    assert clock.resolution_due == date(2026, 12, 7)


PAUSED_AND_RESUMED = (
    (date(2026, 12, 9), "status_changed", "waiting_resident"),
    (date(2026, 12, 14), "status_changed", "in_progress"))


def test_waiting_for_the_resident_pauses_the_clock_and_moves_the_due_date():
    received = date(2026, 12, 7)  # Monday
    unpaused = sla.clock(Targets(5, 10), events(received), (), received)
    assert unpaused.resolution_due == date(2026, 12, 21)
    # Still waiting on Friday: two working days (Thursday, Friday) paused so far.
    waiting = sla.clock(Targets(5, 10), events(received, PAUSED_AND_RESUMED[0]), (),
                        date(2026, 12, 11))
    assert waiting.state == sla.WAITING and waiting.paused_days == 2
    assert waiting.pauses[0].end is None and waiting.resolution_due == date(2026, 12, 23)
    # Resumed on Monday 14th: three working days paused, the due date three later
    # (over Christmas: 24 December).
    resumed = sla.clock(Targets(5, 10), events(received, *PAUSED_AND_RESUMED), (),
                        date(2026, 12, 15))
    assert resumed.paused_days == 3 and resumed.resolution_due == date(2026, 12, 24)
    assert [(p.status, p.start, p.end, p.working_days) for p in resumed.pauses] == [
        ("waiting_resident", date(2026, 12, 9), date(2026, 12, 14), 3)]
    assert resumed.first_response_on == date(2026, 12, 9)
    assert resumed.state == sla.ON_TIME and resumed.due == date(2026, 12, 24)
    # Waiting for another body pauses it too; moving from one wait to the other is
    # one pause.
    other = sla.clock(Targets(5, 10), events(
        received, (date(2026, 12, 9), "status_changed", "waiting_other"),
        (date(2026, 12, 10), "status_changed", "waiting_resident"),
        (date(2026, 12, 14), "status_changed", "in_progress")), (), date(2026, 12, 15))
    assert other.paused_days == 3 and len(other.pauses) == 1


def test_a_changed_target_keeps_the_paused_days():
    received = date(2026, 12, 7)
    before = sla.clock(Targets(5, 10), events(received, *PAUSED_AND_RESUMED), (),
                       date(2026, 12, 15))
    after = sla.clock(Targets(5, 20), events(received, *PAUSED_AND_RESUMED), (),
                      date(2026, 12, 15))
    assert before.paused_days == after.paused_days == 3
    assert after.resolution_due == add_working_days(received, 23)


def test_overdue_counts_working_days_past_the_due_date():
    received = date(2026, 12, 7)
    answered = events(received, (date(2026, 12, 8), "message", None))
    clock = sla.clock(Targets(1, 2), answered, (), date(2026, 12, 14))
    assert clock.resolution_due == date(2026, 12, 9)
    assert (clock.state, clock.days_left) == (sla.OVERDUE, -3)
    # No first response yet: that is what is overdue.
    silent = sla.clock(Targets(1, 20), events(received), (), date(2026, 12, 10))
    assert (silent.state, silent.due, silent.days_left) == (sla.OVERDUE, date(2026, 12, 8), -2)


def test_closing_stops_the_clock_met_or_missed():
    received = date(2026, 12, 7)
    on_time = sla.clock(Targets(1, 2), events(
        received, (date(2026, 12, 9), "status_changed", "resolved")), (), date(2027, 1, 20))
    late = sla.clock(Targets(1, 2), events(
        received, (date(2026, 12, 10), "status_changed", "referred")), (), date(2027, 1, 20))
    assert (on_time.state, on_time.closed_on) == (sla.MET, date(2026, 12, 9))
    assert late.state == sla.MISSED
    # Opened again: the clock runs again.
    reopened = sla.clock(Targets(1, 2), events(
        received, (date(2026, 12, 9), "status_changed", "resolved"),
        (date(2026, 12, 10), "status_changed", "in_progress")), (), date(2026, 12, 10))
    assert reopened.state == sla.OVERDUE and reopened.closed_on is None


def test_a_complaints_service_may_name_the_spso_model():
    journey = FormRegistry().latest("food-safety-complaint")
    spso = parse_definition({**journey.raw, "targets": {"model": "spso"}})
    assert spso.targets == sla.SPSO == Targets(3, 20)
    for bad in ({"model": "other"}, {"model": "spso", "resolution_days": 5}):
        with pytest.raises(DefinitionError):
            parse_definition({**journey.raw, "targets": bad})


def test_a_closure_added_later_moves_the_due_dates_of_requests_already_made(world):
    request_id = make_request(world.store, "planning", "a@example.com", "tree-enquiry")
    found = world.store.read_sync(requests_db.by_id, request_id)
    forms = world.app.state.forms
    before = world.store.read_sync(sla.for_request, forms, found)
    assert before is not None
    closure = add_working_days(before.received, 1)
    world.store.write_sync(closures_db.add_closure, closure, "Local holiday", "test")
    after = world.store.read_sync(sla.for_request, forms, found)
    assert after.first_response_due == add_working_days(before.received, 5, {closure})
    assert after.first_response_due > before.first_response_due
    many = world.store.read_sync(sla.for_requests, forms, [found])
    assert many[request_id] == after


def test_the_staff_page_shows_the_due_date_and_the_pauses(world):
    request_id = make_request(world.store, "planning", "a@example.com", "tree-enquiry")
    page = f"/staff/requests/{request_id}"
    officer = as_staff(world.client(), world.store, world.settings, PLANNER)
    html = officer.get(page).text
    assert re.search(r"Due by [^<]+\(\d+ working days? left\)", html), html
    assert 'id="pauses"' not in html
    assert post(officer, f"{page}/status", {"status": "waiting_resident",
                                            "message": "Send a photo"}, page).status_code == 303
    html = officer.get(page).text
    assert "Clock paused" in html and 'id="pauses"' in html
    assert "Waiting for the resident: since" in html


def test_admins_add_and_remove_council_closures(world):
    admin = as_staff(world.client(), world.store, world.settings, ADMIN)
    page = "/admin/closures"
    assert admin.get(page).status_code == 200
    r = post(admin, page, {"day": "24/12/2027", "name": "Christmas Eve"}, page)
    assert r.status_code == 303
    assert [c.day for c in world.store.read_sync(closures_db.all_closures)] == [
        date(2027, 12, 24)]
    listed = admin.get(page).text
    assert "Christmas Eve" in listed and "/admin/closures/2027-12-24/remove" in listed
    again = post(admin, page, {"day": "2027-12-24", "name": "Again"}, page)
    assert again.status_code == 400 and "That day is already a closure" in again.text
    bad = post(admin, page, {"day": "31/2/2027", "name": ""}, page)
    assert bad.status_code == 400 and "Enter the date" in bad.text and "Enter a name" in bad.text
    # Without the CSRF token: refused, nothing changed.
    refused = admin.post(page, data={"day": "1/6/2027", "name": "x"},
                         headers={"Origin": world.settings.origin}, follow_redirects=False)
    assert refused.status_code == 403
    assert post(admin, "/admin/closures/2027-12-24/remove", {}, page).status_code == 303
    assert world.store.read_sync(closures_db.all_closures) == []
    assert post(admin, "/admin/closures/2027-12-24/remove", {}, page).status_code == 404
    actions = [e.action for e in world.store.read_sync(audit_db.entries, 20)]
    assert "closure_added" in actions and "closure_removed" in actions


def test_officers_may_not_change_closures(world):
    officer = as_staff(world.client(), world.store, world.settings, PLANNER)
    assert officer.get("/admin/closures").status_code == 403


def test_the_acknowledgement_gives_both_dates_and_skips_council_closures(tmp_path):
    """The auto-response: timescales up front, from the same working-day calendar."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from server.notify.compose import compose
    from tests.support import make_settings
    from tests.test_notify_catalogue import notice

    settings, forms = make_settings(tmp_path), FormRegistry()
    # Noise complaint: first response in 5 working days, resolution in 40.
    created = datetime(2026, 12, 2, 12, tzinfo=UTC)
    plain = replace(notice("acknowledgement", "en", created, None), channel="email")
    closed = replace(plain, closures=frozenset({date(2026, 12, 3)}))

    def text(n):
        return " ".join(b.text for b in compose(settings, forms, n).blocks)

    assert "We aim to reply by 9 December 2026." in text(plain)
    assert "We aim to reply by 10 December 2026." in text(closed)
    assert "We aim to have dealt with your request by 2 February 2027." in text(plain)
