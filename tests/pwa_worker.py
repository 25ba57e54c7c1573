"""Looking at the service worker from a page in real Chromium: is it in control, what has
it kept, in which language. Used by tests/test_pwa_*.py."""

from __future__ import annotations

import re
import time
from typing import Any

from accessibility.audit.browser import PAGES_KEPT

WAIT_S = 90.0  # the machine is shared; a full precache is ~140 requests

CACHES = """async () => {
    const out = {};
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        out[name] = (await cache.keys()).map((request) => request.url);
    }
    return out;
}"""

# The language of the kept form pages, null until the worker controls the page.
PAGES_LANGUAGE = PAGES_KEPT


CACHED_BODIES = """async () => {
    const out = {};
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            const response = await cache.match(request);
            const type = response.headers.get('Content-Type') || '';
            if (type.startsWith('text/html')) out[request.url] = await response.text();
        }
    }
    return out;
}"""


def wait_until(check: Any, what: str, timeout: float = WAIT_S) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def wait_for_control(page: Any) -> None:
    """The worker is active and controls this page (it claims it on first install)."""
    # Polled, not awaited (`navigator.serviceWorker.ready` never settles when an install
    # fails, and page.evaluate has no time limit).
    wait_until(lambda: page.evaluate("!!navigator.serviceWorker.controller"),
               "the service worker to control the page")


def wait_for_pages(page: Any, lang: str) -> None:
    wait_for_control(page)
    wait_until(lambda: page.evaluate(PAGES_LANGUAGE) == lang,
               f"the form pages to be kept in {lang}")


def cache_contents(page: Any) -> dict[str, list[str]]:
    return dict(page.evaluate(CACHES))


def cached_html(page: Any) -> dict[str, str]:
    return dict(page.evaluate(CACHED_BODIES))


def cache_version(names: list[str]) -> str:
    versions = {m.group(1) for n in names if (m := re.match(r"tolbooth-shell-(.+)$", n))}
    assert len(versions) == 1, names
    return versions.pop()
