"""Outbox drain: 100 requests queued offline in a real Chromium page, sent when the page
comes back online over an emulated slow 3G link, against the same drain unthrottled.

The app runs as `bench/servers.py` runs it (its own process, seeded). For each run a
fresh browser context (empty IndexedDB, so a new client registers) opens a start page,
loads the outbox code, goes offline (CDP Network.emulateNetworkConditions), queues
ITEMS valid `pest-control` submissions with the page's own `queueSubmission`, then
comes back online, throttled or not. The page's `online` listener drains the outbox as
it would for a person; the time is from that `online` event to the outbox's "drained"
message, measured in the page. Service workers are blocked so the page's own requests
(the ones the emulation throttles) do the sending. Round trips are counted from the
page's requests: POST /sync/v1/push (target: one per 50 mutations) and the one
registration, POST /sync/v1/clients.
"""

from __future__ import annotations

import math
import sqlite3
import sys
import time
from dataclasses import dataclass
from typing import Any

from .browser_transfer import ARGS, CHROMIUM
from .report import Result, Table, median
from .servers import ROOT, Server

NAME = "outbox_drain"
ITEMS = 100
BATCH = 50  # the outbox's BATCH_SIZE, and the protocol's batch
LATENCY_MS = 400
KBIT_S = 400
SLOW_3G = {"offline": False, "latency": LATENCY_MS,
           "downloadThroughput": KBIT_S * 1000 / 8, "uploadThroughput": KBIT_S * 1000 / 8}
UNTHROTTLED = {"offline": False, "latency": 0, "downloadThroughput": -1,
               "uploadThroughput": -1}
OFFLINE = {**UNTHROTTLED, "offline": True}
ORDER = ["baseline", "slow 3G", "slow 3G", "baseline"]  # drift falls on both
PAGE = "/services/pest-control"
TIMEOUT_MS = 120_000

LOAD_OUTBOX = """async () => {
    const script = document.createElement('script');
    script.src = document.getElementById('tb-outbox-status').dataset.tbOutboxScript;
    document.head.append(script);
    for (let i = 0; i < 400 && !window.TolboothOutbox; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await window.TolboothOutbox.start();
    window.benchDrain = { online: null, drained: [] };
    window.addEventListener('online', () => { window.benchDrain.online = performance.now(); });
    new BroadcastChannel('tolbooth-outbox').addEventListener('message', (event) => {
        if (!event.data || event.data.type !== 'drained') return;
        const at = performance.now();
        TolboothOutbox.counts().then(({ waiting }) => window.benchDrain.drained.push(
            { at, sent: event.data.summary.sent.length, waiting }));
    });
}"""

QUEUE = """async ([items, answers, contact]) => {
    for (let i = 0; i < items; i += 1) {
        await TolboothOutbox.queueSubmission({ id: crypto.randomUUID(), journey: 'pest-control',
            form_version: 1, answers, contact, locale: 'en' });
    }
    await TolboothOutbox.refreshStatus();
    return (await TolboothOutbox.counts()).waiting;
}"""

# Resolves once a drain that started after `online` has left nothing waiting: ms from
# `online` to that drain's end, and what the drains since `online` sent.
DRAINED = """async () => {
    for (;;) {
        const state = window.benchDrain;
        const since = state.drained.filter((d) => state.online !== null && d.at > state.online);
        const end = since.findIndex((d) => d.waiting === 0);
        if (end >= 0) {
            const { attention } = await TolboothOutbox.counts();
            return { ms: since[end].at - state.online, attention,
                sent: since.slice(0, end + 1).reduce((n, d) => n + d.sent, 0) };
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}"""


@dataclass
class Drain:
    link: str
    seconds: float
    sent: int
    attention: int
    pushes: int
    registrations: int
    up_bytes: int  # request heads + bodies of the sync calls
    down_bytes: int  # response heads + bodies
    stored: int  # requests the server gained
    queue_seconds: float  # queueing the ITEMS offline (not part of `seconds`)

    @property
    def round_trips(self) -> int:
        return self.pushes + self.registrations


def _submission() -> tuple[dict[str, Any], dict[str, Any]]:
    sys.path.insert(0, str(ROOT))
    from tests.sync_support import CONTACT, pest_answers  # what the sync tests push
    return pest_answers(), dict(CONTACT)


def _stored(server: Server) -> int:
    db = sqlite3.connect(f"file:{server.data_dir / 'tolbooth.db'}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT COUNT(*) FROM requests WHERE channel = 'offline'")
                   .fetchone()[0])
    finally:
        db.close()


