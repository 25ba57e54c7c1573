"""The field app in real Chromium against a real server (issue 14): a field worker sets
up the device, downloads their cases (stored encrypted: no plaintext in IndexedDB),
works offline (visit, note with a photo, a case change; reloads offline), and a revoked
device loses its cases but keeps its unsent work."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from server.db import sync_clients
from tests.axe import assert_accessible
from tests.field_app_support import (
    BREAK_ITEM,
    DEVICE_TEXT,
    add_cases,
    add_field_worker,
    jpeg,
    set_up_and_download,
    sign_in_as,
    signed_in_page,
)
from tests.pwa_worker import cache_contents, wait_for_control, wait_until
from tests.support import live_app

pytestmark = pytest.mark.browser

THUMBNAIL = base64.b64encode(jpeg()).decode()
CASES = [
    {"id": "ca5e0000-0000-4000-8000-00000000000a", "fields": {
        "reference": "MLC-FLD-A001", "address": "4 Eskbank Road, Dalkeith EH22 3BX",
        "summary": "Rats under the decking", "risk_level": "low", "next_visit_on": "2026-12-20",
        "access_notes": None, "hazards": None, "contact_phone": None,
        "follow_up_needed": False},
     "items": [{"kind": "event", "id": "e0000000-0000-4000-8000-0000000000e1",
                "data": {"at": "2026-11-30T09:00:00Z", "type": "created",
                         "text": "Request received"}},
               {"kind": "note", "id": "a0000000-0000-4000-8000-0000000000a1",
                "data": {"text": "Bins overflowing at the back", "at": "2026-12-01T10:00:00Z",
                         "by": "Morag Fraser", "late": False,
                         "photos": ["b0000000-0000-4000-8000-0000000000b1"]}},
               {"kind": "photo", "id": "b0000000-0000-4000-8000-0000000000b1",
                "data": {"parent": {"kind": "note", "id": "a0000000-0000-4000-8000-0000000000a1"},
                         "media_type": "image/jpeg", "width": 64, "height": 48,
                         "sha256": "0" * 64, "thumbnail": THUMBNAIL}},
               {"kind": "conflict", "id": "c0000000-0000-4000-8000-0000000000c1",
                "data": {"field": "hazards", "base": None, "server": "Dog in the garden",
                         "client": "Broken glass", "base_version": 1, "by": "Morag Fraser",
                         "client_id": "elsewhere", "late": False, "status": "open",
                         "resolution": None}}]},
    {"id": "ca5e0000-0000-4000-8000-00000000000b", "fields": {
        "reference": "MLC-FLD-B002", "address": "12 Main Street, Penicuik EH26 8AB",
        "summary": "Damp and mould in the bedroom", "risk_level": "medium",
        "next_visit_on": "2026-12-05", "access_notes": None, "hazards": None,
        "contact_phone": None, "follow_up_needed": False}},
    {"id": "ca5e0000-0000-4000-8000-00000000000c", "fields": {
        "reference": "MLC-FLD-C003", "address": "7 Polton Road, Bonnyrigg EH19 2BB",
        "summary": "Noise from the workshop at night", "risk_level": "high",
        "next_visit_on": None, "access_notes": None, "hazards": None,
        "contact_phone": None, "follow_up_needed": False}},
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with live_app(tmp_path_factory.mktemp("field") / "data",
                  TOLBOOTH_SYNC_REGISTRATIONS_PER_ADDRESS_HOUR="1000") as (built, server):
        yield {"url": server.url, "built": built}


def worker(site: dict[str, Any], key: str, cases: list[dict[str, Any]]) -> str:
    """A field worker of their own with copies of `cases` (new ids) assigned to them."""
    name = f"Rhona {key.title()}"
    store = site["built"].store
    person = store.write_sync(add_field_worker, f"{key}@field.test", name)
    # Ids of their own (`key` is hex, so they stay UUIDs), references to them included.
    mine = []
    for case in cases:
        text = json.dumps(case)
        for old in [case["id"], *(i["id"] for i in case.get("items", []))]:
            text = text.replace(old, key + old[3:])
        text = text.replace(case["fields"]["reference"],
                            case["fields"]["reference"] + key[:2].upper())
        mine.append(json.loads(text))
    store.write_sync(add_cases, name, person, mine)
    return person


def arrived(site: dict[str, Any], case_id: str) -> dict[str, Any]:
    """What the server holds of the device's work on the case."""
    def read(db: Any) -> dict[str, Any]:
        kinds = dict(db.execute("SELECT kind, count(*) FROM case_items WHERE case_id = ?"
                                " GROUP BY kind", [case_id]).fetchall())
        risk = db.execute("SELECT value FROM case_fields WHERE case_id = ? AND name ="
                          " 'risk_level'", [case_id]).fetchone()[0]
        photos = db.execute("SELECT count(*) FROM attachments WHERE request_id = ?",
                            [case_id]).fetchone()[0]
        return {"visit": kinds.get("visit", 0), "note": kinds.get("note", 0),
                "risk_level": json.loads(risk), "photos": photos}
    return dict(site["built"].store.read_sync(read))


