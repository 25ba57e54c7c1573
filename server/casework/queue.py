"""The staff queue's filters as the inbox's GET form sends them: parsed and checked into
a db.queues.QueueFilter for one reader, and written back as the query string paging
links and saved views keep. Statuses are whatever casework/status.py lists."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import sqlite_utils

from server.casework import sla
from server.casework.assignment import PRIORITIES
from server.casework.dashboard import clock_of
from server.casework.status import OPEN_STATUSES, STATUS
from server.db import closures as closures_db
from server.db import dashboard as dashboard_db
from server.db import queues
from server.db.clock import iso_in
from server.db.queues import SORTS, QueueFilter
from server.db.requests import InboxPage, StoredRequest
from server.forms.registry import FormRegistry

ASSIGNEES = ("", "me", "team", "unassigned")
ONE_TEAM = re.compile(r"^team:[a-z0-9-]{1,60}$")  # the queue of one team
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
Q_MAX = 200
OLDER_MAX = 3650
# The due filters: the clock state each keeps (sla.py works them out when read).
DUE = {"overdue": sla.OVERDUE, "due_soon": sla.DUE_SOON}
# The most open requests whose clocks one due filter or workload works out: bounds the
# page's time whatever the size of the service's backlog. If it bites, overdue looks
# at the oldest (the most likely to be late) and due soon at the newest (most due soon
# are awaiting a first reply due a few working days after they arrived).
DUE_SCAN_MAX = 5000


@dataclass(frozen=True)
class Chosen:
    """What the officer chose, checked: what the form shows back and the links keep."""
    statuses: tuple[str, ...] = ()
    priority: str = ""
    assignee: str = ""
    area: str = ""
    older: int | None = None
    sort: str = "newest"
    q: str = ""
    due: str = ""  # "", "overdue" or "due_soon"

    def query(self) -> str:
        pairs = [("status", s) for s in self.statuses]
        pairs += [(k, v) for k, v in (("priority", self.priority), ("assignee", self.assignee),
                                      ("area", self.area), ("due", self.due), ("q", self.q))
                  if v]
        if self.older is not None:
            pairs.append(("older", str(self.older)))
        if self.sort != "newest":
            pairs.append(("sort", self.sort))
        return urlencode(pairs)


def choose(params: Mapping[str, str] | list[tuple[str, str]]) -> Chosen:
    """Anything not understood is dropped (a filter never errors: the list shows)."""
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    get = {k: v for k, v in pairs}
    statuses = tuple(dict.fromkeys(v for k, v in pairs if k == "status" and v in STATUS))
    area = re.sub(r"\s+", "", get.get("area", "")).upper()
    assignee = get.get("assignee", "")
    older_raw = get.get("older", "").strip()
    older = int(older_raw) if older_raw.isdigit() and 0 < int(older_raw) <= OLDER_MAX else None
    return Chosen(
        statuses=statuses,
        priority=get.get("priority", "") if get.get("priority", "") in PRIORITIES else "",
        assignee=assignee if assignee in ASSIGNEES or ONE_TEAM.match(assignee) else "",
        area=area if DISTRICT.match(area) else "",
        older=older,
        sort=get.get("sort", "newest") if get.get("sort", "newest") in SORTS else "newest",
        due=get.get("due", "") if get.get("due", "") in DUE else "",
        q=" ".join(get.get("q", "").split())[:Q_MAX])


def from_query(query: str) -> Chosen:
    return choose(parse_qsl(query, keep_blank_values=False))


def queue_filter(chosen: Chosen, staff_id: str, my_teams: list[str]) -> QueueFilter:
    assignee = {"me": staff_id, "team": "team:" + ",".join(my_teams),
                "unassigned": "unassigned"}.get(chosen.assignee, "")
    if ONE_TEAM.match(chosen.assignee):
        assignee = chosen.assignee  # the reader's scope still bounds what it lists
    return QueueFilter(
        statuses=chosen.statuses, priority=chosen.priority, assignee=assignee,
        area=chosen.area, q=chosen.q, sort=chosen.sort,
        created_before=iso_in(-timedelta(days=chosen.older)) if chosen.older else "")


def _sorted(rows: list[StoredRequest], sort: str) -> list[StoredRequest]:
    """The order db/queues.py SORTS gives, for rows filtered in Python."""
    if sort == "oldest":
        return rows  # the candidates come oldest first
    if sort == "priority":
        rank = {p: i for i, p in enumerate(("urgent", "high", "normal", "low"))}
        return sorted(rows, key=lambda r: rank.get(r.priority, 3))  # stable: oldest first
    return rows[::-1]


def with_due(db: sqlite_utils.Database, forms: FormRegistry, scope: queues.Scope,
             f: QueueFilter, due: str) -> list[StoredRequest]:
    """The open requests a filter matches whose clock is in the state `due` names, in
    the filter's order: worked out from at most DUE_SCAN_MAX open requests."""
    candidates = queues.open_candidates(db, scope, f, OPEN_STATUSES, DUE_SCAN_MAX,
                                        newest_first=due == "due_soon")
    clocks = sla.for_requests(db, forms, candidates)
    state = DUE[due]
    return _sorted([r for r in candidates
                    if (c := clocks.get(r.id)) is not None and c.state == state], f.sort)


def due_page(db: sqlite_utils.Database, forms: FormRegistry, scope: queues.Scope,
             f: QueueFilter, due: str, limit: int, offset: int) -> InboxPage:
    rows = with_due(db, forms, scope, f, due)
    return InboxPage(rows[offset:offset + limit], len(rows))


def view_counts(db: sqlite_utils.Database, forms: FormRegistry, scope: queues.Scope,
                views: Sequence[tuple[QueueFilter, str]]) -> list[int]:
    """Each saved view's count, its due filter included."""
    return [len(with_due(db, forms, scope, f, due)) if due else queues.count(db, scope, f)
            for f, due in views]


def overdue_load(db: sqlite_utils.Database, forms: FormRegistry,
                 scope: queues.Scope) -> dict[str, Any]:
    """Overdue open requests per officer ("" for nobody) and per team, and in all, for
    the workload page, counted with the reader's scope: every open request (not capped
    like the filters: a count must be whole), read without its answers."""
    rows = dashboard_db.counted(db, scope.service, dashboard_db.OPEN_ONLY, OPEN_STATUSES,
                                scope.special_category)
    events = dashboard_db.clock_events(db, scope.service, dashboard_db.OPEN_ONLY,
                                       OPEN_STATUSES, scope.special_category)
    closures, today = closures_db.closure_days(db), sla.today()
    load: dict[str, Any] = {"assignee": {}, "team_id": {}, "total": 0}
    for r in rows:
        clock = clock_of(forms, r, events.get(r.id, []), closures, today)
        if clock is None or clock.state != sla.OVERDUE:
            continue
        load["total"] += 1
        for by, key in (("assignee", r.assignee or ""), ("team_id", r.team_id or "")):
            load[by][key] = load[by].get(key, 0) + 1
    return load
