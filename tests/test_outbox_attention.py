"""What needs attention, what was sent and what the status says, on /outbox and on the
offline pages: the server's reason, a way to fix and resend, and no axe violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .axe import assert_accessible, assert_accessible_without_scripts
from .outbox_helpers import (
    JOURNEY,
    open_ready,
    outbox_items,
    queue_through_page,
    stored_request,
    valid_answers,
    wait_for,
)

pytestmark = pytest.mark.browser

STATUS = "#tb-outbox-status [data-tb-outbox-live]"


def test_a_rejected_request_needs_attention_and_can_be_fixed_and_resent(
        page: Page, base_url: str, live_server) -> None:
    store = live_server.app.state.store
    open_ready(page, base_url)
    answers = valid_answers()
    answers["details"] = None  # required: the server rejects it
    item = queue_through_page(page, answers)
    page.evaluate("() => TolboothOutbox.sendNow()")
    wait_for(lambda: outbox_items(page)[0]["state"] == "attention", what="the rejection")
    [rejected] = outbox_items(page)
    assert rejected["reason"] == "rejected"
    assert [e["field"] for e in rejected["errors"]] == ["details"]
    expect(page.locator(STATUS)).to_have_text("Requests that need your attention: 1")

    page.goto(base_url + "/outbox")
    attention = page.locator("[data-tb-outbox-list=attention] li.tb-outbox-item")
    expect(attention).to_have_count(1)
    expect(attention).to_contain_text(item["receipt"])
    expect(attention).to_contain_text(rejected["errors"][0]["message"])
    assert_accessible(page)
    attention.get_by_role("button", name="Change your answers and send again").click()

    # The answers reopen in the journey's pages, at the one to fix.
    page.wait_for_url(re.compile(rf"/services/{JOURNEY}/details\?change=1$"))
    page.fill("#details", "The chicken was pink inside.")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(rf"/services/{JOURNEY}/check$"))
    page.locator("#send-request").click()
    stored = wait_for(lambda: stored_request(store, item["id"]), what="the fixed request")
    assert stored.answers["details"] == "The chicken was pink inside."
    expect(page.locator("[data-tb-receipt]")).to_have_text(item["receipt"])
    expect(page.locator("[data-tb-receipt-sent]")).to_have_text(
        f"Sent: reference {stored.reference}")
    assert outbox_items(page) == []
    page.goto(base_url + "/outbox")
    sent = page.locator("[data-tb-outbox-list=sent] li", has_text=stored.reference)
    expect(sent).to_have_count(1)
    expect(sent.get_by_role("link", name="Track this request")).to_have_attribute("href", "/track")


def test_offline_question_page_shows_errors_like_the_server(page: Page, base_url: str) -> None:
    open_ready(page, base_url)
    page.context.set_offline(True)
    page.goto(f"{base_url}/services/{JOURNEY}/business")
    expect(page.locator("main[data-tb-offline-copy]")).to_have_count(1)
    page.locator("#continue").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    assert page.title().startswith("Error: ")
    first = summary.get_by_role("link").first
    target = first.get_attribute("href")
    assert target == "#business_name"
    expect(page.locator("#business_name")).to_have_attribute("aria-invalid", "true")
    described = page.locator("#business_name").get_attribute("aria-describedby") or ""
    assert "business_name-error" in described.split()
    expect(page.locator("#business_name-error")).to_contain_text("Error:")
    assert page.url.endswith("/business")  # not sent anywhere
    assert_accessible(page)
    first.click()
    expect(page.locator("#business_name")).to_be_focused()


def test_outbox_page_without_javascript_says_what_it_needs(browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/outbox")
    expect(page.locator("h1")).to_have_text("Requests saved on this device")
    expect(page.locator("main")).to_contain_text("It needs JavaScript")
    context.close()
    assert_accessible_without_scripts(browser, base_url + "/outbox")
