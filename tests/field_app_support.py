"""Driving the field app (/field) in real Chromium against a real server: a field worker
with cases assigned in the app's SQLite, a signed-in browser context, and looks into
the device's IndexedDB (tolbooth-field). Used by tests/test_field_browser.py; the
back-office end-to-end tests (issue 14) can drive the app the same way."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image

from server.db import staff
from server.i18n import COOKIE
from tests.field_db_world import DbWorld, add_case
from tests.passkey_authenticator import sign_in_with_new_passkey

# Everything the device holds, every store, as text: strings as they are, and the bytes
# of ArrayBuffers / typed arrays decoded as UTF-8, so a search finds any plaintext.
DEVICE_TEXT = """async () => {
    const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open('tolbooth-field');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
    });
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const flat = (value) => {
        if (value === null || value === undefined) return '';
        if (value instanceof ArrayBuffer) return decoder.decode(new Uint8Array(value));
        if (ArrayBuffer.isView(value)) return decoder.decode(new Uint8Array(value.buffer));
        if (value instanceof CryptoKey) return `CryptoKey(${value.extractable})`;
        if (Array.isArray(value)) return value.map(flat).join(' ');
        if (typeof value === 'object') {
            return Object.entries(value).map(([k, v]) => `${k}=${flat(v)}`).join(' ');
        }
        return String(value);
    };
    const out = {};
    for (const name of db.objectStoreNames) {
        const rows = await new Promise((resolve, reject) => {
            const req = db.transaction(name).objectStore(name).getAll();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
        });
        out[name] = rows.map(flat);
    }
    db.close();
    return out;
}"""

# Breaks the sealed part of one queued item, as a damaged disk or a bug would.
BREAK_ITEM = """async (count) => {
    const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open('tolbooth-field');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    const items = await new Promise((resolve) => {
        const r = store.index('seq').getAll();
        r.onsuccess = () => resolve(r.result);
    });
    const item = items[0];
    const bytes = new Uint8Array(item.sealed.ct.slice(0));
    bytes[0] ^= 0xff;
    item.sealed.ct = bytes.buffer;
    store.put(item);
    await new Promise((resolve) => { tx.oncomplete = resolve; });
    db.close();
    return item.id;
}"""


def add_field_worker(db: Any, email: str, name: str) -> str:
    return staff.upsert_staff(db, email, name, "field_worker").id


def add_cases(db: Any, person_name: str, person_id: str, cases: list[dict[str, Any]]) -> None:
    world = DbWorld(people={person_name: person_id})
    for case in cases:
        add_case(db, world, {"assignee": person_name, "version": 1, "items": [], **case})


def signed_in_page(browser: Any, url: str, store: Any, person_id: str,
                   lang: str = "en") -> Any:
    """A new context (its own IndexedDB and service worker) signed in as the person with a
    passkey over HTTP, the session cookie handed to the browser."""
    with httpx.Client(base_url=url) as http:
        sign_in_with_new_passkey(http, store, url, "staff", person_id)
        cookies = [{"name": c.name, "value": c.value, "url": url} for c in http.cookies.jar]
    context = browser.new_context(locale="en-GB")
    context.add_cookies(cookies + [{"name": COOKIE, "value": lang, "url": url}])
    return context.new_page()


def jpeg(colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


def set_up_and_download(page: Any, url: str, cases: int) -> None:
    """What a field worker does first: open /field, set the device up, download."""
    page.goto(f"{url}/field")
    page.get_by_role("button", name="Set up this device").click()
    page.get_by_role("button", name="Download my cases").click()
    page.get_by_text(f"Download finished: {cases} cases on this device.").wait_for()
