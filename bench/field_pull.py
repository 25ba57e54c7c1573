"""Field pull: changes per second through GET /sync/v1/pull (a real `tolbooth serve`
process) and through the pull code alone (sync/pull.py over server/db/field_feed.py in
one read snapshot), against raw SQLite reads of the same rows, in the same run; and the
round trips an incremental pull needs after 5 back-office changes (must be 1-2).

The database holds CASES cases in one field worker's scope, each with events, notes and
a photo thumbnail (a real WebP), built through the db functions the app uses. A first
download (no cursor, pages of 1000) is timed; rounds alternate raw, code, HTTP.
"""

from __future__ import annotations

import io
import json
import sqlite3
import sys
import time
import uuid
from typing import Any

from .report import Result, Table, median
from .servers import ROOT
from .sync_ingest import SECRET, SyncServer

NAME = "field_pull"
CASES = 220
ROUNDS = 3
TARGET = 0.1  # the pull code's changes/s as a share of raw SQLite reads
MAX_ROUND_TRIPS = 2


def _thumbnail() -> str:
    from PIL import Image

    from server.journeys.field_photos import make_thumbnail, measure
    out = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(out, "JPEG", quality=85)
    made = measure(make_thumbnail(out.getvalue()))
    return made.as_item("note", "x", "0" * 64)["thumbnail"]


def _spec() -> dict[str, Any]:
    thumbnail = _thumbnail()
    cases = []
    for n in range(CASES):
        note = str(uuid.uuid4())
        items: list[dict[str, Any]] = [
            {"kind": "event", "id": str(uuid.uuid4()),
             "data": {"at": "2026-11-18T09:12:00Z", "type": "created", "text": f"Event {i}"}}
            for i in range(4)]
        items += [{"kind": "note", "id": note, "data": {
            "text": "Tenant works nights: visit after 2pm. " * 4, "at": "2026-11-19T10:00:00Z",
            "by": "office", "late": False, "photos": []}}]
        items += [{"kind": "photo", "id": str(uuid.uuid4()), "data": {
            "parent": {"kind": "note", "id": note}, "media_type": "image/webp",
            "width": 160, "height": 120, "sha256": "0" * 64, "thumbnail": thumbnail}}]
        cases.append({"id": str(uuid.UUID(int=n + 1, version=4)),
                      "assignee": "Morag Fraser" if n % 3 else "team:north", "version": 1,
                      "fields": {"reference": f"MLC-BNCH-{n:04d}",
                                 "service": "environmental-health", "status": "in_progress",
                                 "address": f"{n} High Street, Dalkeith EH22 1AA",
                                 "summary": "Rats in the back garden", "risk_level": "low",
                                 "access_notes": "Side gate", "hazards": None,
                                 "contact_phone": "07700 900123",
                                 "next_visit_on": "2026-11-24", "follow_up_needed": False},
                      "items": items})
    return {"people": {"Morag Fraser": "north", "Olga Nowak": "south"},
            "devices": {"a": "Morag Fraser"}, "cases": cases}


