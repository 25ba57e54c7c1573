"""A kiosk in real Chromium for the Finish and time-out tests (issue 13): enrolled the way
the enrol page leaves a browser (the tb_kiosk cookie and the device record in the
tolbooth-kiosk database), with its service worker in control and its pages kept."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from server.auth.signed_links import make_sync_token
from server.db import kiosks
from server.kiosk.device import KIOSK_COOKIE, kiosk_cookie_value
from tests.pwa_worker import wait_for_control, wait_until

SESSION_COOKIE = "tolbooth_session"

WRITE_DEVICE = """async ([clientId, token, hubId, hubName]) => {
    const db = await new Promise((ok, fail) => {
        const r = indexedDB.open('tolbooth-kiosk', 1);
        r.onupgradeneeded = () => { r.result.createObjectStore('device', { keyPath: 'key' });
                                    r.result.createObjectStore('sealed', { keyPath: 'id' }); };
        r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    await new Promise((ok) => { const tx = db.transaction('device', 'readwrite');
        tx.objectStore('device').put({ key: 'client', client_id: clientId, client_token: token,
                                       hub_id: hubId, hub_name: hubName });
        tx.oncomplete = ok; });
    db.close(); }"""

KIOSK_PAGES_KEPT = """async () => {
    for (const name of await caches.keys()) {
        if (!name.startsWith('tolbooth-pages-')) continue;
        const meta = await (await caches.open(name)).match('/__tolbooth/pages-meta');
        if (meta && (await meta.json()).kiosk) return true;
    }
    return false; }"""

# Every trace a person could leave in the page's reach, serialised for searching.
EVERYTHING = """async () => {
    const out = { cookie: document.cookie, dom: document.documentElement.outerHTML,
                  local: JSON.stringify({ ...localStorage }),
                  session: JSON.stringify({ ...sessionStorage }), idb: {}, caches: {} };
    for (const info of await indexedDB.databases()) {
        const db = await new Promise((ok) => { const r = indexedDB.open(info.name);
                                              r.onsuccess = () => ok(r.result); });
        out.idb[info.name] = {};
        for (const store of db.objectStoreNames) {
            out.idb[info.name][store] = await new Promise((ok) => {
                const r = db.transaction(store).objectStore(store).getAll();
                r.onsuccess = () => ok(r.result); });
        }
        db.close();
    }
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        out.caches[name] = {};
        for (const request of await cache.keys()) {
            out.caches[name][request.url] = await (await cache.match(request)).text();
        }
    }
    return JSON.stringify(out); }"""


def enrol_kiosk(world: Any, hub: str = "dalkeith") -> tuple[str, str]:
    """What POST /kiosk/enrol does (handlers/kiosk/enrol.py): the client and its token."""
    client = world.store.write_sync(kiosks.enrol, hub, "Front desk", "test", "staff:test")
    return client.id, make_sync_token(world.settings.secret_key, client.id,
                                      client.token_version)


def open_kiosk(browser: Any, base_url: str, world: Any, hub: str = "dalkeith") -> Any:
    """A new browser context enrolled as a kiosk of `hub`, on /kiosk, its worker in
    control with the kiosk's copies kept (what Finish lands on offline)."""
    client_id, token = enrol_kiosk(world, hub)
    context = browser.new_context(base_url=base_url, locale="en-GB")
    context.add_cookies([{"name": KIOSK_COOKIE, "url": base_url,
                          "value": kiosk_cookie_value(world.settings, client_id)}])
    page = context.new_page()
    page.goto("/kiosk")
    hub_name = world.store.read_sync(kiosks.kiosk, client_id).hub_name
    page.evaluate(WRITE_DEVICE, [client_id, token, hub, hub_name])
    wait_for_control(page)
    page.reload()  # the page asks the worker for its pages again: now a kiosk's
    wait_until(lambda: page.evaluate(KIOSK_PAGES_KEPT), "the kiosk's copies kept")
    return page


def session_cookie(page: Any) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == SESSION_COOKIE),
                None)


def everything(page: Any) -> str:
    return str(page.evaluate(EVERYTHING))


def finish_and_time(page: Any, click: Any) -> float:
    """Seconds from `click()` to the fresh start page, loaded."""
    started = time.monotonic()
    click()
    page.wait_for_function("() => location.pathname === '/kiosk' && document.readyState === "
                           "'complete' && !!document.querySelector('h1')", timeout=5000)
    return time.monotonic() - started


@contextmanager
def server_requests() -> Iterator[list[tuple[str, str]]]:
    """(method, route) of every request the live server answers meanwhile, in order."""
    seen: list[tuple[str, str]] = []

    class Seen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            entry = json.loads(record.getMessage())
            seen.append((entry["method"], entry["path"]))

    logger = logging.getLogger("tolbooth.access")
    handler, level = Seen(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield seen
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
