"""A request's working-day clock: when its first response and its resolution are due,
and whether it is on time.

Nothing is stored but the request's events: the due dates are worked out when read,
from the day it arrived, the service's targets (its form definition's `targets`, or
the SPSO model for complaints) and the working days it spent waiting for the resident
or another body (statuses whose clock is PAUSED). So a changed target never loses the
paused time, and a council closure added later moves every due date across it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils

from server.casework import calendar
from server.casework.status import PAUSED, STATUSES, STOPPED
from server.db import closures as closures_db
from server.db import requests as requests_db
from server.db.clock import parse_iso
from server.db.requests import ClockEvent, StoredRequest
from server.forms.definition import SPSO_TARGETS, Targets
from server.forms.normalise import COUNCIL_TIME_ZONE
from server.forms.registry import FormRegistry

SPSO = SPSO_TARGETS  # forms may name it: "targets": {"model": "spso"}
DUE_SOON_DAYS = 2  # "due soon": this many working days left, or fewer

ON_TIME, DUE_SOON, OVERDUE, MET, MISSED, WAITING = (
    "on_time", "due_soon", "overdue", "met", "missed", "paused")


@dataclass(frozen=True)
class Pause:
    status: str  # the waiting status that paused it
    start: date
    end: date | None  # None: still waiting
    working_days: int  # counted up to today while it lasts


@dataclass(frozen=True)
class Clock:
    received: date
    first_response_due: date
    first_response_on: date | None  # the day an officer first answered
    resolution_due: date
    paused_days: int
    pauses: tuple[Pause, ...]
    state: str  # ON_TIME, DUE_SOON, OVERDUE, MET, MISSED or WAITING (paused)
    due: date | None  # the date that matters now: first response until given, then resolution
    days_left: int  # working days to `due` (0 on the day); negative: overdue by that many
    closed_on: date | None


def council_day(at: str) -> date:
    return parse_iso(at).astimezone(COUNCIL_TIME_ZONE).date()


def today() -> date:
    return datetime.now(COUNCIL_TIME_ZONE).date()


def _pauses(events: Sequence[ClockEvent], today: date,
            closures: Collection[date]) -> tuple[list[Pause], date | None, date | None]:
    pauses: list[Pause] = []
    waiting: tuple[str, date] | None = None
    first_response = closed_on = None
    for e in events[1:]:
        day = council_day(e.at)
        if first_response is None and e.kind in ("status_changed", "message"):
            first_response = day
        if e.status is None or e.status not in STATUSES:
            continue
        clock = STATUSES[e.status].clock
        if clock == PAUSED and waiting is None:
            waiting = (e.status, day)
        elif clock != PAUSED and waiting is not None:
            pauses.append(Pause(waiting[0], waiting[1], day, calendar.working_days_between(
                waiting[1], day, closures)))
            waiting = None
        closed_on = day if clock == STOPPED else None
    if waiting is not None:
        pauses.append(Pause(waiting[0], waiting[1], None, calendar.working_days_between(
            waiting[1], today, closures)))
    return pauses, first_response, closed_on


def clock(targets: Targets, events: Sequence[ClockEvent], closures: Collection[date],
          today: date) -> Clock:
    """The clock of a request whose events (its first the `created`) are `events`."""
    received = council_day(events[0].at)
    pauses, first_response, closed_on = _pauses(events, today, closures)
    paused = sum(p.working_days for p in pauses)
    # A first response is what ends the wait for one, and pauses come after it.
    first_due = calendar.add_working_days(received, targets.first_response_days, closures)
    resolution_due = calendar.add_working_days(received, targets.resolution_days + paused,
                                               closures)
    if closed_on is not None:
        state = MET if closed_on <= resolution_due else MISSED
        return Clock(received, first_due, first_response, resolution_due, paused,
                     tuple(pauses), state, None, 0, closed_on)
    due = first_due if first_response is None else resolution_due
    if today > due:
        state, left = OVERDUE, -calendar.working_days_between(due, today, closures)
    else:
        left = calendar.working_days_between(today, due, closures)
        state = DUE_SOON if left <= DUE_SOON_DAYS else ON_TIME
    if pauses and pauses[-1].end is None and state != OVERDUE:
        state = WAITING
    return Clock(received, first_due, first_response, resolution_due, paused, tuple(pauses),
                 state, due, left, None)


def targets_of(forms: FormRegistry, found: StoredRequest) -> Targets | None:
    """The targets of the request's own form version (a later version's new targets
    apply to requests made with it)."""
    return forms.get(found.journey, found.form_version).targets


def for_request(db: sqlite_utils.Database, forms: FormRegistry, found: StoredRequest,
                on: date | None = None) -> Clock | None:
    """The request's clock (None when its service sets no targets)."""
    return for_requests(db, forms, [found], on).get(found.id)


def for_requests(db: sqlite_utils.Database, forms: FormRegistry,
                 found: Sequence[StoredRequest], on: date | None = None
                 ) -> Mapping[str, Clock]:
    """Clocks of many requests (a page of an inbox) by id, in two queries: for the
    queues' due, due-soon and overdue. Requests without targets are left out."""
    events = requests_db.clock_events(db, [r.id for r in found])
    closures = closures_db.closure_days(db)
    day = on or today()
    clocks = {}
    for r in found:
        targets = targets_of(forms, r)
        if targets is not None and events.get(r.id):
            clocks[r.id] = clock(targets, events[r.id], closures, day)
    return clocks
