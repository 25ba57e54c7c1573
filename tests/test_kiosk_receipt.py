"""A kiosk's receipt page and its QR code (issue 13)."""

from __future__ import annotations

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
