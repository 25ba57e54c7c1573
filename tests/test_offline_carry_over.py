"""Losing signal mid-form (issue 15): the answers given online carry into the offline
journey, a banner says what happened, and the request goes once with them all."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.outbox_helpers import JOURNEY, continue_to, open_ready

pytestmark = pytest.mark.browser


def test_answers_given_online_carry_on_offline_with_a_banner(page: Page, base_url: str):
    open_ready(page, base_url)
    page.goto(f"{base_url}/services/{JOURNEY}/business")  # online: the server's pages
    expect(page.locator("main[data-tb-offline-copy]")).to_have_count(0)
    page.fill("#business_name", "The Harbour Chip Shop")
    page.fill("#business_address-line1", "2 White Hart Street")
    page.fill("#business_address-town", "Dalkeith")
    page.fill("#business_address-postcode", "eh22 1ae")
    continue_to(page, "what-happened")
    page.locator("input[name=problem_type]").first.check(force=True)
    continue_to(page, "visit-date")
    # The signal goes on the third page: its answer and the two before must all carry on.
    page.wait_for_function("""async () => {
        const db = await new Promise((ok) => { const r = indexedDB.open('tolbooth-outbox');
                                               r.onsuccess = () => ok(r.result); });
        const d = await new Promise((ok) => { const r = db.transaction('drafts')
            .objectStore('drafts').get('food-safety-complaint');
            r.onsuccess = () => ok(r.result); });
        return d && d.mirrored && d.answers.problem_type; }""")
    page.context.set_offline(True)
    page.fill("#visit_date-day", "3")
    page.fill("#visit_date-month", "11")
    page.fill("#visit_date-year", "2026")
    continue_to(page, "kept-food")
    expect(page.locator("main[data-tb-offline-copy]")).to_have_count(1)
    banner = page.locator("[data-tb-carried-over]")
    expect(banner).to_contain_text("nothing is lost")
    expect(banner).to_have_attribute("role", "status")
    page.goto(f"{base_url}/services/{JOURNEY}/business")  # back: the answers are there
    expect(page.locator("#business_name")).to_have_value("The Harbour Chip Shop")
    expect(page.locator("#business_address-town")).to_have_value("Dalkeith")
