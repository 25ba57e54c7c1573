"""A kiosk's receipt page and its QR code (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

import segno

from server.forms.references import new_reference
from server.kiosk import receipt


def test_online_receipt_qr_encodes_the_tracking_page_with_the_reference(client, settings):
    reference = new_reference(settings.council_prefix)
    made = []
    real = segno.make_qr

    def spy(content, **kwargs):
        made.append(content)
        return real(content, **kwargs)

    with mock.patch.object(receipt.segno, "make_qr", spy):
        page = client.get(f"/kiosk/receipt?code={reference.lower()}")
    assert page.status_code == 200
    url = f"{settings.origin}/track?reference={reference}"
    assert made == [url]
    assert receipt.qr_svg(url) in page.text  # the SVG made from exactly that payload
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text and url in page.text
    assert page.headers["cache-control"] == "no-cache"


def test_a_local_receipt_code_is_shown_and_anything_else_is_not(client):
    local = client.get("/kiosk/receipt?code=local-7k3p-q9x2")
    assert "LOCAL-7K3P-Q9X2" in local.text and "<svg" in local.text
    odd = client.get("/kiosk/receipt?code=<script>alert(1)</script>")
    assert odd.status_code == 200 and "<svg" not in odd.text and "alert(1)" not in odd.text


def test_the_qr_code_opens_tracking_with_the_code_filled_in(client):
    page = client.get("/track?reference=LOCAL-7K3P-Q9X2")
    assert 'value="LOCAL-7K3P-Q9X2"' in page.text


def test_an_undelivered_receipt_code_is_not_found_on_tracking(client):
    from tests.support import csrf
    token = csrf(client.get("/track").text)
    page = client.post("/track", data={"reference": "LOCAL-7K3P-Q9X2",
                                       "contact": "ann@example.com", "csrf_token": token})
    assert page.status_code == 200 and "We could not find a request" in page.text


def test_the_receipt_and_outbox_pages_and_the_key_are_kept_offline(client):
    kept = client.get("/app/precache/en.json").json()
    assert {"/kiosk/receipt", "/kiosk/outbox"} <= {p["url"] for p in kept["pages"]}
    assert "/kiosk/seal-key.json" in kept["data"]
    copy = client.get("/app/copies/en/kiosk/receipt")
    assert copy.status_code == 200 and "data-tb-offline-copy" in copy.text
    assert "kiosk_outbox" in copy.text


def test_a_kiosk_emails_or_texts_the_receipt_through_the_notification_outbox(
        client, store, settings):
    from server.db import sync_clients
    from server.kiosk.device import KIOSK_COOKIE, kiosk_cookie_value
    from tests.support import csrf
    made = store.write_sync(sync_clients.register, "kiosk", "test", None, None, "dalkeith")
    reference = new_reference(settings.council_prefix)
    outside = client.post("/kiosk/receipt", data={
        "code": reference, "to": "ann@example.com",
        "csrf_token": csrf(client.get("/track").text)})
    assert outside.status_code == 404  # only a kiosk sends receipts
    client.cookies.set(KIOSK_COOKIE, kiosk_cookie_value(settings, made.id))
    page = client.get(f"/kiosk/receipt?code={reference}")
    token = csrf(page.text)
    wrong = client.post("/kiosk/receipt", data={"code": reference, "to": "0131 270 7500",
                                                "csrf_token": token})
    assert wrong.status_code == 400 and 'class="ds_error-summary"' in wrong.text
    for to in ("ann@example.com", "07912 345678"):
        sent = client.post("/kiosk/receipt", data={"code": reference, "to": to,
                                                   "csrf_token": token})
        assert sent.status_code == 200 and 'id="receipt-sent"' in sent.text
        assert to not in sent.text  # not shown to whoever comes next
    queued = store.read_sync(lambda db: db.execute(
        "SELECT channel, recipient, template FROM notifications ORDER BY rowid").fetchall())
    assert queued == [("email", "ann@example.com", "receipt"),
                      ("sms", "+447912345678", "receipt")]


def test_the_receipt_message_carries_the_code_and_the_tracking_link(settings):
    from dataclasses import replace

    from server.forms.registry import FormRegistry
    from server.notify.compose import compose
    from tests.test_notify_catalogue import notice
    link = f"{settings.origin}/track?reference=LOCAL-7K3P-Q9X2"
    claimed = replace(notice("receipt", "gd", datetime.now(UTC), None),
                      params={"code": "LOCAL-7K3P-Q9X2", "link": link})
    words = compose(settings, FormRegistry(), claimed)
    assert "LOCAL-7K3P-Q9X2" in words.sms and link in words.sms
    assert any(b.text == link for b in words.blocks)
