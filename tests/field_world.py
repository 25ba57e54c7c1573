"""The field examples' world (sync/examples/pull-*.json, push-v2-*.json) in memory, and a
device's pulled store, for the pure-logic tests. PROTOCOL.md ("Example files") defines
the `world` and its actions; the server's HTTP runner will build the same in SQLite.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sync.apply import Rejection
from sync.cursors import Cursors
from sync.field_memory import MemoryCaseLedger, MemoryCases, MemoryFeed
from sync.pull import UPSERT, Change

CURSOR_KEY = "a test key that is long enough to sign cursors"


@dataclass
class Device:
    name: str
    person: str
    client_id: str
    ledger: MemoryCaseLedger
    feed: MemoryFeed


@dataclass
class World:
    cases: MemoryCases
    devices: dict[str, Device] = field(default_factory=dict)
    cursors: Cursors = field(default_factory=lambda: Cursors(CURSOR_KEY))


def no_check(mutation: Any) -> Rejection | None:
    return None


def build(spec: dict[str, Any], checker: Any = no_check) -> World:
    people = spec.get("people", {"me": "north"})
    world = World(MemoryCases(people))
    for case in spec.get("cases", []):
        items = [(i["kind"], i["id"], i["data"]) for i in case.get("items", [])]
        world.cases.add_case(case["id"], case["assignee"], case["fields"],
                             case.get("version", 1), items)
    references = [f"MLC-TEST-{n:04d}" for n in range(50)]
    for name, person in spec.get("devices", {"a": next(iter(people))}).items():
        client_id = str(uuid.uuid4())
        ledger = MemoryCaseLedger(checker, references=references, cases=world.cases,
                                  client_id=client_id, person=person)
        world.devices[name] = Device(name, person, client_id, ledger,
                                     MemoryFeed(world.cases, person))
    return world


def act(world: World, action: dict[str, Any]) -> None:
    """One thing that happens on the server between two steps (the back office, an
    upload finishing, housekeeping)."""
    cases, do = world.cases, action["do"]
    if do == "assign":
        cases.assign(action["case"], action["to"])
    elif do == "office_update":  # with what else the same transaction wrote
        cases.set_fields(action["case"], action["fields"], "office", [
            Change(i["kind"], UPSERT, i["id"], action["case"], 1, i["data"])
            for i in action.get("with", [])])
    elif do == "add":
        cases.add_items([Change(action["kind"], UPSERT, action["id"], action["case"], 1,
                                action["data"])])
    elif do == "resolve":
        cases.resolve(action["conflict"], action["value"])
    elif do == "remove":
        cases.remove(action["id"])
    elif do == "compact":
        cases.compact(cases.position)
    else:
        raise AssertionError(f"unknown world action {do}")


class DeviceStore:
    """What a field app keeps of its pulls (pwa/scripts/field/pull.js does the same in
    IndexedDB): one row per entity, the page and its cursor stored together."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], tuple[str, int, Any]] = {}
        self.cursor: str | None = None

    def apply(self, page: dict[str, Any]) -> None:
        reset = page["reset"]
        if reset is not None:
            drop = set(reset["drop"])
            self.rows = {} if reset["drop_all"] else \
                {k: v for k, v in self.rows.items() if v[0] not in drop}
        for change in page["changes"]:
            key = (change["kind"], change["id"])
            if change["op"] == "remove":
                self.rows.pop(key, None)
            elif key not in self.rows or self.rows[key][1] <= change["version"]:
                self.rows[key] = (change["case_id"], change["version"], change["data"])
        self.cursor = page["cursor"]

    def held(self) -> dict[str, dict[str, int]]:
        """kind -> {id: version}: what the examples' `store` says."""
        out: dict[str, dict[str, int]] = {}
        for (kind, entity_id), (_case, version, _data) in sorted(self.rows.items()):
            out.setdefault(kind, {})[entity_id] = version
        return out
