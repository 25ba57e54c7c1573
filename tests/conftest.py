"""Fixtures: settings in a temp dir, a migrated store, the app, an HTTP client, and real
Chromium against a live server on http://localhost:<free port>."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.testclient import TestClient

from server.app import create_app
from server.db import Store
from server.db.migrations import migrate
from server.db.seed import seed
from server.settings import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def make_settings(data_dir: Path, **overrides: str) -> Settings:
    env = {"TOLBOOTH_DATA_DIR": str(data_dir), "TOLBOOTH_SECRET_KEY": TEST_SECRET,
           "TOLBOOTH_ORIGIN": "http://localhost:8000", **overrides}
    return Settings.from_env(env)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    store = Store(settings.db_path)
    migrate(store)
    store.write_sync(seed)
    yield store
    store.close()


@pytest.fixture
def app(settings: Settings, store: Store) -> Starlette:
    return create_app(settings, store)


@pytest.fixture
def client(app: Starlette, settings: Settings) -> Iterator[TestClient]:
    with TestClient(app, base_url=settings.origin, raise_server_exceptions=False) as c:
        yield c


# --- real browser -------------------------------------------------------------------


class LiveServer:
    def __init__(self, app: Starlette, sock: socket.socket) -> None:
        self.app = app
        self.port = sock.getsockname()[1]
        self.url = f"http://localhost:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
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


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def boom(request: object) -> None:
    raise RuntimeError("deliberate failure for the 500 page test")


def forbidden(request: object) -> None:
    from server.errors import Forbidden
    raise Forbidden()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    sock = free_socket()
    port = sock.getsockname()[1]
    settings = make_settings(tmp_path_factory.mktemp("live") / "data",
                             TOLBOOTH_ORIGIN=f"http://localhost:{port}")
    store = Store(settings.db_path)
    migrate(store)
    store.write_sync(seed)
    app = create_app(settings, store)
    # Only in tests: let the browser see the real 500 and 403 pages.
    app.add_route("/__test__/boom", boom)
    app.add_route("/__test__/forbidden", forbidden)
    server = LiveServer(app, sock)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture
def mailbox() -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) on a free port, keeping what it receives."""
    from tests.mailbox import start_smtp  # (it imports this module)
    controller, mailbox = start_smtp()
    yield mailbox
    controller.stop()


@pytest.fixture
def notify() -> Iterator[Any]:
    """A local GOV.UK Notify endpoint that checks requests as Notify documents them."""
    from tests.notify_stub import start_notify  # (it imports this module)
    stub, server = start_notify()
    yield stub
    server.stop()
