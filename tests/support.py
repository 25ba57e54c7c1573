"""What many test files need: settings in a folder, an app on a migrated and seeded store,
a live server on http://localhost:<free port>, the CSRF token of a page. Fixtures in
conftest.py are built from these; a module-scoped fixture calls them directly."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.testclient import TestClient

from server.app import create_app
from server.db import Store
from server.db.schema import migrate
from server.db.seed import seed
from server.forms.registry import FormRegistry
from server.settings import Settings
from server.web.ratelimit import RateLimits

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
ORIGIN = "http://localhost:8000"
CSRF = re.compile(r'(?:name="csrf_token" value|data-csrf)="([^"]+)"')


def csrf(html: str) -> str:
    """The CSRF token a page carries (a form field, or data-csrf for scripts)."""
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def make_settings(data_dir: Path, **overrides: str) -> Settings:
    env = {"TOLBOOTH_DATA_DIR": str(data_dir), "TOLBOOTH_SECRET_KEY": TEST_SECRET,
           "TOLBOOTH_ORIGIN": ORIGIN, **overrides}
    return Settings.from_env(env)


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class TestApp:
    """An app with its own data directory, store and settings."""
    __test__ = False  # not a test class, whatever pytest thinks of the name

    app: Starlette
    store: Store
    settings: Settings

    def client(self, base_url: str | None = None, **kwargs: Any) -> TestClient:
        kwargs.setdefault("raise_server_exceptions", False)
        return TestClient(self.app, base_url=base_url or self.settings.origin, **kwargs)

    def fresh_rate_limits(self) -> None:
        """Limits are counted per app for its whole life; a long-lived app (one per
        module or session) gets new counts for each test that needs them."""
        self.app.state.rate_limits = RateLimits(self.settings)

    def close(self) -> None:
        self.store.close()


def build_app(data_dir: Path, *, seeded: bool = True, forms: FormRegistry | None = None,
              store: Store | None = None, **overrides: str) -> TestApp:
    settings = make_settings(data_dir, **overrides)
    if store is None:
        store = Store(settings.db_path)
        migrate(store)
        if seeded:
            store.write_sync(seed)
    return TestApp(create_app(settings, store, forms), store, settings)


def node_results(runner: Path, *args: Path) -> Any:
    """What a tests/*.mjs runner prints (JSON): the JavaScript side of shared examples."""
    node = shutil.which("node")
    assert node, "node is needed: the JavaScript side must pass the same examples"
    done = subprocess.run([node, str(runner), *map(str, args)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


class LiveServer:
    def __init__(self, app: Starlette, sock: socket.socket) -> None:
        self.app = app
        self.port = sock.getsockname()[1]
        self.url = f"http://localhost:{self.port}"
        # As `tolbooth serve` runs it: X-Forwarded-For is the app's to judge
        # (TOLBOOTH_TRUSTED_PROXIES), not uvicorn's, which trusts 127.0.0.1 by default.
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                proxy_headers=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]},
                                       daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@contextmanager
def live_app(data_dir: Path, **overrides: str) -> Iterator[tuple[TestApp, LiveServer]]:
    """An app served on http://localhost:<free port>, its origin set to match (passkeys
    and the CSRF origin check need the real one)."""
    sock = free_socket()
    port = sock.getsockname()[1]
    built = build_app(data_dir, TOLBOOTH_ORIGIN=f"http://localhost:{port}", **overrides)
    server = LiveServer(built.app, sock)
    server.start()
    try:
        yield built, server
    finally:
        server.stop()
        built.close()


def tracking_token(store: Store, settings: Settings, request_id: str) -> str:
    """The request's current tracking token (its link's random id and MAC)."""
    from server.auth import signed_links
    from server.db import tracking_links
    link = store.read_sync(tracking_links.for_request, request_id)
    assert link is not None, f"no tracking link for {request_id}"
    return signed_links.tracking_token(settings, link)


def tracking_url(store: Store, settings: Settings, request_id: str) -> str:
    return f"{settings.origin}/track/{tracking_token(store, settings, request_id)}"


def run_async(make: Any) -> Any:
    """`asyncio.run(make())` in a thread of its own: once a browser test has run in this
    worker, Playwright's event loop is running in the main thread and asyncio.run()
    refuses to nest there."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()
