"""A kiosk with the hub's connection down (issue 13): the submission is sealed before it
touches IndexedDB, the person gets a receipt with a local code and its QR code, nothing
they wrote is readable in any IndexedDB store, and when the network returns it is
delivered once, its receipt code standing in for the reference on the tracking page."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from server.auth.signed_links import make_sync_token
from server.db import sync_clients
from server.kiosk.device import KIOSK_COOKIE, kiosk_cookie_value
from tests import queries
from tests.outbox_helpers import open_ready, stored_request, walk_food_safety_offline

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"LOCAL-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")
# What the person wrote (walk_food_safety_offline): none of it may be readable on the kiosk.
WRITTEN = ("Morag MacLeod", "morag@example.org", "07912 345678", "+447912345678",
           "The chicken was pink inside", "Harbour Chip Shop", "Shore Street", "KY10 3AQ")

EVERY_RECORD = """async () => {
    const out = {};
    for (const { name } of await indexedDB.databases()) {
        const db = await new Promise((ok, no) => { const r = indexedDB.open(name);
            r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
        for (const store of db.objectStoreNames) {
            out[`${name}/${store}`] = await new Promise((ok) => {
                const r = db.transaction(store).objectStore(store).getAll();
                r.onsuccess = () => ok(JSON.stringify(r.result)); });
        }
        db.close();
    }
    return out;
}"""

ENROLLED = """async (device) => {
    const db = await new Promise((ok, no) => { const r = indexedDB.open('tolbooth-kiosk', 1);
        r.onupgradeneeded = () => { r.result.createObjectStore('device', { keyPath: 'key' });
                                    r.result.createObjectStore('sealed', { keyPath: 'id' }); };
        r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
    await new Promise((ok) => { const tx = db.transaction('device', 'readwrite');
        tx.objectStore('device').put({ key: 'client', ...device }); tx.oncomplete = ok; });
    db.close();
}"""


def enrol(page: Page, base_url: str, world) -> str:
    """A kiosk of the Dalkeith hub, as enrolment leaves it: its sync client, its cookie
    and its device record (enrolment itself is kc's test)."""
    client = world.store.write_sync(sync_clients.register, "kiosk", "test", None, None,
                                    "dalkeith")
    page.context.add_cookies([{"name": KIOSK_COOKIE, "url": base_url,
                               "value": kiosk_cookie_value(world.settings, client.id)}])
    open_ready(page, base_url)
    page.evaluate(ENROLLED, {"client_id": client.id, "hub_id": "dalkeith",
                             "hub_name": "Dalkeith Library",
                             "client_token": make_sync_token(world.settings.secret_key,
                                                             client.id, client.token_version)})
    return client.id


def test_offline_kiosk_submission_is_sealed_receipted_and_delivered_once(
        page: Page, base_url: str, live_world):
    world = live_world[0]
    client_id = enrol(page, base_url, world)
    before = world.store.read_sync(queries.request_count)
    page.context.set_offline(True)
    walk_food_safety_offline(page, base_url)
    page.locator("#send-request").click()
    page.wait_for_url("**/kiosk/receipt?code=*")
    code = page.locator("[data-tb-receipt-code]").inner_text()
    assert RECEIPT.fullmatch(code)
    expect(page.locator("[data-tb-receipt-qr] svg path")).to_have_count(1)
    expect(page.locator("[data-tb-receipt-url]")).to_have_text(
        f"{world.settings.origin}/track?reference={code}")
    expect(page.locator("[data-tb-receipt-status]")).to_contain_text("Saved on this kiosk")
    expect(page.locator("[data-tb-print]")).to_be_visible()

    records = page.evaluate(EVERY_RECORD)
    everything = json.dumps(records)
    assert [w for w in WRITTEN if w.lower() in everything.lower()] == []
    [item] = json.loads(records["tolbooth-kiosk/sealed"])
    assert set(item) == {"id", "receipt_code", "created_at", "queued_at", "state", "kid",
                         "epk", "iv", "ciphertext", "mutation_id", "form_version",
                         "payload_sha256"}
    assert item["receipt_code"] == code and item["state"] == "waiting"
    assert json.loads(records.get("tolbooth-outbox/outbox", "[]")) == []
    assert json.loads(records.get("tolbooth-outbox/drafts", "[]")) == []
    assert world.store.read_sync(queries.request_count) == before

    page.context.set_offline(False)  # the receipt page sends it when the network is back
    expect(page.locator("[data-tb-receipt-status]")).to_contain_text("Sent. Your reference is",
                                                                     timeout=20_000)
    made = stored_request(world.store, item["id"])
    assert made is not None and made.channel == "kiosk"
    assert made.contact_email == "morag@example.org"
    assert world.store.read_sync(queries.request_count) == before + 1
    expect(page.locator("[data-tb-receipt-status]")).to_contain_text(made.reference)
    alias = world.store.read_sync(lambda db: db.execute(
        "SELECT request_id FROM receipt_aliases WHERE receipt = ?", [code]).fetchone())
    assert alias == (item["id"],)
    # Opening the kiosk's outbox page (which sends what waits) sends nothing again.
    page.goto(f"{base_url}/kiosk/outbox")
    expect(page.locator("[data-tb-kiosk-outbox-rows] tr")).to_have_count(1)
    expect(page.locator("[data-tb-kiosk-outbox-rows]")).to_contain_text(code)
    assert world.store.read_sync(sync_clients.by_id, client_id).last_mutation_id == 1
    assert world.store.read_sync(queries.request_count) == before + 1
    # The sealed bytes are gone from the kiosk now the server has it.
    kept = json.loads(page.evaluate(EVERY_RECORD)["tolbooth-kiosk/sealed"])
    assert [set(k) & {"ciphertext", "epk", "iv"} for k in kept] == [set()]
    assert kept[0]["reference"] == made.reference


OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('main *')].filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
    }).map((el) => el.outerHTML.slice(0, 80));
    return { out, scroll: document.documentElement.scrollWidth, width };
}"""


@pytest.mark.parametrize("width", [302, 794], ids=["80mm-roll", "a4"])
def test_receipt_prints_whole_on_a_receipt_roll_and_on_a4(page: Page, base_url: str, width):
    from server.forms.references import new_reference
    reference = new_reference("MLC")
    page.set_viewport_size({"width": width, "height": 1000})
    page.emulate_media(media="print")
    page.goto(f"{base_url}/kiosk/receipt?code={reference}")
    expect(page.locator(".tb-receipt__code")).to_have_text(reference)
    expect(page.locator("svg.tb-receipt__qr")).to_be_visible()
    expect(page.locator(".tb-print-button")).to_be_hidden()
    found = page.evaluate(OVERFLOW)
    assert found["out"] == [] and found["scroll"] <= found["width"], found
    qr = page.locator("svg.tb-receipt__qr").bounding_box()
    assert qr is not None and qr["width"] >= 140  # about 40 mm: scannable from paper
