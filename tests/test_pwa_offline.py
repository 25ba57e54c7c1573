"""The service worker in real Chromium: it installs and keeps the app shell and every
service's form pages in the person's language; offline, those pages open from it (and
anything else gets the offline page); online, pages come from the network; personal
pages never reach a cache."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from starlette.testclient import TestClient

from server.forms.registry import FormRegistry
from server.i18n import Gettext
from server.offline.pages import MARKER
from tests.axe import assert_accessible
from tests.passkey_authenticator import make_request, resident, sign_in_with_new_passkey
from tests.pwa_worker import cache_contents, cached_html, wait_for_control, wait_for_pages

pytestmark = pytest.mark.browser

JOURNEY = FormRegistry().latest("noise-complaint")
PERSONAL = re.compile(r"^/(track|account|staff|admin|sign-in|enrol|auth|sync)\b|/done$")


def page_heading(page_id: str, code: str) -> str:
    page = next(p for p in JOURNEY.pages if p.id == page_id)
    return Gettext(code).gettext(page.title or page.questions[0].label)


def test_worker_installs_and_keeps_the_app_shell_and_form_pages(page: Page, base_url):
    page.goto(f"{base_url}/")
    wait_for_pages(page, "en")
    kept = cache_contents(page)
    shell = next(urls for name, urls in kept.items() if name.startswith("tolbooth-shell-"))
    pages = next(urls for name, urls in kept.items() if name.startswith("tolbooth-pages-"))
    paths = {re.sub(r"^https?://[^/]+", "", url) for url in shell + pages}
    for asset in ("/static/build/tolbooth.css?v=", "/static/build/tolbooth.js?v=",
                  "/static/vendor/htmx.min.js?v=", "/static/icons/icon-192.png?v="):
        assert any(p.startswith(asset) for p in paths), asset
    assert "/app/copies/en/offline" in paths
    for page_def in JOURNEY.pages:
        assert f"/services/noise-complaint/{page_def.id}" in paths
    assert {"/services/noise-complaint", "/services/noise-complaint/contact",
            "/services/noise-complaint/check", "/forms/noise-complaint/v1.en.json"} <= paths


def test_question_pages_open_offline_in_the_persons_language(page: Page, base_url):
    page.goto(f"{base_url}/language/gd?next=/services/noise-complaint")
    wait_for_pages(page, "gd")
    page.context.set_offline(True)
    for page_def in JOURNEY.pages[:3]:
        response = page.goto(f"{base_url}/services/noise-complaint/{page_def.id}")
        assert response is not None and response.from_service_worker
        assert page.locator(f"main[{MARKER}]").count() == 1
        assert page.evaluate("document.documentElement.lang") == "gd"
        expect(page.locator("main")).to_contain_text(page_heading(page_def.id, "gd"))
    # ?change=1 (from check your answers) finds the same kept page.
    page.goto(f"{base_url}/services/noise-complaint/{JOURNEY.pages[0].id}?change=1")
    assert page.locator(f"main[{MARKER}]").count() == 1


def test_a_new_language_keeps_the_pages_again_in_that_language(page: Page, base_url):
    page.goto(f"{base_url}/services")
    wait_for_pages(page, "en")
    page.goto(f"{base_url}/language/pl?next=/services")
    wait_for_pages(page, "pl")
    page.context.set_offline(True)
    first = JOURNEY.pages[0].id
    page.goto(f"{base_url}/services/noise-complaint/{first}")
    assert page.evaluate("document.documentElement.lang") == "pl"
    expect(page.locator("main")).to_contain_text(page_heading(first, "pl"))


def test_pages_come_from_the_network_while_online(page: Page, base_url):
    first = JOURNEY.pages[0].id
    page.goto(f"{base_url}/services/noise-complaint")
    wait_for_pages(page, "en")
    response = page.goto(f"{base_url}/services/noise-complaint/{first}")
    assert response is not None
    # The live page: the person's own session token, no offline-copy marker.
    assert page.locator(f"main[{MARKER}]").count() == 0
    assert page.locator('input[name="csrf_token"]').first.get_attribute("value")
    page.context.set_offline(True)
    page.reload()
    assert page.locator(f"main[{MARKER}]").count() == 1
    assert page.locator('input[name="csrf_token"]').first.get_attribute("value") == ""


def test_offline_page_for_what_was_not_kept_has_no_axe_violations(page: Page, base_url):
    page.goto(f"{base_url}/language/ar?next=/")
    wait_for_pages(page, "ar")
    page.context.set_offline(True)
    page.goto(f"{base_url}/track")
    expect(page.locator("h1")).to_have_text(Gettext("ar").gettext("You are offline"))
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert_accessible(page)


def test_kept_question_page_offline_has_no_axe_violations(page: Page, base_url):
    page.goto(f"{base_url}/services/noise-complaint")
    wait_for_pages(page, "en")
    page.context.set_offline(True)
    page.goto(f"{base_url}/services/noise-complaint/{JOURNEY.pages[0].id}")
    assert page.locator(f"main[{MARKER}]").count() == 1
    assert_accessible(page)


def test_personal_pages_never_reach_a_cache(page: Page, base_url, live_server):
    store = live_server.app.state.store
    email = "pwa.resident@example.com"
    person = resident(store, email)
    request_id = make_request(store, "environmental-health", email)
    client = TestClient(live_server.app, base_url=base_url)
    sign_in_with_new_passkey(client, store, base_url, "resident", person)
    page.context.add_cookies([{"name": name, "value": value, "url": base_url}
                              for name, value in client.cookies.items()])

    page.goto(f"{base_url}/account")
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    wait_for_pages(page, "en")
    for path in ("/account/requests", f"/account/requests/{request_id}", "/track",
                 "/account", "/services/noise-complaint"):
        page.goto(f"{base_url}{path}")
    page.goto(f"{base_url}/services")  # one more load, one more precache message
    wait_for_control(page)

    kept = [re.sub(r"^https?://[^/]+", "", url)
            for urls in cache_contents(page).values() for url in urls]
    assert kept, "nothing was cached at all: this test would prove nothing"
    assert [url for url in kept if PERSONAL.search(url)] == []
    for url, html in cached_html(page).items():
        assert "Sign out" not in html, url  # what only a signed-in person's pages show
        assert request_id not in html and email not in html, url
