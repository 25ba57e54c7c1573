"""The managers' dashboard: per service, requests per week over the last 12 weeks (this
week so far included), time to first response and to resolution in working days
(median and 90th percentile, nearest rank), open requests overdue, how requests
arrived and how many were made online, and the closure survey's answers.

Only numbers: no answer, comment or contact detail is ever read here, so an admin sees
social work's special category requests counted, never listed (requests_csv leaves
them out for anyone who may not read them)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlite_utils

from server.casework import calendar, sla
from server.casework.status import OPEN_STATUSES
from server.db import closures as closures_db
from server.db import dashboard as dashboard_db
from server.db import satisfaction as satisfaction_db
from server.db.clock import iso
from server.forms.normalise import COUNCIL_TIME_ZONE
from server.forms.registry import FormRegistry
from server.i18n import lazy as _

WEEKS = 12
SERVICES = ("planning", "environmental-health", "social-work")
# How requests arrive (requests.channel): made online by the resident, or with help.
CHANNELS = {"web": _("Online form"), "offline": _("Online, sent when back online"),
            "api": _("Open311 apps"), "kiosk": _("Library kiosk"),
            "field": _("Field worker visit")}
ONLINE = ("web", "offline", "api")
SATISFIED = 4  # a score of 4 or 5 out of 5


@dataclass
class ServiceFigures:
    service: str
    weekly: list[int]
    first_response: list[int] = field(default_factory=list)  # working days, each request
    resolution: list[int] = field(default_factory=list)
    overdue: int = 0
    channels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    answers: int = 0
    score_total: int = 0
    satisfied: int = 0

    @property
    def received(self) -> int:
        return sum(self.weekly)

    @property
    def online(self) -> int:
        return sum(self.channels[c] for c in ONLINE)

    @property
    def assisted(self) -> int:
        return self.received - self.online

    def percentile(self, which: str, p: float) -> int | None:
        return percentile(getattr(self, which), p)

    @property
    def mean_score(self) -> float | None:
        return round(self.score_total / self.answers, 1) if self.answers else None


@dataclass(frozen=True)
class Figures:
    today: date
    weeks: list[date]  # the Monday of each week, oldest first
    services: list[ServiceFigures]

    def weekly_totals(self) -> list[int]:
        return [sum(s.weekly[i] for s in self.services) for i in range(len(self.weeks))]

    def channel_totals(self) -> dict[str, int]:
        return {c: sum(s.channels[c] for s in self.services) for c in CHANNELS}


def percentile(values: Sequence[int], p: float) -> int | None:
    """Nearest rank: the smallest value at least `p` of the values are no more than."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def week_starts(today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]


def iso_week(day: date) -> str:
    year, week, _day = day.isocalendar()
    return f"{year}-W{week:02d}"


def figures(db: sqlite_utils.Database, forms: FormRegistry, service: str | None,
            today: date | None = None) -> Figures:
    """The figures of one service (None: every service), live: today counts."""
    day = today or sla.today()
    weeks = week_starts(day)
    since = iso(datetime.combine(weeks[0], time(0), COUNCIL_TIME_ZONE))
    shown = [s for s in SERVICES if service is None or s == service]
    per = {s: ServiceFigures(s, [0] * WEEKS) for s in shown}
    rows = dashboard_db.counted(db, service, since, OPEN_STATUSES)
    events = dashboard_db.clock_events(db, service, since, OPEN_STATUSES)
    closures = closures_db.closure_days(db)
    for row in rows:
        figures_of = per.get(row.service)
        if figures_of is None:
            continue
        received = sla.council_day(row.created_at)
        clock = clock_of(forms, row, events.get(row.id, []), closures, day)
        if row.status in OPEN_STATUSES and clock is not None and clock.state == sla.OVERDUE:
            figures_of.overdue += 1
        if received < weeks[0]:
            continue  # open, older than the window: counted only as overdue
        figures_of.weekly[(received - weeks[0]).days // 7] += 1
        figures_of.channels[row.channel if row.channel in CHANNELS else "web"] += 1
        if clock is None:
            continue
        if clock.first_response_on is not None:
            figures_of.first_response.append(calendar.working_days_between(
                received, clock.first_response_on, closures))
        if clock.closed_on is not None:
            figures_of.resolution.append(max(0, calendar.working_days_between(
                received, clock.closed_on, closures) - clock.paused_days))
    first_week, this_week = iso_week(weeks[0]), iso_week(day)
    for answered_service, week, score, answers in satisfaction_db.weekly_counts(db):
        if answered_service in per and first_week <= week <= this_week:
            per[answered_service].answers += answers
            per[answered_service].score_total += score * answers
            per[answered_service].satisfied += answers if score >= SATISFIED else 0
    return Figures(day, weeks, list(per.values()))


def clock_of(forms: FormRegistry, row: dashboard_db.Row, events: list,
           closures: frozenset[date] | set[date], day: date) -> sla.Clock | None:
    if not events:
        return None
    try:
        targets = forms.get(row.journey, row.form_version).targets
    except KeyError:
        return None
    return sla.clock(targets, events, closures, day) if targets is not None else None


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading =, +, - or @ would be run as a formula by spreadsheets.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    return out.getvalue()


def figures_csv(found: Figures) -> str:
    """One figure a row: service, figure, period (an ISO week or the 12 weeks), value."""
    period = f"{iso_week(found.weeks[0])}/{iso_week(found.today)}"
    rows: list[list[object]] = []
    for s in found.services:
        rows += [[s.service, "received", iso_week(w), n]
                 for w, n in zip(found.weeks, s.weekly, strict=True)]
        rows += [[s.service, name, period, value] for name, value in (
            ("received", s.received),
            ("first_response_median_working_days", s.percentile("first_response", 0.5)),
            ("first_response_p90_working_days", s.percentile("first_response", 0.9)),
            ("resolution_median_working_days", s.percentile("resolution", 0.5)),
            ("resolution_p90_working_days", s.percentile("resolution", 0.9)),
            ("overdue_now", s.overdue),
            *((f"channel_{c}", n) for c, n in s.channels.items()),
            ("made_online", s.online), ("made_with_help", s.assisted),
            ("survey_answers", s.answers), ("survey_mean_score", s.mean_score),
            ("survey_satisfied", s.satisfied))]
    return _csv(["service", "figure", "period", "value"], rows)


def requests_csv(db: sqlite_utils.Database, forms: FormRegistry, service: str | None,
                 special_category: bool, today: date | None = None) -> str:
    """The requests behind the figures (received in the 12 weeks, or still open) that
    the reader may list: no answers, no contact details, no free text."""
    day = today or sla.today()
    since = iso(datetime.combine(week_starts(day)[0], time(0), COUNCIL_TIME_ZONE))
    rows = dashboard_db.counted(db, service, since, OPEN_STATUSES, special_category)
    events = dashboard_db.clock_events(db, service, since, OPEN_STATUSES)
    closures = closures_db.closure_days(db)
    out = []
    for row in rows:
        clock = clock_of(forms, row, events.get(row.id, []), closures, day)
        out.append([row.reference, row.service, row.status, row.channel, row.created_at,
                    row.updated_at, clock.first_response_on if clock else None,
                    clock.closed_on if clock else None,
                    clock.resolution_due if clock else None,
                    clock.state if clock else None, row.team_id, row.priority])
    return _csv(["reference", "service", "status", "channel", "received_at", "updated_at",
                 "first_response_on", "closed_on", "resolution_due", "clock", "team",
                 "priority"], out)
