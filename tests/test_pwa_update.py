"""A new build of the worker: offered to the person, never forced, and not while they
have unsent input on a form; once they choose it, the old version's caches are gone.

A new build is simulated by serving the same worker with another build version, which
is what a real rebuild changes (pwa/build.mjs hashes the shell into it)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from server.forms.registry import FormRegistry
from server.handlers.public import app_shell
from tests.pwa_worker import cache_contents, cache_version, wait_for_pages, wait_until

pytestmark = pytest.mark.browser

BANNER = "#tb-update-banner"
READY = "A new version of this service is ready."
FIRST_PAGE = FormRegistry().latest("noise-complaint").pages[0]
CHECK_FOR_UPDATE = "navigator.serviceWorker.getRegistration().then((r) => r.update())"
HAS_WAITING = "navigator.serviceWorker.getRegistration().then((r) => !!(r && r.waiting))"
HEARD_INSTALLED = """navigator.serviceWorker.getRegistration()
    .then((r) => !!(r && r.waiting && r.waiting.state === 'installed'))"""
# Messages from one page to one worker arrive in order: the waiting worker answers a
# pages message (pwa/sw/forms_precache.js) after any SKIP_WAITING posted before it.
ROUND_TRIP_TO_WAITING = """() => navigator.serviceWorker.getRegistration().then((r) =>
    new Promise((resolve) => {
        const waiting = r.waiting;
        navigator.serviceWorker.addEventListener('message', (event) => {
            if (event.data && event.data.type === 'tolbooth-pages-precached') {
                resolve(r.waiting === waiting ? waiting.state : 'replaced');
            }
        });
        waiting.postMessage({ type: 'tolbooth-precache-pages', lang: 'en' });
    }))"""


def serve_new_build(monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    original = app_shell.worker_script

    def rebuilt(assets):  # type: ignore[no-untyped-def]
        body = original(assets)
        assert old.encode() in body
        return body.replace(old.encode(), new.encode())

    monkeypatch.setattr(app_shell, "worker_script", rebuilt)


def test_update_is_offered_not_forced_and_old_caches_go(page: Page, base_url, monkeypatch):
    page.goto(f"{base_url}/services")
    wait_for_pages(page, "en")
    old = cache_version(list(cache_contents(page)))
    new = "0a1b2c3d4e5f"
    serve_new_build(monkeypatch, old, new)
    page.evaluate("window.tbNotReloaded = true")
    page.evaluate(CHECK_FOR_UPDATE)

    banner = page.locator(BANNER)
    expect(banner).to_contain_text(READY, timeout=90_000)
    assert banner.get_attribute("role") == "status"
    # Offered, not forced: the new worker waits, the old caches are still there, and
    # the page has not reloaded. Only a SKIP_WAITING message makes it take over; a
    # round trip to it after the banner shows means any such message was handled.
    assert page.evaluate(ROUND_TRIP_TO_WAITING) == "installed"
    assert page.evaluate(HAS_WAITING)
    assert page.evaluate("window.tbNotReloaded") is True
    names = list(cache_contents(page))
    assert f"tolbooth-shell-{old}" in names and f"tolbooth-shell-{new}" in names

    with page.expect_navigation():
        banner.get_by_role("button", name="Use the new version").click()
    assert page.evaluate("window.tbNotReloaded") is None
    wait_until(lambda: not page.evaluate(HAS_WAITING), "the new worker to take over")
    names = list(cache_contents(page))
    assert [n for n in names if old in n] == []
    assert f"tolbooth-shell-{new}" in names and f"tolbooth-pages-{new}" in names
    # The new version kept the person's pages too (it remembered the language).
    pages = cache_contents(page)[f"tolbooth-pages-{new}"]
    assert any(re.search(rf"/services/noise-complaint/{FIRST_PAGE.id}$", u) for u in pages)
    expect(page.locator(BANNER)).to_be_empty()


def test_update_waits_while_a_form_has_unsent_input(page: Page, base_url, monkeypatch):
    page.goto(f"{base_url}/services/noise-complaint/{FIRST_PAGE.id}")
    wait_for_pages(page, "en")
    field = page.locator("main form[method=post] :is(input, textarea):visible").first
    if field.get_attribute("type") in ("radio", "checkbox"):
        page.locator(f'label[for="{field.get_attribute("id")}"]').click()
    else:
        field.fill("Typed but not sent")
    old = cache_version(list(cache_contents(page)))
    serve_new_build(monkeypatch, old, "5f4e3d2c1b0a")
    page.evaluate(CHECK_FOR_UPDATE)
    # The page hears "installed" (and would offer it then) after it sees it waiting.
    wait_until(lambda: page.evaluate(HEARD_INSTALLED), "the page to hear it installed")
    expect(page.locator(BANNER)).to_be_empty()
    # The next page load, with nothing unsent, offers it.
    page.goto(f"{base_url}/services/noise-complaint")
    expect(page.locator(BANNER)).to_contain_text(READY)
