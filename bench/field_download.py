"""Field download (issue 14): a field worker's first download of 200 cases with photo
thumbnails on emulated slow 3G (400 ms latency, 400 kbit/s each way; Chromium's network
emulation through the DevTools protocol), in real Chromium through the field app at
/field, against the link's physical floor measured in the same run:

    floor = bytes received / bandwidth + round trips x latency

(bytes: encodedDataLength of every pull response, headers included; round trips: the
pull requests). Goal: <= 60 s and <= 1.5x the floor. Then 5 changes in the back office
and "Sync now": the round trips the incremental pull takes (goal <= 2).

The seeding and the browser steps here are shared with tests/test_field_e2e_browser.py.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .report import Result, Table
from .servers import ROOT

NAME = "field_download"
CASES = 200
LATENCY_MS = 400
KBIT_S = 400
BYTES_PER_S = KBIT_S * 1000 / 8
GOAL_SECONDS = 60.0
GOAL_RATIO = 1.5
GOAL_INCREMENTAL_TRIPS = 2
FIELD_WORKER = "field.worker@midlothian.example"
DOWNLOAD_TIMEOUT_MS = 180_000


def photo(seed: int) -> bytes:
    """A 640 x 480 JPEG with a photo's detail at every scale (its thumbnail weighs what a
    real photo's does, about 4.5 KB as base64), as a phone's camera sends one."""
    from PIL import Image
    size = (640, 480)
    coarse = Image.effect_noise((80, 60), 70 + seed % 7).convert("RGB").resize(
        size, Image.Resampling.BICUBIC)
    fine = Image.effect_noise(size, 30).convert("RGB")
    base = Image.radial_gradient("L").resize(size).convert("RGB")
    image = Image.blend(Image.blend(base, coarse, 0.4), fine, 0.15)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def thumbnails(count: int) -> list[Any]:
    """The server's own thumbnails (journeys/field_photos.py, as an upload finishing
    makes them) of `count` different photos: none repeats, so gzip finds no repeats
    between them that real photos would not have."""
    from server.journeys.field_photos import make_thumbnail, measure
    return [(measure(make_thumbnail(data)), hashlib.sha256(data).hexdigest())
            for data in (photo(n) for n in range(count))]


STREETS = ("High Street", "Eskbank Road", "Newbattle Road", "Bonnyrigg Road", "Mayfield Place")
TOWNS = ("Dalkeith", "Bonnyrigg", "Penicuik", "Loanhead", "Gorebridge")


def seed_cases(db: Any, person_id: str, count: int = CASES, prefix: str = "FLD") -> list[str]:
    """`count` environmental health cases assigned to the person, each with its named
    fields, a visit and the visit's photo thumbnail, all in the caller's transaction."""
    from server.db import case_fields, teams
    from server.db import requests as requests_db
    from server.db.clock import now_iso

    counter = itertools.count()
    ids = []
    shots = thumbnails(count)
    for n in range(count):
        case_id = str(uuid.uuid4())
        answers = {"details": f"Loud music every night from number {n + 1}.",
                   "line1": f"{n + 1} {STREETS[n % len(STREETS)]}",
                   "town": TOWNS[n % len(TOWNS)], "postcode": f"EH22 {n % 9 + 1}AB"}
        requests_db.create_request(db, requests_db.NewRequest(
            id=case_id, journey="noise-complaint", service="environmental-health",
            form_version=1, answers=answers, channel="web", special_category=False,
            contact_name="Field Bench", contact_email=None, contact_phone="07700 900123",
            locale="en"), lambda: f"{prefix}-{uuid.uuid4().hex[:4].upper()}-{next(counter)}")
        teams.set_assignment(db, case_id, None, person_id)
        case_fields.set_fields(db, case_id, {
            "risk_level": ("low", "medium", "high")[n % 3],
            "next_visit_on": f"2027-01-{n % 28 + 1:02d}",
            "access_notes": "Side gate; dog in the garden."}, case_fields.OFFICE)
        visit_id, photo_id = str(uuid.uuid4()), str(uuid.uuid4())
        small, sha256 = shots[n]
        case_fields.add_item(db, "visit", visit_id, case_id, {
            "started_at": "2026-11-20T13:30:00.000Z", "ended_at": "2026-11-20T14:00:00.000Z",
            "outcome": "completed", "summary": "Spoke to the neighbours; music audible.",
            "at": now_iso(), "by": "Callum Field", "late": False, "photos": [photo_id]})
        case_fields.add_item(db, "photo", photo_id, case_id,
                             small.as_item("visit", visit_id, sha256))
        ids.append(case_id)
    return ids


def signed_in_context(browser: Any, url: str, store: Any, email: str = FIELD_WORKER,
                      service_workers: str = "allow") -> Any:
    """A new browser context signed in as this member of staff (a passkey made in the
    database, the sign-in done over HTTP, its cookie handed to the browser)."""
    import httpx

    from tests.passkey_authenticator import sign_in_with_new_passkey, staff_id
    with httpx.Client(base_url=url) as http:
        sign_in_with_new_passkey(http, store, url, "staff", staff_id(store, email))
        cookies = [{"name": c.name, "value": c.value, "url": url} for c in http.cookies.jar]
    context = browser.new_context(locale="en-GB", service_workers=service_workers)
    context.add_cookies(cookies)
    return context


def set_up_device(page: Any, url: str) -> None:
    from playwright.sync_api import expect
    page.goto(f"{url}/field")
    page.get_by_role("button", name="Set up this device").click()
    expect(page.locator("[data-tb-field-device]")).to_contain_text("This device is set up for")


@dataclass
class Traffic:
    """Requests to /sync/ the page made, from the DevTools protocol."""
    urls: dict[str, str] = field(default_factory=dict)
    received: dict[str, int] = field(default_factory=dict)

    def listen(self, cdp: Any) -> None:
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(
            e["requestId"], e["request"]["url"]) if "/sync/" in e["request"]["url"] else None)
        cdp.on("Network.loadingFinished", lambda e: self.received.__setitem__(
            e["requestId"], int(e.get("encodedDataLength", 0)))
            if e["requestId"] in self.urls else None)

    def pulls(self) -> list[str]:
        return [r for r, u in self.urls.items() if "/sync/v1/pull" in u]

    def pull_bytes(self) -> int:
        return sum(self.received.get(r, 0) for r in self.pulls())

    def reset(self) -> None:
        self.urls.clear()
        self.received.clear()


def slow_3g(page: Any) -> tuple[Any, Traffic]:
    cdp = page.context.new_cdp_session(page)
    traffic = Traffic()
    traffic.listen(cdp)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": LATENCY_MS, "downloadThroughput": BYTES_PER_S,
        "uploadThroughput": BYTES_PER_S})
    return cdp, traffic


def download(page: Any, cases: int, timeout_ms: int = DOWNLOAD_TIMEOUT_MS) -> float:
    """Press "Download my cases" and wait until the app says all are on the device."""
    from playwright.sync_api import expect
    started = time.perf_counter()
    page.get_by_role("button", name="Download my cases").click()
    expect(page.locator("[data-tb-field-progress]")).to_contain_text(
        f"Download finished: {cases} cases", timeout=timeout_ms)
    return time.perf_counter() - started


def cases_on_device(page: Any, kind: str = "case") -> int:
    """Cases (or photos, notes...) held in the app's IndexedDB: its rows store, keyed
    "<kind>/<id>"."""
    return int(page.evaluate("""(kind) => new Promise((resolve, reject) => {
        const open = indexedDB.open('tolbooth-field');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
            const req = open.result.transaction('rows').objectStore('rows')
                .count(IDBKeyRange.bound(kind + '/', kind + '/\\uffff'));
            req.onsuccess = () => { open.result.close(); resolve(req.result); };
            req.onerror = () => reject(req.error);
        };
    })""", kind))


def sync_now(page: Any, timeout_ms: int = 30_000) -> None:
    """Press "Sync now" and wait for a pull that says there is no more."""
    with page.expect_response(lambda r: "/sync/v1/pull" in r.url and r.ok
                              and r.json().get("more") is False, timeout=timeout_ms):
        page.get_by_role("button", name="Sync now").click()


def office_changes(db: Any, case_ids: list[str]) -> None:
    from server.db import case_fields
    for n, case_id in enumerate(case_ids):
        case_fields.set_fields(db, case_id, {"hazards": f"Office change {n + 1}"},
                               case_fields.OFFICE)


def run() -> Result:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from server.db.staff import everyone
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.support import live_app

    with tempfile.TemporaryDirectory(prefix="tolbooth-bench-field-") as tmp, \
            live_app(Path(tmp) / "data") as (built, server):
        person = next(s.id for s in built.store.read_sync(everyone) if s.email == FIELD_WORKER)
        case_ids = built.store.write_sync(seed_cases, person)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                # No service worker: the page's own (throttled) requests do the pulling.
                context = signed_in_context(browser, server.url, built.store,
                                            service_workers="block")
                page = context.new_page()
                set_up_device(page, server.url)
                _cdp, traffic = slow_3g(page)
                seconds = download(page, CASES)
                held = cases_on_device(page)
                first_trips, first_bytes = len(traffic.pulls()), traffic.pull_bytes()
                built.store.write_sync(office_changes, case_ids[:5])
                traffic.reset()
                started = time.perf_counter()
                sync_now(page)
                incremental_seconds = time.perf_counter() - started
                incremental_trips = len(traffic.pulls())
                incremental_bytes = traffic.pull_bytes()
            finally:
                browser.close()

    floor = first_bytes / BYTES_PER_S + first_trips * LATENCY_MS / 1000
    ratio = seconds / floor if floor else float("inf")
    table = Table(["step", "seconds", "bytes", "round trips", "floor s", "ratio"], [
        ["first download", f"{seconds:.1f}", str(first_bytes), str(first_trips),
         f"{floor:.1f}", f"{ratio:.2f}"],
        ["after 5 office changes", f"{incremental_seconds:.1f}", str(incremental_bytes),
         str(incremental_trips), "", ""]],
        title=f"{CASES} cases with thumbnails, {LATENCY_MS} ms, {KBIT_S} kbit/s each way")
    failures = []
    if held != CASES:
        failures.append(f"{held} cases on the device, not {CASES}")
    if seconds > GOAL_SECONDS:
        failures.append(f"OVER BUDGET: first download {seconds:.1f} s > {GOAL_SECONDS:.0f} s")
    if ratio > GOAL_RATIO:
        failures.append(f"OVER BUDGET: {ratio:.2f}x the link's floor > {GOAL_RATIO}x")
    if incremental_trips > GOAL_INCREMENTAL_TRIPS:
        failures.append(f"OVER BUDGET: incremental pull took {incremental_trips} round trips")
    return Result(NAME, "field download on slow 3G", tables=[table], lines=[
        f"ratio download/floor = {ratio:.2f}  (goal <= {GOAL_RATIO}; {seconds:.1f} s,"
        f" floor {floor:.1f} s = {first_bytes} B / {BYTES_PER_S:.0f} B/s"
        f" + {first_trips} x {LATENCY_MS} ms)",
        f"first download = {seconds:.1f} s  (goal <= {GOAL_SECONDS:.0f} s), {held} cases held",
        f"incremental pull after 5 changes = {incremental_trips} round trips"
        f"  (goal <= {GOAL_INCREMENTAL_TRIPS})"],
        metrics={"seconds": seconds, "bytes": first_bytes, "round_trips": first_trips,
                 "floor_seconds": floor, "ratio": ratio, "cases_held": held,
                 "incremental_round_trips": incremental_trips,
                 "incremental_bytes": incremental_bytes}, failures=failures)
