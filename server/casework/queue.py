"""The staff queue's filters as the inbox's GET form sends them: parsed and checked into
a db.queues.QueueFilter for one reader, and written back as the query string paging
links and saved views keep. Statuses are whatever casework/status.py lists."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from server.casework.assignment import PRIORITIES
from server.casework.status import STATUS
from server.db.clock import iso_in
from server.db.queues import SORTS, QueueFilter

ASSIGNEES = ("", "me", "team", "unassigned")
ONE_TEAM = re.compile(r"^team:[a-z0-9-]{1,60}$")  # the queue of one team
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
Q_MAX = 200
OLDER_MAX = 3650


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

    def query(self) -> str:
        pairs = [("status", s) for s in self.statuses]
        pairs += [(k, v) for k, v in (("priority", self.priority), ("assignee", self.assignee),
                                      ("area", self.area), ("q", self.q)) if v]
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
