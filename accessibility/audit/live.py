"""The app on a free port on http://localhost, the way tests/conftest.py runs it: a temp
data dir, migrated and seeded, uvicorn in a thread."""

from __future__ import annotations

import logging
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from server.app import create_app
from server.db import Store
from server.db.schema import migrate
from server.db.seed import seed
from server.errors import Forbidden
from server.settings import Settings
from server.web.ratelimit import RateLimiter

SECRET = "audit-secret-key-that-is-long-enough-0123456789"
TEST_ONLY_PATHS = ("/__test__/boom", "/__test__/forbidden")


def _boom(request: object) -> None:
    raise RuntimeError("deliberate failure for the 500 page audit")


def _forbidden(request: object) -> None:
    raise Forbidden()


class _QuietBoom(logging.Filter):
    """The deliberate 500 is expected: keep its traceback out of the audit's output."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "/__test__/boom" not in record.getMessage()


def add_test_only_routes(app: Starlette) -> None:
    """The same test-only routes as tests/conftest.py: the real 500 and 403 pages."""
    app.add_route("/__test__/boom", _boom)
    logging.getLogger("tolbooth.errors").addFilter(_QuietBoom())
    app.add_route("/__test__/forbidden", _forbidden)


def audit_settings(data_dir: Path, port: int) -> Settings:
    return Settings.from_env({"TOLBOOTH_DATA_DIR": str(data_dir),
                              "TOLBOOTH_SECRET_KEY": SECRET,
                              "TOLBOOTH_ORIGIN": f"http://localhost:{port}"})


class LiveApp:
    """Start with `with LiveApp() as live:`; `live.url` is http://localhost:PORT."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="tolbooth-audit-")
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://localhost:{self.port}"
        self.settings = audit_settings(Path(self._tmp.name) / "data", self.port)
        self.store = Store(self.settings.db_path)
        migrate(self.store)
        self.store.write_sync(seed)
        self.app = create_app(self.settings, self.store)
        add_test_only_routes(self.app)
        # The audit submits /track many times (every language, several error states);
        # the real limit (10 in 10 minutes per address) is tested elsewhere.
        from server.handlers.public import track
        track.ATTEMPTS = RateLimiter(limit=100_000, window_seconds=600)
        config = uvicorn.Config(self.app, log_level="warning", access_log=False,
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveApp:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the app did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.store.close()
        self.sock.close()
        self._tmp.cleanup()
