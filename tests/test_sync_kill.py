"""SIGKILL during a stream of pushes from several devices: after a restart and the
devices' retries, every acknowledged mutation is present exactly once and nothing is
duplicated. `tolbooth serve` runs as a real process on a temporary data directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from server.db import Store
from server.db import requests as requests_db
from tests import queries
from tests.support import TEST_SECRET, free_socket
from tests.sync_support import Device, mutation, push_body

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
DEVICES, PER_DEVICE, BATCH = 4, 60, 5


class Server:
    def __init__(self, data_dir: Path) -> None:
        sock = free_socket()
        self.port = sock.getsockname()[1]
        sock.close()
        self.url = f"http://localhost:{self.port}"
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("TOLBOOTH_")},
                    "TOLBOOTH_DATA_DIR": str(data_dir), "TOLBOOTH_SECRET_KEY": TEST_SECRET,
                    "TOLBOOTH_ORIGIN": self.url, "TOLBOOTH_LOG_LEVEL": "warning",
                    "TOLBOOTH_SYNC_RATE_PER_CLIENT": "100000",
                    "TOLBOOTH_SYNC_RATE_PER_ADDRESS": "100000",
                    "TOLBOOTH_SYNC_CREATES_PER_CLIENT_HOUR": "100000",
                    "TOLBOOTH_SYNC_REGISTRATIONS_PER_ADDRESS_HOUR": "100000"}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--host", "localhost",
             "--port", str(self.port)], cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Stream(threading.Thread):
    """A device sending its queue in batches; on any failure it sends the
    unacknowledged rest again, as the outbox does."""

    def __init__(self, url: str, progress: threading.Semaphore) -> None:
        super().__init__(daemon=True)
        self.http = httpx.Client(base_url=url, timeout=5)
        self.device = Device(self.http)
        self.queue = [mutation(i + 1) for i in range(PER_DEVICE)]
        self.acked: dict[str, str] = {}  # entity id -> reference
        self.failures = 0
        self.progress = progress

    def run(self) -> None:
        deadline = time.monotonic() + 90
        while self.queue and time.monotonic() < deadline:
            batch = self.queue[:BATCH]
            try:
                response = self.http.post("/sync/v1/push", headers=self.device.auth,
                                          json=push_body(self.device.client_id, *batch))
                response.raise_for_status()
            except httpx.HTTPError:
                self.failures += 1
                time.sleep(0.05)
                continue
            for result in response.json()["results"]:
                # "duplicate": the batch committed before the kill, its answer was lost.
                assert result["status"] in ("applied", "duplicate"), result
                self.acked[result["id"]] = result["reference"]
            done = len(response.json()["results"])
            self.queue = self.queue[done:]
            self.progress.release(done)


def test_sigkill_mid_stream_loses_and_duplicates_nothing(tmp_path):
    data_dir = tmp_path / "data"
    server = Server(data_dir)
    server.start()
    try:
        progress = threading.Semaphore(0)
        streams = [Stream(server.url, progress) for _ in range(DEVICES)]
        for stream in streams:
            stream.start()
        for _ in range(DEVICES * PER_DEVICE // 3):  # a third of the way through
            assert progress.acquire(timeout=60)
        server.kill()
        killed_at = sum(len(s.acked) for s in streams)
        failed = [s.failures for s in streams]
        deadline = time.monotonic() + 30
        # A device that had sent everything before the kill has nothing left to fail on.
        while not all(s.failures > before or not s.queue
                      for s, before in zip(streams, failed, strict=True)):
            assert time.monotonic() < deadline, "the devices did not notice the kill"
            time.sleep(0.02)  # until every device has failed to push at least once
        server.start()
        for stream in streams:
            stream.join(timeout=120)
            assert not stream.is_alive()
    finally:
        server.stop()

    assert killed_at < DEVICES * PER_DEVICE
    assert sum(s.failures for s in streams) > 0, "the kill did not interrupt any push"
    store = Store(data_dir / "tolbooth.db")
    try:
        for stream in streams:
            assert not stream.queue
            assert len(stream.acked) == PER_DEVICE
            assert store.read_sync(queries.mutation_count, stream.device.client_id) \
                == PER_DEVICE
            for entity_id, reference in stream.acked.items():
                assert store.read_sync(queries.requests_with_id, entity_id) == 1
                assert store.read_sync(requests_db.by_id, entity_id).reference == reference
        assert store.read_sync(queries.request_count) == DEVICES * PER_DEVICE
    finally:
        store.close()
