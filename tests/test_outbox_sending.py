"""When the outbox sends: Background Sync with every page closed; without Background
Sync, on `online` and on the next page open; and after a failed push, later."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from server import i18n
from server.db.clock import parse_iso

from .outbox_helpers import (
    open_ready,
    outbox_items,
    queue_through_page,
    stored_request,
    valid_answers,
    wait_for,
    wait_for_outbox_script,
)

pytestmark = pytest.mark.browser

STATUS = "#tb-outbox-status [data-tb-outbox-live]"
NO_BACKGROUND_SYNC = """
    delete window.SyncManager;
    Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', { get: () => undefined });
"""


def queue_offline(page: Page) -> dict:
    page.context.set_offline(True)
    item = queue_through_page(page, valid_answers())
    registered = page.evaluate("""() => navigator.serviceWorker.ready.then((r) => r.sync
        ? r.sync.register('tolbooth-outbox').then(() => true) : false)""")
    return {**item, "background_sync": registered}


def test_background_sync_delivers_with_the_page_closed(
        context: BrowserContext, base_url: str, live_server) -> None:
    store = live_server.app.state.store
    page = context.new_page()
    open_ready(page, base_url)
    item = queue_offline(page)
    assert item["background_sync"] is True
    page.close()
    assert stored_request(store, item["id"]) is None
    context.set_offline(False)
    wait_for(lambda: stored_request(store, item["id"]), seconds=30,
             what="the worker's sync event to deliver")
    assert context.pages == []


def test_without_background_sync_it_sends_when_back_online(
        context: BrowserContext, base_url: str, live_server) -> None:
    context.add_init_script(NO_BACKGROUND_SYNC)
    store = live_server.app.state.store
    page = context.new_page()
    open_ready(page, base_url)
    item = queue_offline(page)
    assert item["background_sync"] is False
    expect(page.locator(STATUS)).to_have_text("Requests waiting to send: 1")
    # "Send now" offline says why nothing went (issue 15).
    page.get_by_role("button", name="Send now").click()
    expect(page.locator(STATUS)).to_have_text(
        "Requests waiting to send: 1 This device is offline. Your requests will be sent "
        "when it is back online.")
    # The outbox (the worker's copy) says when it was saved as the server writes dates.
    page.goto(base_url + "/outbox")
    queued_at = page.evaluate("() => TolboothOutbox.listOutbox().then(([i]) => i.queued_at)")
    saved = i18n.format_datetime(parse_iso(queued_at), "en")  # "2 Dec 2026, 17:13:51"
    expect(page.locator("[data-tb-outbox-list=waiting] dd").nth(1)).to_have_text(saved)
    context.set_offline(False)
    stored = wait_for(lambda: stored_request(store, item["id"]), what="delivery on online")
    expect(page.locator(STATUS)).to_have_text(f"Sent: reference {stored.reference}")


def test_without_background_sync_the_next_page_open_sends(
        context: BrowserContext, base_url: str, live_server) -> None:
    context.add_init_script(NO_BACKGROUND_SYNC)
    store = live_server.app.state.store
    page = context.new_page()
    open_ready(page, base_url)
    item = queue_offline(page)
    page.close()
    context.set_offline(False)
    # Nobody to send it yet: no page is open, and the worker has no sync tag to wake it.
    assert context.pages == []
    [worker] = context.service_workers
    assert worker.evaluate("self.registration.sync.getTags()") == []
    assert stored_request(store, item["id"]) is None
    page = context.new_page()
    page.goto(base_url + "/services")
    wait_for(lambda: stored_request(store, item["id"]), what="delivery on page open")
    wait_for_outbox_script(page)
    # Stored on the server a moment before the page records the answer.
    wait_for(lambda: outbox_items(page) == [], what="the outbox emptied", page=page)


def test_a_failed_push_keeps_the_item_and_sends_it_later(
        page: Page, base_url: str, live_server) -> None:
    store = live_server.app.state.store
    pushes: list[int] = []

    def first_push_fails(route: Route) -> None:
        pushes.append(1)
        if len(pushes) == 1:
            route.fulfill(status=500, body="{}", content_type="application/json")
        else:
            route.continue_()

    page.context.route("**/sync/v1/push", first_push_fails)
    open_ready(page, base_url)
    item = queue_through_page(page, valid_answers())
    page.evaluate("() => TolboothOutbox.sendNow()")
    wait_for(lambda: pushes, what="the first push", page=page)
    # Back to "pending" once the failed push's answer is handled ("sending" meanwhile).
    [kept] = wait_for(lambda: [i for i in outbox_items(page) if i["state"] == "pending"],
                      what="the item back in the queue", page=page)
    assert kept["id"] == item["id"]
    assert stored_request(store, item["id"]) is None
    expect(page.locator(STATUS)).to_have_text("Requests waiting to send: 1")
    page.get_by_role("button", name="Send now").click()
    stored = wait_for(lambda: stored_request(store, item["id"]), what="the later delivery",
                      page=page)
    expect(page.locator(STATUS)).to_have_text(f"Sent: reference {stored.reference}")
    assert len(pushes) == 2