def drain_once(browser: Any, server: Server, link: str) -> Drain:
    answers, contact = _submission()
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        sync_calls: list[Any] = []
        page.on("request", lambda r: sync_calls.append(r) if "/sync/v1/" in r.url else None)
        page.goto(server.url.rstrip("/") + PAGE, wait_until="load")
        page.evaluate(LOAD_OUTBOX)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", OFFLINE)
        page.wait_for_function("() => !navigator.onLine")
        started = time.perf_counter()
        waiting = page.evaluate(QUEUE, [ITEMS, answers, contact])
        queued_s = time.perf_counter() - started
        if waiting != ITEMS:
            raise RuntimeError(f"queued {waiting} of {ITEMS}")
        before = _stored(server)
        cdp.send("Network.emulateNetworkConditions", SLOW_3G if link != "baseline" else UNTHROTTLED)
        done = page.evaluate(DRAINED)
        page.wait_for_timeout(200)  # the last requestfinished events
        up = down = 0
        for call in sync_calls:
            sizes = call.sizes()
            up += sizes["requestHeadersSize"] + sizes["requestBodySize"]
            down += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        return Drain(link, done["ms"] / 1000, done["sent"], done["attention"],
                     sum(c.url.endswith("/sync/v1/push") for c in sync_calls),
                     sum(c.url.endswith("/sync/v1/clients") for c in sync_calls),
                     up, down, _stored(server) - before, queued_s)
    finally:
        context.close()


def link_floor(drain: Drain) -> float:
    """Seconds the slow link needs at the least: one latency per round trip plus the bytes
    at its rates (no server or browser time at all)."""
    rate = KBIT_S * 1000 / 8
    return drain.round_trips * LATENCY_MS / 1000 + (drain.up_bytes + drain.down_bytes) / rate


def run() -> Result:
    from playwright.sync_api import sync_playwright

    drains: list[Drain] = []
    with Server("app") as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for link in ORDER:
                drains.append(drain_once(browser, server, link))
        finally:
            browser.close()

    table = Table(["run", "link", "seconds", "sent", "stored", "pushes", "registrations",
                   "up B", "down B", "queue s"], [
        [str(i + 1), d.link, f"{d.seconds:.2f}", str(d.sent), str(d.stored), str(d.pushes),
         str(d.registrations), str(d.up_bytes), str(d.down_bytes),
         f"{d.queue_seconds:.2f}"]
        for i, d in enumerate(drains)],
        title=f"{ITEMS} queued requests drained on coming back online (in-page time from "
              "`online` to drained)")
    slow = [d for d in drains if d.link != "baseline"]
    base = [d for d in drains if d.link == "baseline"]
    # Per-round ratios, each slow run against the baseline run beside it.
    ratios = [s.seconds / b.seconds for s, b in zip(slow, base, strict=True)]
    slow_s, base_s = median([d.seconds for d in slow]), median([d.seconds for d in base])
    floors = [d.seconds / link_floor(d) for d in slow]
    target_pushes = math.ceil(ITEMS / BATCH)
    per_batch = median([d.pushes / target_pushes for d in drains])
    lines = [
        f"ratio slow 3G/unthrottled = {median(ratios):.2f}  (slow 3G {slow_s:.2f} s, "
        f"unthrottled {base_s:.2f} s for {ITEMS} requests; link: {LATENCY_MS} ms latency, "
        f"{KBIT_S} kbit/s each way)",
        f"ratio slow 3G/link floor = {median(floors):.2f}  (floor: one {LATENCY_MS} ms latency "
        f"per round trip + the bytes at {KBIT_S} kbit/s = {link_floor(slow[0]):.2f} s)",
        f"ratio round trips/target = {per_batch:.2f}  ({median([d.pushes for d in drains]):.0f} "
        f"pushes for {ITEMS} mutations, target one per {BATCH} = {target_pushes}; plus "
        f"{median([d.registrations for d in drains]):.0f} registration)",
        f"per request on slow 3G: {1000 * slow_s / ITEMS:.0f} ms",
    ]
    failures = []
    for i, d in enumerate(drains):
        if d.sent != ITEMS or d.stored != ITEMS or d.attention:
            failures.append(f"DRAIN: run {i + 1} ({d.link}) sent {d.sent}, stored {d.stored}, "
                            f"{d.attention} need attention; expected {ITEMS} each and none")
        if d.pushes > target_pushes:
            failures.append(f"ROUND TRIPS: run {i + 1} ({d.link}) took {d.pushes} pushes for "
                            f"{ITEMS} mutations; target {target_pushes}")
    metrics = {
        "items": ITEMS, "batch": BATCH, "latency_ms": LATENCY_MS, "kbit_s": KBIT_S,
        "slow_seconds": round(slow_s, 3), "unthrottled_seconds": round(base_s, 3),
        "ratio_slow_to_unthrottled": round(median(ratios), 3),
        "ratio_slow_to_link_floor": round(median(floors), 3),
        "ratio_round_trips_to_target": round(per_batch, 3),
        "runs": [vars(d) for d in drains],
    }
    return Result(NAME, f"outbox drain: {ITEMS} queued requests on slow 3G vs unthrottled",
                  [table], lines, metrics, failures)