def _raw(path: str, person_id: str) -> int:
    """The same rows a first download sends, read with plain SQL: the cases' data and
    what is on them, decoded as the pull decodes them."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT d.case_id, d.version, d.data FROM field_scope s JOIN field_case_data d"
            " ON d.case_id = s.case_id WHERE s.person_id = ? ORDER BY s.case_id",
            [person_id]).fetchall()
        rows += conn.execute(
            "SELECT i.kind, i.id, i.version, i.data FROM field_scope s JOIN case_items i"
            " ON i.case_id = s.case_id WHERE s.person_id = ? AND i.removed = 0"
            " ORDER BY s.case_id, i.rowid", [person_id]).fetchall()
        for row in rows:
            json.loads(row[-1])
        return len(rows)
    finally:
        conn.close()


def _pages(fetch: Any) -> tuple[int, int, str]:
    """Pulls until `more` is false: (changes, round trips, the last cursor)."""
    cursor, changes, trips = None, 0, 0
    while True:
        page = fetch(cursor)
        trips += 1
        changes += len(page["changes"])
        cursor = page["cursor"]
        if not page["more"]:
            return changes, trips, cursor


def run() -> Result:
    sys.path.insert(0, str(ROOT))
    from server.db import Store, case_fields
    from server.db import requests as requests_db
    from server.db.field_feed import SqliteFeed, in_snapshot
    from sync.cursors import Cursors
    from sync.field_messages import PullQuery
    from sync.pull import pull
    from tests.field_db_world import build

    with SyncServer() as server:
        path = server.data_dir / "tolbooth.db"
        store = Store(path)
        try:
            world = store.write_sync(build, _spec(), SECRET)
            device = world.devices["a"]
            auth = {"Authorization": f"Bearer {device.token}"}
            cursors = Cursors(SECRET)

            def over_http(cursor: str | None) -> dict[str, Any]:
                query = "/sync/v1/pull?protocol=2&limit=1000" + (
                    f"&cursor={cursor}" if cursor else "")
                status, body = server.call("GET", query, headers=auth)
                assert status == 200, body
                return json.loads(body)

            def in_code(cursor: str | None) -> dict[str, Any]:
                return store.read_sync(in_snapshot, lambda db: pull(
                    SqliteFeed(db, device.person_id), cursors, device.client_id,
                    PullQuery(cursor, 1000)))

            timings: dict[str, list[float]] = {"raw": [], "code": [], "http": []}
            counted: dict[str, int] = {}
            http_trips = 0
            for _ in range(ROUNDS):
                for name, work in (("raw", lambda: (_raw(str(path), device.person_id), 1)),
                                   ("code", lambda: _pages(in_code)[:2]),
                                   ("http", lambda: _pages(over_http)[:2])):
                    started = time.perf_counter()
                    rows, trips = work()
                    timings[name].append(time.perf_counter() - started)
                    counted[name] = rows
                    http_trips = trips if name == "http" else http_trips
            _changes, _trips, cursor = _pages(over_http)
            # Five changes in the back office, each its own transaction.
            case_ids = [c["id"] for c in _spec_ids()]
            for n in range(3):
                store.write_sync(case_fields.set_fields, case_ids[n * 7],
                                 {"risk_level": "high"}, case_fields.OFFICE)
            for n in range(2):
                store.write_sync(requests_db.add_event, case_ids[n * 11 + 1], "note", None,
                                 False, f"Office note {n}", "staff:bench")
            started = time.perf_counter()
            incremental, round_trips, _last = _pages(
                lambda c: over_http(c if c is not None else cursor))
            incremental_seconds = time.perf_counter() - started
        finally:
            store.close()
    rates = {name: counted[name] / median(seconds) for name, seconds in timings.items()}
    ratio_code, ratio_http = rates["code"] / rates["raw"], rates["http"] / rates["raw"]
    table = Table(["read", "rows", "median s", "rows/s", "x raw"], [
        [name, str(counted[name]), f"{median(timings[name]):.3f}", f"{rates[name]:,.0f}",
         f"{rates[name] / rates['raw']:.2f}"] for name in ("raw", "code", "http")],
        title=f"first download of {CASES} cases (events, notes, photo thumbnails), "
              f"pages of 1000, median of {ROUNDS}")
    failures = []
    if round_trips > MAX_ROUND_TRIPS or incremental < 5:
        failures.append(f"incremental pull: {round_trips} round trips for {incremental} "
                        f"changes (budget {MAX_ROUND_TRIPS}, 5 changes)")
    if ratio_code < TARGET:
        failures.append(f"OVER BUDGET: pull code at {ratio_code:.2f}x raw (target {TARGET})")
    if not counted["raw"] == counted["code"] == counted["http"]:
        failures.append(f"rows differ: {counted}")
    return Result(NAME, "Field pull: server throughput against raw SQLite reads", [table], [
        f"pull code throughput: {ratio_code:.2f}x raw SQLite reads of the same rows "
        f"({rates['code']:,.0f} vs {rates['raw']:,.0f} changes/s)",
        f"over HTTP: {ratio_http:.2f}x raw ({rates['http']:,.0f} changes/s, "
        f"{http_trips} round trips for the first download)",
        f"incremental pull after 5 back-office changes: round trips {round_trips} "
        f"({incremental} changes, {incremental_seconds * 1000:.0f} ms)"],
        metrics={"ratio_code_to_raw": ratio_code, "ratio_http_to_raw": ratio_http,
                 "changes_per_second": rates, "rows": counted["raw"],
                 "incremental_round_trips": round_trips}, failures=failures)


def _spec_ids() -> list[dict[str, Any]]:
    return [{"id": str(uuid.UUID(int=n + 1, version=4))} for n in range(CASES)]
