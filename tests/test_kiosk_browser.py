"""Issue 13 in Chromium: hub staff turn a browser into a kiosk with a passkey (the
virtual authenticator), signing in again when their session is not fresh; the kiosk
knows itself in IndexedDB, has no links out of its journey and large targets; "Ask for
help" reaches the hub's staff view at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from server import i18n
from server.db import kiosks
from server.db.clock import iso_in
from server.db.staff import create_invite
from server.kiosk.device import KIOSK_COOKIE, kiosk_cookie_value
from tests.axe import assert_accessible
from tests.notify_support import wait_until
from tests.passkey_authenticator import sign_in_with_new_passkey, staff_id
from tests.test_auth_browser import authenticator

pytestmark = pytest.mark.browser

# /outbox: on a kiosk, its own outbox view (counts and receipt codes only).
KIOSK_PATHS = ("/kiosk", "/services", "/language/", "/outbox", "/privacy", "/accessibility")
READ_DEVICE = """() => new Promise((resolve, reject) => {
  const req = indexedDB.open('tolbooth-kiosk', 1);
  req.onsuccess = () => {
    const get = req.result.transaction('device').objectStore('device').get('client');
    get.onsuccess = () => resolve(get.result || null);
    get.onerror = () => reject(get.error);
  };
  req.onerror = () => reject(req.error);
})"""
# Shown targets only (the time-out warning's buttons are hidden until it opens).
SMALL_TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => { const r = el.getBoundingClientRect();
                 return {text: el.textContent.trim(), w: r.width, h: r.height}; })
  .filter((box) => box.w < 44 || box.h < 44)"""
LEAVING_LINKS = """(allowed) => [...document.querySelectorAll('a[href]')]
  .map((a) => new URL(a.getAttribute('href'), location.href))
  .filter((u) => u.origin !== location.origin
          || !(u.pathname === location.pathname || allowed.some((p) => u.pathname.startsWith(p))))
  .map((u) => u.href)"""


def assert_kiosk_page(page: Page) -> None:
    expect(page.locator("body")).to_have_attribute("data-kiosk", "true")
    assert page.evaluate(LEAVING_LINKS, list(KIOSK_PATHS)) == [], page.url
    selector = ".tb-kiosk-choice, .tb-kiosk-bar__button"
    assert page.locator(selector).first.is_visible()
    assert page.evaluate(SMALL_TARGETS, selector) == []