def save_note(page: Page, text: str) -> Any:
    """Types a note on the open case and saves it; the note form."""
    note = page.locator('form[data-tb-field-form="note"]')
    note.get_by_label("Note", exact=True).fill(text)
    note.get_by_role("button", name="Save the note").click()
    return note


def revoke_device(site: dict[str, Any], person: str) -> None:
    """An admin revokes the person's field device (on the server, at once)."""
    store = site["built"].store
    client_id = store.read_sync(lambda db: db.execute(
        "SELECT id FROM sync_clients WHERE kind = 'field' AND registered_by = ?",
        [f"staff:{person}"]).fetchone()[0])
    assert store.write_sync(sync_clients.revoke, client_id)


def test_a_field_device_downloads_encrypted_and_works_offline(site, browser: Browser):
    url = site["url"]
    person = worker(site, "aaa", CASES)
    page = signed_in_page(browser, url, site["built"].store, person)
    try:
        set_up_and_download(page, url, 3)
        expect(page.get_by_text("This device is set up for Rhona Aaa.")).to_be_visible()
        # Sorted by next visit (none planned last), then by area (postcode district).
        refs = page.locator("[data-tb-field-cases] .tb-field__ref")
        expect(refs).to_have_text(["MLC-FLD-B002AA", "MLC-FLD-A001AA", "MLC-FLD-C003AA"])
        page.get_by_label("Sort cases by").select_option("area")
        expect(refs).to_have_text(["MLC-FLD-C003AA", "MLC-FLD-A001AA", "MLC-FLD-B002AA"])

        held = page.evaluate(DEVICE_TEXT)
        assert len(held["rows"]) == 7  # three cases; an event, note, photo, conflict on one
        everything = " ".join(" ".join(rows) for rows in held.values())
        for case in CASES:
            assert case["fields"]["address"] not in everything
            assert case["fields"]["summary"] not in everything
        assert "Request received" not in everything and "Dog in the garden" not in everything
        assert "CryptoKey(false)" in everything  # the key cannot be exported

        # The worker keeps the app: it opens with the network off.
        wait_for_control(page)
        wait_until(lambda: any(u == f"{url}/field" for urls in cache_contents(page).values()
                               for u in urls), "the field app to be kept")
        page.context.set_offline(True)
        page.reload()
        page.get_by_role("link", name="MLC-FLD-A001AA").click()
        expect(page.get_by_role("heading", name="MLC-FLD-A001AA")).to_be_focused()
        expect(page.locator("[data-tb-field-timeline]")).to_contain_text("Request received")
        timeline = page.locator("[data-tb-field-timeline]")
        expect(timeline.get_by_role("img", name="Photo")).to_have_count(1)
        conflict = page.locator('[data-tb-field-conflict="hazards"]')
        expect(conflict).to_contain_text("changed on another device and in the office")
        expect(conflict).to_contain_text("Broken glass")  # theirs, the office's, the base
        expect(conflict).to_contain_text("Dog in the garden")
        assert_accessible(page)

        visit = page.locator('form[data-tb-field-form="visit"]')
        visit.get_by_role("button", name="Save the visit").click()
        expect(visit.get_by_role("alert")).to_contain_text("Enter what you found")
        visit.get_by_label("Date and time of the visit").fill("2026-12-03T09:30")
        visit.get_by_label("Who was seen").fill("The tenant")
        visit.get_by_label("Findings").fill("Droppings by the back door; bait laid")
        visit.get_by_text("Follow-up visit needed").click()
        visit.get_by_label("Photos (optional)").set_input_files(
            [{"name": "door.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
        visit.get_by_role("button", name="Save the visit").click()
        status = page.locator("[data-tb-field-status]")
        expect(status).to_contain_text("Waiting to send: 1")

        save_note(page, "Neighbour says the rats come from the burn")
        expect(status).to_contain_text("Waiting to send: 2")

        edit = page.locator('form[data-tb-field-form="edit"]')
        # A status the worker cannot set (received) is shown as it is, not offered.
        expect(edit.get_by_label("Status")).to_have_value("received")
        expect(edit.locator("option[data-tb-field-status-current]")).to_have_text("Received")
        expect(edit.locator("option[data-tb-field-status-current]")).to_be_disabled()
        edit.get_by_label("Risk level").select_option("high")
        edit.get_by_role("button", name="Save the changes").click()
        expect(status).to_contain_text("Waiting to send: 3")
        # The change shows on the case, tagged, and the form starts from it, until sent.
        facts = page.locator("[data-tb-field-facts]")
        expect(facts.locator('[data-tb-field-pending="risk_level"]')).to_have_text(
            "Waiting to send")
        expect(facts.locator("dd").filter(has=page.locator('[data-tb-field-pending]'))
               ).to_contain_text("High")
        expect(edit.get_by_label("Risk level")).to_have_value("high")

        page.set_viewport_size({"width": 320, "height": 640})
        page.reload()
        expect(status).to_contain_text("Waiting to send: 3")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)
        expect(page.locator("[data-tb-field-waiting] li")).to_have_count(3)
        everything = " ".join(" ".join(rows) for rows in page.evaluate(DEVICE_TEXT).values())
        assert "bait laid" not in everything and "the burn" not in everything

        # Back online, but nothing gets through yet: signing out is refused.
        page.context.route("**/sync/v1/push", lambda route: route.abort())
        page.context.set_offline(False)
        page.reload()  # the live page: signed in, with its sign-out form
        page.get_by_role("button", name="Sign out of this device").click()
        refusal = page.get_by_role("alert").filter(has_text="You cannot sign out yet")
        expect(refusal).to_contain_text("3 pieces of work have not been sent")
        send_now = page.get_by_role("button", name="Send now")
        expect(send_now).to_be_focused()
        assert page.url.startswith(f"{url}/field")
        page.context.unroute("**/sync/v1/push")
        send_now.click()
        expect(status).to_contain_text("Waiting to send: 0 · Needs attention: 0")
        expect(page.locator("[data-tb-field-pending]")).to_have_count(0)  # sent: no tag
        case_id = "aaa" + CASES[0]["id"][3:]
        # One visit, one note besides the one pulled, the change, the visit's photo.
        assert arrived(site, case_id) == {"visit": 1, "note": 2, "risk_level": "high",
                                          "photos": 1}
        page.get_by_role("button", name="Sync now").click()
        expect(status).not_to_contain_text("Syncing")
        assert arrived(site, case_id)["visit"] == 1  # once, however often it syncs

        # With nothing waiting, signing out goes ahead and takes the cases with it.
        page.get_by_role("button", name="Sign out of this device").click()
        page.wait_for_url(lambda u: "/field" not in u)
        held = page.evaluate(DEVICE_TEXT)
        assert held["rows"] == [] and held["outbox"] == []

    finally:
        page.context.close()


def test_a_revoked_device_loses_its_cases_and_keeps_unsent_work(site, browser: Browser):
    url = site["url"]
    person = worker(site, "bbb", CASES[:2])
    page = signed_in_page(browser, url, site["built"].store, person)
    try:
        set_up_and_download(page, url, 2)
        # Unsent work, kept from the server (the push never arrives) while it is revoked.
        page.context.route("**/sync/v1/push", lambda route: route.abort())
        page.get_by_role("link", name="MLC-FLD-A001BB").click()
        save_note(page, "Gate padlocked, left a card")
        expect(page.locator("[data-tb-field-status]")).to_contain_text("Waiting to send: 1")

        revoke_device(site, person)
        page.context.unroute("**/sync/v1/push")
        # Pressed at once: a sync still running (the page's or the worker's Background
        # Sync, both started by saving the note) must not swallow the press.
        page.get_by_role("button", name="Sync now").click()
        expect(page.locator("[data-tb-field-alert]")).to_contain_text(
            "This device was removed from the service", timeout=15_000)
        held = page.evaluate(DEVICE_TEXT)
        assert held["rows"] == [] and len(held["outbox"]) == 1
        expect(page.locator("[data-tb-field-quarantined] li")).to_contain_text(
            "The device was removed from the service")
        # Said for as long as it is true, whichever sync found out: after a reload too.
        page.reload()
        expect(page.locator("[data-tb-field-alert]")).to_contain_text(
            "This device was removed from the service")
        # Put back in the queue before the device is set up again (nothing to send it
        # with yet), then set up (a new client replacing the revoked one): setting up
        # sends what waits, and it arrives once.
        page.get_by_role("button", name="Put back in the queue").click()
        status = page.locator("[data-tb-field-status]")
        expect(status).to_contain_text("Waiting to send: 1 · Needs attention: 0")
        page.get_by_role("button", name="Set up this device").click()
        expect(status).to_contain_text("Waiting to send: 0 · Needs attention: 0",
                                       timeout=15_000)  # a first download again, then the push
        notes = site["built"].store.read_sync(lambda db: db.execute(
            "SELECT count(*) FROM case_items WHERE kind = 'note' AND case_id = ?",
            ["bbb" + CASES[0]["id"][3:]]).fetchone()[0])
        assert notes == 2  # the one pulled and the worker's
    finally:
        page.context.close()


def test_a_broken_item_is_quarantined_and_does_not_block_the_others(site, browser: Browser):
    url = site["url"]
    person = worker(site, "ccc", CASES[:1])
    page = signed_in_page(browser, url, site["built"].store, person)
    try:
        set_up_and_download(page, url, 1)
        page.context.set_offline(True)
        page.get_by_role("link", name="MLC-FLD-A001CC").click()
        # Each save is said again in the live region, even in the same words.
        page.evaluate("""() => { window.tbSaid = 0;
            new MutationObserver(() => { window.tbSaid += 1; })
            .observe(document.querySelector('[data-tb-field-progress]'),
                     { childList: true, characterData: true, subtree: true }); }""")
        note = page.locator('form[data-tb-field-form="note"]')
        for text in ("First note, damaged on the device", "Second note, fine"):
            note.get_by_label("Note", exact=True).fill(text)
            note.get_by_role("button", name="Save the note").click()
        # A third whose photo the server will refuse (not an image), after the note.
        note.get_by_label("Note", exact=True).fill("Third note, with a bad photo")
        note.get_by_label("Photos (optional)").set_input_files(
            [{"name": "fake.jpg", "mimeType": "image/jpeg", "buffer": b"not an image at all"}])
        note.get_by_role("button", name="Save the note").click()
        status = page.locator("[data-tb-field-status]")
        expect(status).to_contain_text("Waiting to send: 3")
        assert page.evaluate("window.tbSaid") >= 3
        broken = page.evaluate(BREAK_ITEM)

        page.context.set_offline(False)
        page.get_by_role("button", name="Sync now").click()
        expect(status).to_contain_text("Waiting to send: 0 · Needs attention: 2",
                                       timeout=15_000)
        held = page.locator("[data-tb-field-quarantined] li")
        expect(held.filter(has_text="It could not be read on this device")).to_have_count(1)
        expect(held.filter(has_text="A photo could not be uploaded")).to_have_count(1)
        texts = site["built"].store.read_sync(lambda db: [
            json.loads(r[0])["text"] for r in db.execute(
                "SELECT data FROM case_items WHERE kind = 'note' AND case_id = ?",
                ["ccc" + CASES[0]["id"][3:]]).fetchall()])
        assert sorted(texts) == ["Bins overflowing at the back",  # pulled, not the device's
                                 "Second note, fine", "Third note, with a bad photo"]

        # Put back in the queue (offline, so it waits there): never deleted. A sync asked
        # for while the last one ran (online, then Sync now) may still be going: let it end.
        page.context.set_offline(True)
        expect(page.locator("[data-tb-field-syncing]")).to_have_count(0)
        page.locator(f'[data-tb-field-requeue="{broken}"]').click()
        expect(status).to_contain_text("Waiting to send: 1 · Needs attention: 1")
        waiting = page.locator(f'[data-tb-field-waiting] [data-tb-field-item="{broken}"]')
        expect(waiting).to_be_visible()
    finally:
        page.context.close()


# Holds the field outbox store in a readwrite transaction (kept alive by a chain of
# requests) until window.tbRelease() is called: a save has to wait for it.
HOLD_OUTBOX = """() => new Promise((started) => {
    const opening = indexedDB.open('tolbooth-field');
    opening.onsuccess = () => {
        const tx = opening.result.transaction(['outbox'], 'readwrite');
        const store = tx.objectStore('outbox');
        let held = true;
        window.tbRelease = () => { held = false; };
        const spin = () => { if (held) store.count().onsuccess = spin; };
        spin();
        started(true);
    };
})"""


def test_what_is_typed_while_a_note_saves_is_kept(site, browser: Browser):
    url = site["url"]
    person = worker(site, "abc", CASES[:1])
    page = signed_in_page(browser, url, site["built"].store, person)
    try:
        set_up_and_download(page, url, 1)
        page.context.set_offline(True)
        page.get_by_role("link", name="MLC-FLD-A001AB").click()
        page.evaluate(HOLD_OUTBOX)
        note = page.locator('form[data-tb-field-form="note"]')
        text = note.get_by_label("Note", exact=True)
        text.fill("First note, saving slowly")
        note.get_by_role("button", name="Save the note").click()
        text.fill("Second note, typed while the first saves")
        page.evaluate("window.tbRelease()")
        expect(page.locator("[data-tb-field-status]")).to_contain_text("Waiting to send: 1")
        expect(text).to_have_value("Second note, typed while the first saves")
    finally:
        page.context.close()


def test_a_note_the_device_cannot_save_stays_in_the_form_with_a_reason(site, browser: Browser):
    url = site["url"]
    person = worker(site, "bcd", CASES[:1])
    page = signed_in_page(browser, url, site["built"].store, person)
    try:
        set_up_and_download(page, url, 1)
        page.get_by_role("link", name="MLC-FLD-A001BC").click()
        # The device's storage refuses the write (as a full disk would).
        page.evaluate("""() => {
            const put = IDBObjectStore.prototype.put;
            IDBObjectStore.prototype.put = function (...args) {
                if (this.name === 'outbox') throw new DOMException('full', 'QuotaExceededError');
                return put.apply(this, args);
            };
        }""")
        note = save_note(page, "Meter cupboard locked")
        summary = note.locator(".ds_error-summary")
        expect(summary).to_contain_text("This could not be saved on the device")
        expect(summary).to_be_focused()
        expect(note.get_by_label("Note", exact=True)).to_have_value("Meter cupboard locked")
        expect(page.locator("[data-tb-field-status]")).to_contain_text("Waiting to send: 0")
    finally:
        page.context.close()


def test_sync_now_pressed_during_a_sync_runs_again_after_it(site, browser: Browser):
    url = site["url"]
    person = worker(site, "fff", CASES[:1])
    page = signed_in_page(browser, url, site["built"].store, person)
    try:
        set_up_and_download(page, url, 1)
        held: list[Any] = []

        def hold_the_first(route: Any) -> None:  # the first pull is answered below, by hand
            if held:
                route.continue_()
            else:
                held.append(route)

        page.context.route("**/sync/v1/pull*", hold_the_first)
        page.get_by_role("button", name="Sync now").click()
        for _ in range(150):
            if held:
                break
            page.wait_for_timeout(100)
        assert held, "the sync never asked for its pull"
        revoke_device(site, person)
        # Pressed while the first sync waits: it cannot know of the revocation, so the
        # press is kept and run after it.
        page.get_by_role("button", name="Sync now").click()
        held[0].fulfill(status=503, content_type="application/json",
                        body='{"error": "busy", "message": "Try again later"}')
        expect(page.locator("[data-tb-field-alert]")).to_contain_text(
            "This device was removed from the service", timeout=15_000)
        expect(page.locator("[data-tb-field-status]")).not_to_contain_text("Syncing")
    finally:
        page.context.close()


def test_sign_out_on_another_page_goes_through_the_field_pages_check(site, browser: Browser):
    url = site["url"]
    person = worker(site, "dea", CASES[:1])
    page = signed_in_page(browser, url, site["built"].store, person)
    try:
        set_up_and_download(page, url, 1)
        page.context.route("**/sync/v1/push", lambda route: route.abort())
        page.get_by_role("link", name="MLC-FLD-A001DE").click()
        save_note(page, "Back door rotten")
        status = page.locator("[data-tb-field-status]")
        expect(status).to_contain_text("Waiting to send: 1")

        # The header's Sign out on another page: refused, with the reason and Send now.
        page.goto(f"{url}/help")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{url}/field#sign-out")
        expect(page.locator("[data-tb-field-signout-message]")).to_contain_text(
            "You cannot sign out yet: 1 pieces of work have not been sent")
        send_now = page.get_by_role("button", name="Send now")
        expect(send_now).to_be_focused()
        page.context.unroute("**/sync/v1/push")
        send_now.press("Enter")
        expect(status).to_contain_text("Waiting to send: 0 · Needs attention: 0",
                                       timeout=15_000)
        expect(page.locator("[data-tb-field-signout-message]")).to_have_text(
            "Everything has been sent. You can sign out now.")
        expect(page.get_by_role("button", name="Sign out of this device")).to_be_focused()
        expect(send_now).to_be_hidden()

        # Nothing waits: Sign out elsewhere brings the person to the field page's button,
        # which deletes the cases and signs out.
        page.goto(f"{url}/help")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{url}/field#sign-out")
        sign_out = page.get_by_role("button", name="Sign out of this device")
        expect(sign_out).to_be_focused()
        with page.expect_navigation():
            sign_out.press("Enter")
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
        assert page.evaluate("localStorage.getItem('tolbooth-field-device')") is None
        assert page.evaluate(DEVICE_TEXT)["rows"] == []
    finally:
        page.context.close()


def test_another_member_of_staff_does_not_see_the_devices_cases(site, browser: Browser):
    url = site["url"]
    owner = worker(site, "ddd", CASES[:1])
    page = signed_in_page(browser, url, site["built"].store, owner)
    try:
        set_up_and_download(page, url, 1)
        other = worker(site, "eee", [])
        sign_in_as(page.context, url, site["built"].store, other)
        page.reload()
        expect(page.get_by_text("This device is set up for Rhona Ddd. They must sign out")
               ).to_be_visible()
        expect(page.get_by_role("link", name="MLC-FLD-A001DD")).to_have_count(0)
        expect(page.get_by_role("button", name="Download my cases")).to_be_hidden()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_signed_out_the_field_app_offers_sign_in_accessibly(page: Page, base_url, lang):
    page.context.add_cookies([{"name": "tolbooth_lang", "value": lang, "url": base_url}])
    page.goto(f"{base_url}/field")
    expect(page.locator('[data-tb-field-view="signin"]')).to_be_visible()
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert_accessible(page)
