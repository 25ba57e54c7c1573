"""A shared browser, issue 10, in Chromium: after sending online, the copy of the draft
kept in IndexedDB (answers and contact details, for losing signal mid-form) goes too, so
the next person here, offline, does not open the journey on the last person's details."""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.journey_answers import CONTACT, page_fields
from tests.outbox_helpers import FORMS
from tests.support import csrf

pytestmark = pytest.mark.browser

SLUG = "pest-control"
DRAFT = """async (slug) => {
    const db = await new Promise((ok) => { const r = indexedDB.open('tolbooth-outbox');
                                           r.onsuccess = () => ok(r.result); });
    const d = await new Promise((ok) => { const r = db.transaction('drafts')
        .objectStore('drafts').get(slug); r.onsuccess = () => ok(r.result); });
    return d ? JSON.stringify(d) : null; }"""


def answer_through(page: Page, base_url: str) -> None:
    """Answer every page with the browser's own cookie, up to check your answers."""
    journey = FORMS.latest(SLUG)
    chosen: dict = {}
    url = f"{base_url}/services/{SLUG}/{journey.pages[0].id}"
    while not url.split("?")[0].endswith("/check"):
        page_id = url.split("?")[0].rsplit("/", 1)[1]
        data = dict(CONTACT) if page_id == "contact" else page_fields(
            next(p for p in journey.pages if p.id == page_id), chosen)
        token = csrf(page.context.request.get(url).text())
        r = page.context.request.post(
            url, data=urlencode({**data, "csrf_token": token}, doseq=True), max_redirects=0,
            headers={"Origin": base_url, "Content-Type": "application/x-www-form-urlencoded"})
        assert r.status == 303, r.text()[:500]
        url = base_url + r.headers["location"]


def test_sending_online_forgets_the_draft_kept_in_the_browser(page: Page, base_url: str):
    answer_through(page, base_url)
    page.goto(f"{base_url}/services/{SLUG}/contact")  # online: the draft is mirrored
    deadline = time.monotonic() + 10
    while CONTACT["email"] not in (page.evaluate(DRAFT, SLUG) or ""):
        assert time.monotonic() < deadline, "the draft was not mirrored"
        time.sleep(0.05)
    page.goto(f"{base_url}/services/{SLUG}/check")
    page.click("#send-request")
    expect(page.locator("h1")).to_have_text(re.compile("Request sent"))
    deadline = time.monotonic() + 10
    while page.evaluate(DRAFT, SLUG) is not None:
        assert time.monotonic() < deadline, "the sent draft is still in IndexedDB"
        time.sleep(0.05)