def test_hub_staff_enrol_a_kiosk_with_a_passkey_and_it_stays_in_its_journey(
        page: Page, live_world: Any) -> None:
    built, server = live_world
    url, store = server.url, built.store
    email = "kiosk.setup@midlothian.example"
    token = store.write_sync(create_invite, email, "hub_staff", "Kiosk Setter", "test")
    store.write_sync(lambda db: db.execute("UPDATE staff SET hub_id = 'dalkeith'"
                                           " WHERE email = ?", [email]))
    authenticator(page)
    page.goto(f"{url}/enrol/{token}")
    page.get_by_role("button", name="Create a passkey").click()
    page.wait_for_url(f"{url}/account")
    # Signed in ten minutes ago: not fresh enough to set up a kiosk; sign in again.
    store.write_sync(lambda db: db.execute(
        "UPDATE auth_sessions SET created_at = ? WHERE person_id = ?",
        [iso_in(timedelta(minutes=-10)), staff_id(store, email)]))
    page.goto(f"{url}/kiosk/enrol")
    expect(page.get_by_label("Name of this kiosk")).to_have_count(0)
    page.get_by_role("button", name="Sign in again with your passkey").click()
    page.wait_for_url(f"{url}/kiosk/enrol")
    page.get_by_label("Name of this kiosk").fill("Front desk")
    page.get_by_role("button", name="Set up this kiosk and sign me out").click()
    page.wait_for_url(f"{url}/kiosk")
    device = page.evaluate(READ_DEVICE)
    # The world is shared with other kiosk tests in this worker: find this one by its id.
    enrolled = [k for k in store.read_sync(kiosks.listing, "dalkeith")
                if k.client_id == device["client_id"]]
    assert len(enrolled) == 1 and enrolled[0].label == "Front desk"
    assert device["hub_name"] == "Dalkeith Library" and device["client_token"]
    # heartbeat.js reports what the kiosk has waiting (nothing yet) with its token.
    reported = wait_until(lambda: [k for k in store.read_sync(kiosks.listing, "dalkeith")
                                   if k.client_id == device["client_id"] and k.status_at],
                          what="the kiosk's status report")
    assert reported[0].waiting == 0
    cookie = next(c for c in page.context.cookies() if c["name"] == KIOSK_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    # Language first, each in its own name; then the services; all large, none leaving.
    expect(page.get_by_role("heading", name="Choose your language")).to_be_visible()
    expect(page.locator('a.tb-kiosk-choice[lang="gd"]')).to_have_text("Gàidhlig")
    assert_kiosk_page(page)
    assert_accessible(page)
    page.locator('a.tb-kiosk-choice[lang="pl"]').click()
    page.wait_for_url(f"{url}/kiosk/services")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    assert_kiosk_page(page)
    assert_accessible(page)
    page.locator("a.tb-kiosk-choice").first.click()
    assert_kiosk_page(page)
    expect(page.locator("#tb-kiosk-finish")).to_be_visible()
    # The member of staff is no longer signed in here.
    page.goto(f"{url}/account")
    assert "/sign-in" in page.url


def test_ask_for_help_reaches_the_hub_view_at_once(page: Page, live_world: Any) -> None:
    built, server = live_world
    url, store, settings = server.url, built.store, built.settings
    client_id = store.write_sync(kiosks.enrol, "dalkeith", "Window seat", "t", "staff:t").id
    with httpx.Client(base_url=url) as http:
        sign_in_with_new_passkey(http, store, url, "staff",
                                 staff_id(store, "hub.staff@midlothian.example"))
        cookies = [{"name": c.name, "value": c.value, "url": url} for c in http.cookies.jar]
    hub = page.context.browser.new_context(locale="en-GB")
    hub.add_cookies(cookies + [{"name": i18n.COOKIE, "value": "en", "url": url}])
    staff_page = hub.new_page()
    staff_page.goto(f"{url}/staff/hub")
    expect(staff_page.get_by_role("heading", name="Library hub", level=1)).to_be_visible()
    page.context.add_cookies([{"name": KIOSK_COOKIE, "url": url,
                               "value": kiosk_cookie_value(settings, client_id)}])
    page.goto(f"{url}/kiosk/services")
    page.get_by_role("button", name="Ask for help").click()
    expect(page.locator("#tb-kiosk-help-status")).to_contain_text("Someone is coming")
    assert page.url == f"{url}/kiosk/services"  # htmx: the person stays where they were
    # The hub's page asks again every 5 s: the request shows, and is announced.
    item = staff_page.locator("#tb-hub-live li", has_text="Window seat")
    expect(item).to_be_visible(timeout=12_000)
    expect(staff_page.locator("#tb-hub-alert")).to_contain_text("Window seat")
    assert_accessible(staff_page)
    item.get_by_role("button", name="On my way").click()
    page.goto(f"{url}/kiosk/help")
    expect(page.get_by_text("Morag Hub is on their way to help you.")).to_be_visible()
    # Assisted mode: the code the kiosk shows, entered on the hub page; the kiosk (asking
    # again every 4 s) then says who is helping and asks for consent.
    page.get_by_role("link", name="When they arrive, show them a code").click()
    code = page.locator(".tb-kiosk-code [aria-hidden]").inner_text()
    assert_accessible(page)
    staff_page.get_by_label("Code shown on the kiosk").fill(code)
    staff_page.get_by_role("button", name="Join").click()
    expect(staff_page.get_by_text("You are now helping at the kiosk.")).to_be_visible()
    expect(page.get_by_text("Morag Hub from Dalkeith Library is helping you.")).to_be_visible(
        timeout=10_000)
    page.get_by_role("button", name="Yes, they may fill in answers for me").click()
    expect(page.get_by_text("You said they may fill in answers for you.")).to_be_visible()
    staff_page.goto(f"{url}/staff/kiosks")
    expect(staff_page.get_by_role("cell", name="Window seat", exact=True).first).to_be_visible()
    assert_accessible(staff_page)
    hub.close()
