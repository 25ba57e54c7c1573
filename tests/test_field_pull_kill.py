"""The server SIGKILLed while a field device pulls its cases page by page (and the back
office keeps working): the device keeps its last stored cursor, asks again after the
restart on the same database, and ends up holding exactly the server's rows for its
scope: counted on both sides, no gap, no duplicate. `tolbooth serve` is a real process."""

from __future__ import annotations

import random
import threading
import uuid
from typing import Any

import httpx
import pytest

from server.db import Store, case_fields
from server.db.field_feed import SqliteFeed, in_snapshot
from tests.field_db_world import build
from tests.field_world import DeviceStore
from tests.support import TEST_SECRET
from tests.test_field_sync import fields
from tests.test_sync_kill import Server

pytestmark = pytest.mark.slow
CASES = 40


def spec() -> dict[str, Any]:
    cases = []
    for n in range(CASES):
        case_id = str(uuid.UUID(int=n + 1, version=4))
        items = [{"kind": "event", "id": str(uuid.uuid4()),
                  "data": {"at": "2026-11-18T09:12:00Z", "type": "created", "text": f"E{i}"}}
                 for i in range(3)]
        cases.append({"id": case_id, "assignee": "Morag Fraser" if n % 2 else "team:north",
                      "version": 1, "fields": fields(f"MLC-KILL-{n:04d}"), "items": items})
    return {"people": {"Morag Fraser": "north", "Olga Nowak": "south"},
            "devices": {"a": "Morag Fraser"}, "cases": cases}


def server_rows(store: Store, person_id: str) -> dict[tuple[str, str], int]:
    def read(db: Any) -> dict[tuple[str, str], int]:
        feed = SqliteFeed(db, person_id)
        return {(c.kind, c.id): c.version for c in feed.snapshot(feed.in_scope())}
    return store.read_sync(in_snapshot, read)


def restart(server: Server, timers: list[threading.Timer]) -> None:
    """After a kill: the same data directory, so the same database."""
    for timer in timers:
        timer.join()
    assert server.process is not None
    if server.process.poll() is not None:
        server.start()


def test_sigkill_mid_pull_leaves_no_gap_and_no_duplicate(tmp_path):
    data = tmp_path / "data"
    server = Server(data)
    server.start()
    store = Store(data / "tolbooth.db")
    rng = random.Random(14)
    try:
        world = store.write_sync(build, spec(), TEST_SECRET)
        auth = {"Authorization": f"Bearer {world.devices['a'].token}"}
        device, kills, pages, failures = DeviceStore(), 0, 0, 0
        timers: list[threading.Timer] = []
        case_ids = [c["id"] for c in spec()["cases"]]
        http = httpx.Client(base_url=server.url, timeout=5)
        more = True
        while more or kills < 2:
            if pages in (3, 9) and kills < (1 if pages == 3 else 2):
                # Killed at a random moment around the next request: before, during or
                # after the server reads the page; the answer may never arrive.
                timers.append(threading.Timer(rng.uniform(0, 0.02), server.kill))
                timers[-1].start()
                kills += 1
            query = "/sync/v1/pull?protocol=2&limit=25" + (
                f"&cursor={device.cursor}" if device.cursor else "")
            try:
                response = http.get(query, headers=auth)
                response.raise_for_status()
            except httpx.HTTPError:
                failures += 1
                restart(server, timers)
                continue
            page = response.json()
            ids = [(c["kind"], c["id"]) for c in page["changes"]]
            assert len(ids) == len(set(ids)), "an entity twice in one page"
            device.apply(page)  # the page and its cursor, stored together
            pages += 1
            more = page["more"]
            if pages % 2 == 0:  # the back office goes on meanwhile
                store.write_sync(case_fields.set_fields, rng.choice(case_ids),
                                 {"risk_level": rng.choice(["low", "medium", "high"])},
                                 case_fields.OFFICE)
        restart(server, timers)  # the last kill may have come after the last answer
        assert kills == 2 and failures >= 1
        # Caught up after the last office change: one more pull, then nothing new.
        final = http.get(f"/sync/v1/pull?protocol=2&limit=1000&cursor={device.cursor}",
                         headers=auth).json()
        device.apply(final)
        held = {key: version for key, (_case, version, _data) in device.rows.items()}
        expected = server_rows(store, world.devices["a"].person_id)
        assert len(held) == len(expected) == CASES * 4  # rows counted on both sides
        assert held == expected
        again = http.get(f"/sync/v1/pull?protocol=2&cursor={final['cursor']}",
                         headers=auth).json()
        assert again["changes"] == [] and again["cursor"] == final["cursor"]
        http.close()
    finally:
        server.stop()
        store.close()
