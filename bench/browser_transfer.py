"""Bytes a real Chromium receives for a first visit, from the DevTools protocol: the sum
of encodedDataLength (headers + body as received) of Network.loadingFinished for every
request the page made. A service worker's own fetches (precaching) happen in its own
target and are not seen by the page's session; responses the page got from a service
worker are skipped too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 15_000


@dataclass
class Loaded:
    url: str
    type: str
    status: int
    encoding: str
    bytes: int


def first_visit(url: str) -> tuple[list[Loaded], str]:
    """Resources a fresh Chromium profile loads for `url`, and its Accept-Encoding."""
    from playwright.sync_api import sync_playwright

    requests: dict[str, dict[str, Any]] = {}
    finished: dict[str, int] = {}
    accept_encoding = ""

    def will_send(event: dict[str, Any]) -> None:
        nonlocal accept_encoding
        requests.setdefault(event["requestId"], {}).update(
            url=event["request"]["url"], type=event.get("type", ""))
        if not accept_encoding:
            accept_encoding = _header(event["request"].get("headers", {}), "accept-encoding")

    def extra_info(event: dict[str, Any]) -> None:
        # The headers as actually sent (Accept-Encoding is added below the page).
        nonlocal accept_encoding
        accept_encoding = _header(event.get("headers", {}), "accept-encoding") or accept_encoding

    def received(event: dict[str, Any]) -> None:
        response = event["response"]
        requests.setdefault(event["requestId"], {}).update(
            status=response.get("status", 0),
            encoding=_header(response.get("headers", {}), "content-encoding"),
            from_service_worker=response.get("fromServiceWorker", False))

    def done(event: dict[str, Any]) -> None:
        finished[event["requestId"]] = int(event.get("encodedDataLength", 0))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.on("Network.requestWillBeSent", will_send)
            cdp.on("Network.requestWillBeSentExtraInfo", extra_info)
            cdp.on("Network.responseReceived", received)
            cdp.on("Network.loadingFinished", done)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
            page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
            page.wait_for_timeout(300)  # let the last CDP events arrive
        finally:
            browser.close()

    loaded = []
    for request_id, size in finished.items():
        info = requests.get(request_id, {})
        if info.get("from_service_worker") or info.get("url", "").startswith("data:"):
            continue
        loaded.append(Loaded(info.get("url", "?"), info.get("type", ""), info.get("status", 0),
                             info.get("encoding", ""), size))
    return loaded, accept_encoding


def _header(headers: dict[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name), "")
