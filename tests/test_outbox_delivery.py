"""The outbox delivers what was queued offline exactly once, in real Chromium with the
real service worker, against the live server (its SQLite store is read to count)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from server.db import sync_slots, update_choices
from tests import queries

from .journey_answers import JPEG_1PX
from .outbox_helpers import (
    open_ready,
    outbox_items,
    request_count,
    stored_request,
    wait_for,
    wait_until_outbox_idle,
    walk_food_safety_offline,
)

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"MLC-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")
STATUS = "#tb-outbox-status [data-tb-outbox-live]"


def test_offline_submit_survives_reload_and_arrives_once_when_back_online(
        page: Page, base_url: str, live_server) -> None:
    store = live_server.app.state.store
    open_ready(page, base_url)
    page.context.set_offline(True)
    walk_food_safety_offline(page, base_url)
    page.locator("#send-request").click()
    expect(page.locator("h1")).to_have_text("Saved on this device")
    expect(page.locator("main")).to_contain_text(
        "It will be sent automatically when you are online.")
    receipt = page.locator("[data-tb-receipt]").inner_text()
    assert re.fullmatch(r"LOCAL-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", receipt)
    expect(page.locator(STATUS)).to_have_text("Requests waiting to send: 1")

    page.reload()
    expect(page.locator("[data-tb-receipt]")).to_have_text(receipt)
    [item] = outbox_items(page)
    assert item["state"] == "pending" and item["receipt"] == receipt
    assert stored_request(store, item["id"]) is None
    before = request_count(store)

    page.context.set_offline(False)
    stored = wait_for(lambda: stored_request(store, item["id"]), what="the request on the server")
    assert REFERENCE.fullmatch(stored.reference)
    # The contact page's updates question went with it: both ways, both details.
    assert (stored.contact_email, stored.contact_phone) == ("morag@example.org",
                                                            "+447912345678")
    assert store.read_sync(update_choices.choice_for, stored.id) == update_choices.Choice(
        True, True)
    expect(page.locator("[data-tb-receipt-sent]")).to_have_text(
        f"Sent: reference {stored.reference}")
    # The receipt no longer says it is waiting on this device (seen by hand: it did).
    expect(page.locator("main h1")).to_have_text("Request sent")
    expect(page).to_have_title(re.compile(r"^Request sent – "))
    expect(page.locator(STATUS)).to_have_text(f"Sent: reference {stored.reference}")
    assert outbox_items(page) == []
    wait_until_outbox_idle(page)  # any second sender (worker sync, pageshow) has had its go
    assert request_count(store) == before + 1
    assert stored.answers["business_name"] == "The Harbour Chip Shop"
    assert stored.answers["business_address"]["postcode"] == "KY10 3AQ"
    assert stored.contact_email == "morag@example.org"


def test_a_photo_chosen_offline_is_kept_as_a_blob_and_uploaded_after_the_record(
        page: Page, base_url: str, live_server) -> None:
    store = live_server.app.state.store
    open_ready(page, base_url)
    page.context.set_offline(True)
    walk_food_safety_offline(page, base_url, photo=True)
    expect(page.locator(".ds_summary-list__item", has_text="chicken.jpg")).to_have_count(1)
    page.locator("#send-request").click()
    expect(page.locator("[data-tb-receipt]")).to_have_count(1)
    kept = page.evaluate("""() => TolboothOutbox.listOutbox().then(([item]) => ({
        id: item.id, blob: item.attachments[0].blob instanceof Blob,
        size: item.attachments[0].blob.size, photos: item.payload.answers.photos,
        attachment: item.attachments[0].id}))""")
    assert kept["blob"] and kept["size"] == len(JPEG_1PX)
    assert kept["photos"] == [kept["attachment"]]

    page.context.set_offline(False)
    wait_for(lambda: stored_request(store, kept["id"]), what="the record")
    slot = wait_for(lambda: (s := store.read_sync(sync_slots.slot, kept["attachment"]))
                    and s.filled and s, what="the photo upload")
    assert slot.request_id == kept["id"] and slot.filename == "chicken.jpg"
    assert not store.read_sync(sync_slots.is_incomplete, kept["id"])
    [stored_file] = store.read_sync(queries.request_files, kept["id"])
    assert stored_file.id == kept["attachment"]
    sent = page.evaluate("() => TolboothOutbox.listSent()")
    [record] = [r for r in sent if r["id"] == kept["id"]]
    assert record["attachments"][0]["uploaded"] is True and record["attachments"][0]["blob"] is None
