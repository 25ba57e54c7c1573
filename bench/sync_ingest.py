"""Sync ingest: rows/s through POST /sync/v1/push in batches of 50, against raw SQLite
inserts of the same rows, in the same run.

The app is `tolbooth serve` in its own process (uvicorn, one worker, synchronous=FULL),
pushed to by several devices at once over keep-alive HTTP/1.1. The baseline writes the
rows one push makes (the request, its first event, the stored mutation result) with
`executemany`, 50 mutations per transaction, on a database with the same schema and
pragmas. Rounds alternate (raw, app) so drift falls on both; read the ratio.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from .report import Result, Table, median
from .servers import ROOT, free_port

NAME = "sync_ingest"
BATCH = 50
DEVICES = 4
ROUNDS = 3
ROUND_SECONDS = 3.0
TARGET = 0.5  # of raw SQLite
PUSHES_READY = 60  # per device and round: more than one round can send here
RAW_READY = 30_000
SECRET = "bench-" + "x" * 40


def _mutations(start: int, count: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT))
    from tests.sync_support import mutation  # the same builder the tests use
    return [mutation(start + i) for i in range(count)]


class SyncServer:
    def __init__(self) -> None:
        self.port = free_port()
        self._tmp = tempfile.TemporaryDirectory(prefix="tolbooth-bench-sync-")
        self.data_dir = Path(self._tmp.name)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SyncServer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOLBOOTH_")}
        env.update({"TOLBOOTH_DATA_DIR": str(self.data_dir), "TOLBOOTH_SECRET_KEY": SECRET,
                    "TOLBOOTH_ORIGIN": f"http://localhost:{self.port}",
                    "TOLBOOTH_LOG_LEVEL": "warning",
                    "TOLBOOTH_SYNC_RATE_PER_CLIENT": "1000000",
                    "TOLBOOTH_SYNC_RATE_PER_ADDRESS": "1000000",
                    "TOLBOOTH_SYNC_CREATES_PER_CLIENT_HOUR": "1000000",
                    "TOLBOOTH_SYNC_REGISTRATIONS_PER_ADDRESS_HOUR": "1000000"})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if self.call("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("tolbooth serve did not start")

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self._tmp.cleanup()


class Device:
    def __init__(self, server: SyncServer) -> None:
        status, body = server.call("POST", "/sync/v1/clients", json.dumps(
            {"protocol": 1, "kind": "personal", "app_version": "bench"}).encode(),
            {"Content-Type": "application/json"})
        assert status == 201, body
        found = json.loads(body)
        self.client_id, self.token = found["client_id"], found["client_token"]
        self.port = server.port
        self.next_id = 1
        self.queue: list[bytes] = []  # pushes made but not sent yet, in mutation id order

    def top_up(self, batches: int) -> None:
        """Build pushes before a round, so building them is not timed."""
        while len(self.queue) < batches:
            mutations = _mutations(self.next_id, BATCH)
            self.next_id += BATCH
            self.queue.append(json.dumps({"protocol": 1, "client_id": self.client_id,
                                          "app_version": "bench",
                                          "mutations": mutations}).encode())


def push_round(devices: list[Device], seconds: float) -> tuple[int, float, int]:
    """(rows applied, elapsed seconds, pushes) with every device pushing at once."""
    applied = [0] * len(devices)
    pushes = [0] * len(devices)
    stop_at = time.perf_counter() + seconds

    def drive(index: int) -> None:
        device = devices[index]
        conn = http.client.HTTPConnection("127.0.0.1", device.port, timeout=30)
        headers = {"Authorization": f"Bearer {device.token}",
                   "Content-Type": "application/json"}
        while device.queue and time.perf_counter() < stop_at:
            body = device.queue.pop(0)
            conn.request("POST", "/sync/v1/push", body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 200:
                raise RuntimeError(f"push answered {response.status}: {answer[:200]!r}")
            results = json.loads(answer)["results"]
            applied[index] += sum(r["status"] == "applied" for r in results)
            pushes[index] += 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=drive, args=(i,)) for i in range(len(devices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(applied), time.perf_counter() - started, sum(pushes)


def raw_round(rows: list[dict[str, Any]], seconds: float) -> tuple[int, float]:
    """The same rows straight into SQLite: 50 mutations per transaction."""
    from server.db import Store
    from server.db.clock import now_iso
    from server.db.schema import migrate
    from server.db.seed import seed
    from server.db.store import connect

    with tempfile.TemporaryDirectory(prefix="tolbooth-bench-raw-") as tmp:
        path = Path(tmp) / "raw.db"
        store = Store(path)
        migrate(store)
        store.write_sync(seed)
        store.close()
        db = connect(path)
        client_id = str(uuid.uuid4())
        db.execute("INSERT INTO sync_clients (id, kind, created_at, app_version, last_seen)"
                   " VALUES (?, 'personal', ?, 'bench', ?)", [client_id, now_iso(), now_iso()])
        done = 0
        started = time.perf_counter()
        for start in range(0, len(rows), BATCH):
            if time.perf_counter() - started >= seconds:
                break
            batch = rows[start:start + BATCH]
            now = now_iso()
            db.execute("BEGIN IMMEDIATE")
            db.conn.executemany(
                "INSERT INTO requests (id, reference, journey, service, form_version, answers,"
                " channel, status, contact_name, contact_email, locale, payload_sha256,"
                " client_created_at, created_at, updated_at) VALUES"
                " (?, ?, ?, 'environmental-health', 1, ?, 'offline', 'received', ?, ?, ?, ?,"
                " ?, ?, ?)",
                [(m["id"], f"RAW-{start + i}", m["payload"]["journey"],
                  json.dumps(m["payload"]["answers"], sort_keys=True),
                  m["payload"]["contact"]["name"], m["payload"]["contact"]["email"],
                  m["payload"]["locale"], m["payload_sha256"], m["payload"]["client_created_at"],
                  now, now) for i, m in enumerate(batch)])
            db.conn.executemany(
                "INSERT INTO request_events (request_id, at, kind, status, public, actor)"
                " VALUES (?, ?, 'created', 'received', 1, 'resident')",
                [(m["id"], now) for m in batch])
            db.conn.executemany(
                "INSERT INTO sync_mutations (client_id, mutation_id, entity_id, status,"
                " payload_sha256, result, at) VALUES (?, ?, ?, 'applied', ?, ?, ?)",
                [(client_id, m["mutation_id"], m["id"], m["payload_sha256"],
                  json.dumps({"id": m["id"], "status": "applied"}), now) for m in batch])
            db.execute("UPDATE sync_clients SET last_mutation_id = ? WHERE id = ?",
                       [batch[-1]["mutation_id"], client_id])
            db.execute("COMMIT")
            done += len(batch)
        elapsed = time.perf_counter() - started
        db.close()
    return done, elapsed


def run() -> Result:
    sys.path.insert(0, str(ROOT))
    raw_rows = _mutations(1, RAW_READY)
    table = Table(["round", "raw rows/s", "push rows/s", "pushes", "ratio push/raw"], [],
                  title=f"batches of {BATCH}, {DEVICES} devices pushing at once")
    ratios, raw_rates, push_rates = [], [], []
    with SyncServer() as server:
        devices = [Device(server) for _ in range(DEVICES)]
        for number in range(ROUNDS):
            for device in devices:
                device.top_up(PUSHES_READY)
            raw_done, raw_seconds = raw_round(raw_rows, ROUND_SECONDS)
            push_done, push_seconds, pushes = push_round(devices, ROUND_SECONDS)
            raw_rate, push_rate = raw_done / raw_seconds, push_done / push_seconds
            raw_rates.append(raw_rate)
            push_rates.append(push_rate)
            ratios.append(push_rate / raw_rate)
            table.rows.append([str(number + 1), f"{raw_rate:,.0f}", f"{push_rate:,.0f}",
                               str(pushes), f"{ratios[-1]:.2f}"])
    ratio = median(ratios)
    result = Result(NAME, "sync ingest: POST /sync/v1/push vs raw SQLite inserts", [table])
    result.lines.append(f"ratio push/raw (median of rounds): {ratio:.2f} "
                        f"(target at least {TARGET:.2f})")
    result.lines.append(f"push: {median(push_rates):,.0f} rows/s; raw: "
                        f"{median(raw_rates):,.0f} rows/s (3 rows and an update per mutation)")
    result.metrics.update({"ratio_push_raw": round(ratio, 3), "target": TARGET,
                           "push_rows_per_s": round(median(push_rates)),
                           "raw_rows_per_s": round(median(raw_rates))})
    if ratio < TARGET:
        result.failures.append(f"BELOW TARGET: push/raw {ratio:.2f} < {TARGET:.2f}")
    return result
