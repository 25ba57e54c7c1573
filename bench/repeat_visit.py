"""Bytes a real Chromium takes from the network on a second visit, once the service
worker has installed: the app shell (CSS, JS, htmx, icons) must come from the worker's
cache, so only the page itself (network first, to stay fresh) crosses the network.

Counted from the page's DevTools session as in browser_transfer.py: encodedDataLength
of every request that finished, split by whether the service worker answered it. The
HTTP cache is switched off, so nothing can come from there instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .browser_transfer import ARGS, CHROMIUM, TIMEOUT_MS, Loaded

WORKER_TIMEOUT_S = 60.0


@dataclass
class Visit:
    network: list[Loaded]  # what crossed the network
    from_worker: list[Loaded]  # what the service worker answered from its cache


def repeat_visit(url: str) -> tuple[Visit, Visit]:
    """The first visit and the second, in one fresh profile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context().new_page()
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            first = _visit(page, cdp, url)
            _wait_for_worker(page)
            second = _visit(page, cdp, url)
        finally:
            browser.close()
    return first, second


def _visit(page: Any, cdp: Any, url: str) -> Visit:
    seen: dict[str, dict[str, Any]] = {}
    finished: dict[str, int] = {}

    def will_send(event: dict[str, Any]) -> None:
        seen.setdefault(event["requestId"], {}).update(url=event["request"]["url"],
                                                       type=event.get("type", ""))

    def received(event: dict[str, Any]) -> None:
        response = event["response"]
        seen.setdefault(event["requestId"], {}).update(
            status=response.get("status", 0),
            encoding=next((v for k, v in response.get("headers", {}).items()
                           if k.lower() == "content-encoding"), ""),
            worker=response.get("fromServiceWorker", False))

    def done(event: dict[str, Any]) -> None:
        finished[event["requestId"]] = int(event.get("encodedDataLength", 0))

    handlers = (("Network.requestWillBeSent", will_send),
                ("Network.responseReceived", received), ("Network.loadingFinished", done))
    for name, handler in handlers:
        cdp.on(name, handler)
    try:
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        page.wait_for_timeout(300)
    finally:
        for name, handler in handlers:
            cdp.remove_listener(name, handler)
    network, worker = [], []
    for request_id, size in finished.items():
        info = seen.get(request_id, {})
        if info.get("url", "").startswith("data:"):
            continue
        loaded = Loaded(info.get("url", "?"), info.get("type", ""), info.get("status", 0),
                        info.get("encoding", ""), size)
        (worker if info.get("worker") else network).append(loaded)
    return Visit(network, worker)


def _wait_for_worker(page: Any) -> None:
    """Installed (the shell is precached before a worker activates) and in control."""
    deadline = time.monotonic() + WORKER_TIMEOUT_S
    while not page.evaluate("!!navigator.serviceWorker.controller"):
        if time.monotonic() > deadline:
            raise RuntimeError("the service worker did not take control of the page")
        time.sleep(0.1)
