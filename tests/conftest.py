"""Fixtures: settings in a temp dir, a migrated store, the app, an HTTP client, and real
Chromium against a live server on http://localhost:<free port>."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from server.db import Store
from server.settings import Settings
from tests.support import LiveServer, TestApp, build_app, live_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def make_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., TestApp]]:
    """make_app(**overrides): a new app on its own migrated, seeded store; settings
    overridden by TOLBOOTH_* keywords (seeded=False, forms=... as build_app takes)."""
    made: list[TestApp] = []

    def make(**overrides: Any) -> TestApp:
        built = build_app(tmp_path_factory.mktemp("app") / "data", **overrides)
        made.append(built)
        return built

    yield make
    for built in made:
        built.close()


@pytest.fixture
def world(make_app: Callable[..., TestApp]) -> TestApp:
    return make_app()


@pytest.fixture
def settings(world: TestApp) -> Settings:
    return world.settings


@pytest.fixture
def store(world: TestApp) -> Store:
    return world.store


@pytest.fixture
def app(world: TestApp) -> Starlette:
    return world.app


@pytest.fixture
def client(world: TestApp) -> Iterator[TestClient]:
    with world.client() as c:
        yield c


# --- real browser -------------------------------------------------------------------


def boom(request: object) -> None:
    raise RuntimeError("deliberate failure for the 500 page test")


def forbidden(request: object) -> None:
    from server.errors import Forbidden
    raise Forbidden()


@pytest.fixture(scope="session")
def live_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    # One app for every browser test, all from 127.0.0.1: each browser's outbox signs
    # up a client, more than an hour's allowance for one address.
    with live_app(tmp_path_factory.mktemp("live") / "data",
                  TOLBOOTH_SYNC_REGISTRATIONS_PER_ADDRESS_HOUR="100000") as (built, server):
        # Only in tests: let the browser see the real 500 and 403 pages.
        built.app.add_route("/__test__/boom", boom)
        built.app.add_route("/__test__/forbidden", forbidden)
        yield built, server


@pytest.fixture(scope="session")
def live_server(live_world: Any) -> Any:
    return live_world[1]


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
