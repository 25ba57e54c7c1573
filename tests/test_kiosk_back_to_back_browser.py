"""Issue 13's "done when": two people back to back on one kiosk (one Chromium context, the
same profile), the first offline. Person 1 makes a request with the sealed outbox, gets a
receipt and leaves by Finish (or by walking away: the idle time-out). Person 2 then finds
nothing of person 1 anywhere the page can reach: the DOM of every page they see, the
cookies, web storage, every IndexedDB database's records, every cache's bodies, Back from
the start page, and no field offers autofill. When the network returns, the server hears
the finish before anything else and person 1's request arrives exactly once."""

from __future__ import annotations

import secrets
import time

import pytest
from playwright.sync_api import Page, expect

from tests.kiosk_browser import (
    everything,
    finish_and_time,
    open_kiosk,
    server_requests,
    session_cookie,
)
from tests.pwa_worker import wait_until

pytestmark = pytest.mark.browser

JOURNEY = "food-safety-complaint"
IDLE_MS, WARN_MS = 120_000, 60_000  # the seeded hubs' timing
SEALED_STATES = """async () => { const db = await new Promise((ok) => {
    const r = indexedDB.open('tolbooth-kiosk'); r.onsuccess = () => ok(r.result); });
    return new Promise((ok) => { const r = db.transaction('sealed').objectStore('sealed')
        .getAll(); r.onsuccess = () => ok(r.result.map((item) => item.state)); }); }"""


def person_one() -> dict[str, str]:
    mark = secrets.token_hex(4)
    return {"name": f"Oighrig Mhoireasdan {mark}", "email": f"oighrig.{mark}@example.org",
            "business": f"Taigh-bidhe Ceann Loch {mark}",
            "details": f"The haggis at the ceilidh was cold {mark}"}


def walk_offline(page: Page, who: dict[str, str]) -> None:
    """Person 1's request, page by page from the kiosk's copies (the context is offline)."""
    def next_page(path_end: str) -> None:
        page.locator("#continue").click()
        page.wait_for_url(f"**/services/{JOURNEY}/{path_end}")

    page.goto(f"/services/{JOURNEY}/business")
    expect(page.locator("main[data-tb-offline-copy]")).to_have_count(1)
    page.fill("#business_name", who["business"])
    page.fill("#business_address-line1", "4 Shore Street")
    page.fill("#business_address-town", "Dalkeith")
    page.fill("#business_address-postcode", "EH22 1AA")
    next_page("what-happened")
    page.locator("input[name=problem_type]").first.check(force=True)
    next_page("visit-date")
    page.fill("#visit_date-day", "3")
    page.fill("#visit_date-month", "11")
    page.fill("#visit_date-year", "2026")
    next_page("kept-food")
    page.locator("input[name=kept_food]").first.check(force=True)
    next_page("saw-doctor")
    page.locator("input[name=saw_doctor][value=no]").check(force=True)
    next_page("details")
    page.fill("#details", who["details"])
    next_page("photos")
    next_page("contact")
    page.fill("#name", who["name"])
    page.locator("#how-email").check(force=True)
    page.fill("#email", who["email"])
    next_page("check")
    expect(page.locator("main")).to_contain_text(who["details"])
    page.click("#send-request")
    page.wait_for_url("**/kiosk/receipt?code=*")
    expect(page.locator("[data-tb-receipt-code]")).not_to_have_text("")


def assert_nothing_of(page: Page, who: dict[str, str], where: str) -> None:
    found = everything(page)  # DOM, document.cookie, web storage, IndexedDB, caches
    for value in who.values():
        assert value not in found, (where, value)
    for cookie in page.context.cookies():
        assert not any(v in cookie["value"] for v in who.values()), cookie["name"]


def person_two_looks(page: Page, who: dict[str, str]) -> None:
    """Everything person 2 can see or reach, offline, on the kiosk."""
    assert_nothing_of(page, who, "the fresh start page")
    page.go_back()  # Back from the start page
    page.wait_for_load_state()
    assert_nothing_of(page, who, f"Back from the start page: {page.url}")
    for path in ("/kiosk", "/kiosk/services", f"/services/{JOURNEY}",
                 f"/services/{JOURNEY}/business", f"/services/{JOURNEY}/contact",
                 f"/services/{JOURNEY}/check", "/kiosk/outbox"):
        page.goto(path)
        page.wait_for_load_state()
        assert_nothing_of(page, who, path)
        if path.endswith("/contact"):
            # No field may offer what someone typed before: every form says
            # autocomplete="off", which its fields inherit unless they say otherwise.
            assert page.evaluate("""() => {
                const forms = [...document.querySelectorAll('main form')];
                const fields = [...document.querySelectorAll('main form input, main form textarea')]
                    .filter((el) => el.type !== 'hidden');
                return forms.length > 0 && fields.length > 0
                    && forms.every((f) => f.getAttribute('autocomplete') === 'off')
                    && fields.every((el) => [null, 'off'].includes(
                        el.getAttribute('autocomplete')));
            }""")


def arrived(world, who: dict[str, str]) -> int:
    return world.store.read_sync(lambda db: db.execute(
        "SELECT count(*) FROM requests WHERE contact_name = ?", [who["name"]]).fetchone()[0])


@pytest.mark.parametrize("leaves_by", ["finish", "time-out"])
def test_the_next_person_finds_nothing_and_the_request_arrives_once(
        browser, base_url: str, live_world, leaves_by: str):
    world = live_world[0]
    page = open_kiosk(browser, base_url, world)
    who = person_one()
    before = session_cookie(page)
    page.context.set_offline(True)
    walk_offline(page, who)

    if leaves_by == "finish":
        seconds = finish_and_time(page, lambda: page.click("#tb-kiosk-finish"))
    else:
        page.clock.install()
        page.reload()  # the receipt, from the kiosk's copy, on the test's clock
        page.clock.run_for(IDLE_MS + WARN_MS + 1000)
        started = time.monotonic()
        page.clock.resume()
        page.wait_for_function("() => location.pathname === '/kiosk' && "
                               "document.readyState === 'complete'", timeout=5000)
        seconds = time.monotonic() - started
    assert seconds < 2.0

    person_two_looks(page, who)
    assert arrived(world, who) == 0

    with server_requests() as seen:
        page.context.set_offline(False)
        page.goto("/kiosk")
        # The kiosk's outbox page sends what the kiosk holds (ke's kiosk/pages.js).
        page.goto("/kiosk/outbox")
        wait_until(lambda: arrived(world, who) > 0, "person 1's request delivered")
    assert seen[0] == ("POST", "/kiosk/finish"), seen
    assert session_cookie(page) != before
    page.reload()  # sends again if anything were left: still exactly once
    page.wait_for_load_state()
    assert_nothing_of(page, who, "online again")
    wait_until(lambda: "waiting" not in page.evaluate(SEALED_STATES), "nothing left waiting")
    assert arrived(world, who) == 1
    page.context.close()
