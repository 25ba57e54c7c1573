"""The app on a free port on http://localhost, the way tests/conftest.py runs it: a temp
data dir, migrated and seeded, uvicorn in a thread (tests/support.py live_app)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from starlette.applications import Starlette

from server.errors import Forbidden
from server.web.ratelimit import RateLimiter
from tests.support import live_app

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


class LiveApp:
    """Start with `with LiveApp() as live:`; `live.url` is http://localhost:PORT. The
    app is made and served by tests/support.py's live_app, as the browser tests' is."""

    def __enter__(self) -> LiveApp:
        self._tmp = tempfile.TemporaryDirectory(prefix="tolbooth-audit-")
        self._serving = live_app(Path(self._tmp.name) / "data")
        built, server = self._serving.__enter__()
        self.url, self.app, self.store, self.settings = (server.url, built.app, built.store,
                                                         built.settings)
        add_test_only_routes(self.app)
        # The audit submits /track many times (every language, several error states);
        # the real limits are tested elsewhere. (This once replaced a module-level
        # limiter that no longer existed: limits live on app.state now.)
        limits = self.app.state.rate_limits
        for name in ("track_reference", "track_address"):
            limits._limiters[name] = RateLimiter(limit=100_000, window_seconds=600)
        return self

    def __exit__(self, *exc: object) -> None:
        self._serving.__exit__(*exc)
        self._tmp.cleanup()
