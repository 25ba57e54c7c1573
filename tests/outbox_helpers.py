"""What the outbox browser tests share: a page made ready for offline use by the real
service worker, the food safety journey walked through its offline pages, and reads of
the outbox (IndexedDB, through the page's own outbox script) and of the server's store."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from server.db import requests as requests_db
from server.forms.registry import FormRegistry
from server.forms.validate import clean_answers
from tests import queries

from .journey_answers import JPEG_1PX

JOURNEY = "food-safety-complaint"
FORMS = FormRegistry()

WORKER_READY = """async () => {
    const registration = await navigator.serviceWorker.ready;
    for (let i = 0; i < 600; i += 1) {
        const names = await caches.keys();
        for (const name of names.filter((n) => n.startsWith('tolbooth-pages-'))) {
            const cache = await caches.open(name);
            if (await cache.match('/services/food-safety-complaint/check', { ignoreSearch: true })
                && navigator.serviceWorker.controller) return registration.active.state;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the worker did not precache the journey pages');
}"""

# Online with nothing queued, the page does not load the outbox script: load it as
# loader.js would.
OUTBOX_LOADED = """async () => {
    if (!window.TolboothOutbox && !document.querySelector('script[data-test-outbox]')) {
        const script = document.createElement('script');
        script.src = document.getElementById('tb-outbox-status').dataset.tbOutboxScript;
        script.dataset.testOutbox = '';
        document.head.append(script);
    }
    for (let i = 0; i < 200 && !window.TolboothOutbox; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return window.TolboothOutbox.start().then(() => true);
}"""


def open_ready(page: Page, base_url: str, path: str = f"/services/{JOURNEY}") -> None:
    """Opens `path` online and waits until the worker controls it with the pages kept."""
    page.goto(base_url + path)
    page.evaluate(WORKER_READY)


def wait_for_outbox_script(page: Page) -> None:
    page.evaluate(OUTBOX_LOADED)


def outbox_items(page: Page) -> list[dict[str, Any]]:
    wait_for_outbox_script(page)
    return page.evaluate("""() => TolboothOutbox.listOutbox().then((items) => items.map((i) => ({
        id: i.id, state: i.state, receipt: i.receipt, mutation_id: i.mutation_id,
        errors: i.errors, reason: i.reason})))""")


def valid_answers(photos: list[str] | None = None) -> dict[str, Any]:
    journey = FORMS.latest(JOURNEY)
    raw = {"business_name": "The Harbour Chip Shop",
           "business_address": {"line1": "4 Shore Street", "town": "Anstruther",
                                "postcode": "KY10 3AQ"},
           "problem_type": journey.pages[1].questions[0].options[0].value,
           "visit_date": "2026-11-03",
           "kept_food": journey.pages[3].questions[0].options[0].value,
           "saw_doctor": "no", "details": "The chicken was pink inside.",
           "photos": photos or []}
    cleaned, errors = clean_answers(journey, raw)
    assert not errors, errors
    return cleaned


def queue_through_page(page: Page, answers: dict[str, Any]) -> dict[str, Any]:
    """Queues a submission with the page's own outbox code (as "Send" does)."""
    wait_for_outbox_script(page)
    return page.evaluate("""async (answers) => {
        const item = await TolboothOutbox.queueSubmission({
            id: crypto.randomUUID(), journey: 'food-safety-complaint', form_version: 1,
            answers, locale: 'en',
            contact: { name: 'Morag MacLeod', how: 'email', email: 'morag@example.org' },
        });
        await TolboothOutbox.refreshStatus();
        return { id: item.id, receipt: item.receipt, mutation_id: item.mutation_id };
    }""", answers)


def stored_request(store: Any, request_id: str) -> requests_db.StoredRequest | None:
    return store.read_sync(requests_db.by_id, request_id)


def request_count(store: Any) -> int:
    return store.read_sync(queries.request_count)


# Nothing is sending, or about to: no page or worker holds (or waits for) the outbox's lock
# (Web Locks are per origin, the worker's included), and the worker has no Background
# Sync tag left to fire.
OUTBOX_IDLE = """async () => {
    const { held, pending } = await navigator.locks.query();
    const busy = [...held, ...pending].some((lock) => lock.name === 'tolbooth-outbox');
    const registration = await navigator.serviceWorker.getRegistration();
    const tags = registration && registration.sync ? await registration.sync.getTags() : [];
    return !busy && tags.length === 0;
}"""


def wait_until_outbox_idle(page: Page) -> None:
    """Instead of waiting a second to "prove" no second sender sends again."""
    wait_for(lambda: page.evaluate(OUTBOX_IDLE), what="the outbox to be idle", page=page)


def wait_for(condition: Callable[[], Any], seconds: float = 20, what: str = "condition",
             page: Page | None = None) -> Any:
    """Polls `condition`. Pass `page` when a route handler must run meanwhile: Playwright's
    sync API only dispatches them while one of its calls is waiting."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if page is not None:
            page.wait_for_timeout(100)
        else:
            time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def continue_to(page: Page, path_end: str) -> None:
    page.locator("#continue").click()
    page.wait_for_url(f"**/services/{JOURNEY}/{path_end}")


def walk_food_safety_offline(page: Page, base_url: str, photo: bool = False) -> None:
    """Fills every page of the journey from the worker's copies (the context is offline)."""
    journey = FORMS.latest(JOURNEY)
    page.goto(f"{base_url}/services/{JOURNEY}/business")
    expect(page.locator("main[data-tb-offline-copy]")).to_have_count(1)
    page.fill("#business_name", "The Harbour Chip Shop")
    page.fill("#business_address-line1", "4 Shore Street")
    page.fill("#business_address-town", "Anstruther")
    page.fill("#business_address-postcode", "ky10 3aq")
    continue_to(page, "what-happened")
    page.locator("input[name=problem_type]").first.check(force=True)
    continue_to(page, "visit-date")
    page.fill("#visit_date-day", "3")
    page.fill("#visit_date-month", "11")
    page.fill("#visit_date-year", "2026")
    continue_to(page, "kept-food")
    page.locator("input[name=kept_food]").first.check(force=True)
    continue_to(page, "saw-doctor")
    page.locator("input[name=saw_doctor][value=no]").check(force=True)
    continue_to(page, "details")
    page.fill("#details", "The chicken was pink inside.")
    continue_to(page, "photos")
    if photo:
        page.set_input_files("#photos", files=[{"name": "chicken.jpg", "mimeType": "image/jpeg",
                                                "buffer": JPEG_1PX}])
    continue_to(page, "contact")
    page.fill("#name", "Morag MacLeod")
    page.locator("#how-email").check(force=True)
    # Updates by email and text: the phone question, revealed offline too, is asked.
    page.locator("#updates-both").check(force=True)
    expect(page.locator("#phone")).to_be_visible()
    page.fill("#email", "morag@example.org")
    page.fill("#phone", "07912 345678")
    continue_to(page, "check")
    expect(page.locator(".ds_summary-list__key", has_text=journey.pages[0].questions[0].label)
           ).to_have_count(1)
