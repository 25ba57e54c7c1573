"""Finish on a kiosk in real Chromium (issue 13): within 2 s, online and with the network
down, every trace of the person goes (web storage, every IndexedDB database but the
kiosk's own, whose stores but device and sealed are emptied, every cache but the app
shell and clean copies, the server's session and what it kept, the session cookie's
id); offline, the service worker tells the server before anything else once the network
is back."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page

from tests.journey_answers import page_fields
from tests.kiosk_browser import (
    everything,
    finish_and_time,
    open_kiosk,
    server_requests,
    session_cookie,
)
from tests.outbox_helpers import FORMS
from tests.pwa_worker import wait_until
from tests.support import csrf

pytestmark = pytest.mark.browser

SLUG = "pest-control"
FINISH_S = 2.0

PLANT = """async (secret) => {
    localStorage.setItem('tb-note', secret);
    sessionStorage.setItem('tb-note', secret);
    const db = await new Promise((ok) => { const r = indexedDB.open('a-person', 1);
        r.onupgradeneeded = () => r.result.createObjectStore('notes');
        r.onsuccess = () => ok(r.result); });
    await new Promise((ok) => { const tx = db.transaction('notes', 'readwrite');
        tx.objectStore('notes').put(secret, 'x'); tx.oncomplete = ok; });
    db.close();
    const cache = await caches.open('a-person-pages');
    await cache.put('/services/' + secret, new Response('<p>' + secret + '</p>'));
}"""


def answer_online(page: Page, email: str) -> None:
    """The first question page and the contact page answered with the kiosk's own
    cookie: the server keeps a draft for this session."""
    journey = FORMS.latest(SLUG)
    first = journey.pages[0]
    for page_id, data in ((first.id, page_fields(first, {})),
                          ("contact", {"name": "Iseabail Finlayson", "how": "email",
                                       "email": email})):
        url = f"/services/{SLUG}/{page_id}"
        token = csrf(page.context.request.get(url).text())
        base = page.url.split("/kiosk")[0]
        answer = page.context.request.post(
            url, data=urlencode({**data, "csrf_token": token}, doseq=True), max_redirects=0,
            headers={"Origin": base, "Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status == 303, answer.text()[:300]


def drafts_holding(world, email: str) -> int:
    return world.store.read_sync(lambda db: db.execute(
        "SELECT count(*) FROM session_data WHERE value LIKE ?", [f"%{email}%"]).fetchone()[0])


def assert_wiped(page: Page, secret: str, email: str) -> None:
    found = everything(page)
    assert secret not in found and email not in found
    # Deleted: the person's database is gone; the outbox's may be back, opened afresh by
    # the start page's scripts, and empty.
    counts = page.evaluate("""async () => { const out = {};
        for (const info of await indexedDB.databases()) {
            const db = await new Promise((ok) => { const r = indexedDB.open(info.name);
                                                  r.onsuccess = () => ok(r.result); });
            for (const store of db.objectStoreNames) out[info.name + '/' + store] =
                await new Promise((ok) => { const r = db.transaction(store).objectStore(store)
                    .count(); r.onsuccess = () => ok(r.result); });
            db.close(); }
        return out; }""")
    assert not any(name.startswith("a-person") for name in counts)
    assert {k: v for k, v in counts.items() if v and not k.startswith("tolbooth-kiosk/")} == {}
    kept = page.evaluate("caches.keys()")
    assert kept and all(n.startswith(("tolbooth-shell-", "tolbooth-pages-")) for n in kept)
    # htmx notes the page it is on (/kiosk), nothing else is left.
    # (The fresh start page may already have noted its new session's CSRF token.)
    assert page.evaluate("""JSON.stringify([Object.fromEntries(Object.entries(localStorage)
        .filter(([k]) => k !== 'tolbooth-kiosk-csrf')), { ...sessionStorage }])""") == (
        '[{},{"htmx-current-path-for-history":"/kiosk"}]')
    device = page.evaluate("""async () => { const db = await new Promise((ok) => {
        const r = indexedDB.open('tolbooth-kiosk'); r.onsuccess = () => ok(r.result); });
        return new Promise((ok) => { const r = db.transaction('device').objectStore('device')
            .getAllKeys(); r.onsuccess = () => ok(r.result); }); }""")
    assert "client" in device  # the kiosk is still a kiosk


def test_finish_online_clears_the_person_and_their_session_within_two_seconds(
        browser, base_url: str, live_world):
    world = live_world[0]
    page = open_kiosk(browser, base_url, world)
    secret, email = f"trace-{secrets.token_hex(6)}", f"{secrets.token_hex(6)}@example.org"
    answer_online(page, email)
    page.goto(f"/services/{SLUG}/contact")
    page.evaluate(PLANT, secret)
    assert drafts_holding(world, email) >= 1
    before = session_cookie(page)

    seconds = finish_and_time(page, lambda: page.click("#tb-kiosk-finish"))

    assert seconds < FINISH_S
    assert_wiped(page, secret, email)
    assert session_cookie(page) != before
    assert drafts_holding(world, email) == 0
    fresh = page.context.request.get("/kiosk")
    assert "no-store" in fresh.headers["cache-control"]
    # Back leads nowhere personal: the page Finish left was emptied, then replaced.
    page.go_back()
    page.wait_for_load_state("networkidle")  # wherever Back leads may move on again
    assert email not in page.content() and secret not in page.content()
    page.context.close()


def test_finish_offline_clears_at_once_and_tells_the_server_first_when_back_online(
        browser, base_url: str, live_world):
    world = live_world[0]
    page = open_kiosk(browser, base_url, world)
    secret, email = f"trace-{secrets.token_hex(6)}", f"{secrets.token_hex(6)}@example.org"
    answer_online(page, email)
    page.goto(f"/services/{SLUG}/contact")
    page.evaluate(PLANT, secret)
    before = session_cookie(page)
    page.context.set_offline(True)

    seconds = finish_and_time(page, lambda: page.click("#tb-kiosk-finish"))

    assert seconds < FINISH_S
    assert_wiped(page, secret, email)
    assert page.locator("#tb-kiosk-finish").count() == 1  # the kiosk's start page, offline
    assert drafts_holding(world, email) >= 1  # the server has not heard yet
    with server_requests() as seen:
        page.context.set_offline(False)
        page.goto("/kiosk/services")  # the next person's first request
        wait_until(lambda: drafts_holding(world, email) == 0, "the finish reached the server")
    assert seen[0] == ("POST", "/kiosk/finish"), seen
    assert session_cookie(page) != before
    assert page.evaluate("""async () => { const db = await new Promise((ok) => {
        const r = indexedDB.open('tolbooth-kiosk'); r.onsuccess = () => ok(r.result); });
        return new Promise((ok) => { const r = db.transaction('device').objectStore('device')
            .get('finish-pending'); r.onsuccess = () => ok(r.result || null); }); }""") is None
    page.context.close()
