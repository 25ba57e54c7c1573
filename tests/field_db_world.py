"""The field examples' `world` (sync/PROTOCOL.md "Example files") built in the real
app's SQLite through the db functions the back office and the push use: people as staff
in teams, cases as requests with named fields and items, devices as signed-up field
clients; and the world actions between steps."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from server.auth.signed_links import make_sync_token
from server.db import case_fields, feed_compaction, field_conflicts, staff, sync_clients, teams
from server.db.clock import now_iso
from server.db.feed_compaction import compact_through
from server.db.requests import NewRequest, insert_requests, request_row

SERVICE = "environmental-health"


@dataclass
class DbDevice:
    name: str
    person: str
    person_id: str
    client_id: str
    token: str


@dataclass
class DbWorld:
    people: dict[str, str] = field(default_factory=dict)  # name -> staff id
    team_of: dict[str, str] = field(default_factory=dict)  # name -> team id
    devices: dict[str, DbDevice] = field(default_factory=dict)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def team_id(name: str) -> str:
    return f"field-{_slug(name)}"


def _assignee(world: DbWorld, to: str) -> tuple[str | None, str | None]:
    if to.startswith("team:"):
        return team_id(to[5:]), None
    return world.team_of.get(to), world.people[to]


def build(db: sqlite_utils.Database, spec: dict[str, Any], secret: str) -> DbWorld:
    world = DbWorld()
    people = spec.get("people", {"me": "north"})
    for team in sorted({t for t in people.values() if t}):
        db.execute("INSERT OR IGNORE INTO teams (id, service, name) VALUES (?, ?, ?)",
                   [team_id(team), SERVICE, team])
    for name, team in people.items():
        person = staff.upsert_staff(db, f"{_slug(name)}@field.test", name, "field_worker")
        world.people[name] = person.id
        if team:
            world.team_of[name] = team_id(team)
            teams.add_member(db, team_id(team), person.id)
    for case in spec.get("cases", []):
        add_case(db, world, case)
    for name, person in spec.get("devices", {"a": next(iter(people))}).items():
        client = sync_clients.register(db, "field", "t", f"staff:{world.people[person]}")
        world.devices[name] = DbDevice(name, person, world.people[person], client.id,
                                       make_sync_token(secret, client.id, client.token_version))
    return world


def add_case(db: sqlite_utils.Database, world: DbWorld, case: dict[str, Any]) -> None:
    """One case as one transaction's worth of writes: the request, its assignment, its
    fields at its version, what is on it."""
    values = case["fields"]
    new = NewRequest(case["id"], "pest-control", values.get("service", SERVICE), 1, {},
                     "web", False, "Field Test", None, None, "en")
    reference = values.get("reference") or f"MLC-FLD-{uuid.uuid4().hex[:4].upper()}"
    row = list(request_row(new, reference, now_iso()))
    row[7] = values.get("status", "received")
    insert_requests(db, [row])
    team, person = _assignee(world, case["assignee"])
    teams.set_assignment(db, case["id"], team, person)
    case_fields.replace_fields(db, case["id"], values, case.get("version", 1))
    for item in case.get("items", []):
        case_fields.add_item(db, item["kind"], item["id"], case["id"], item["data"])


def act(db: sqlite_utils.Database, world: DbWorld, action: dict[str, Any]) -> None:
    do = action["do"]
    if do == "assign":
        team, person = _assignee(world, action["to"])
        teams.set_assignment(db, action["case"], team, person)
    elif do == "office_update":
        fields = dict(action["fields"])
        if "status" in fields:  # statuses change in the back office (a status event)
            before = db.execute("SELECT status FROM requests WHERE id = ?",
                                [action["case"]]).fetchone()[0]
            db.execute("UPDATE requests SET status = ? WHERE id = ?",
                       [fields.pop("status"), action["case"]])
            case_fields.status_changed(db, action["case"], before, case_fields.OFFICE)
        if fields:
            case_fields.set_fields(db, action["case"], fields, case_fields.OFFICE)
        for item in action.get("with", []):
            case_fields.add_item(db, item["kind"], item["id"], action["case"], item["data"])
    elif do == "add":
        case_fields.add_item(db, action["kind"], action["id"], action["case"], action["data"])
    elif do == "resolve":
        field_conflicts.resolve(db, action["conflict"], action["value"], None)
    elif do == "remove":
        case_fields.remove_item(db, action["id"])
    elif do == "compact":
        compact_through(db, 1 << 62)
    else:
        raise AssertionError(f"unknown world action {do}")


__all__ = ["DbWorld", "act", "build", "feed_compaction"]
