"""Issue 13 foundation: a browser is a kiosk by its signed tb_kiosk cookie; pages on it
render the kiosk layout (flag, timing, Finish, no header links, autofill off)."""

from __future__ import annotations

import re

from server.db import kiosks
from server.kiosk.device import KIOSK_COOKIE, kiosk_cookie_value
from tests.support import csrf


def enrol(store, hub="dalkeith"):
    return store.write_sync(kiosks.enrol, hub, "Front desk", "test", "staff:test").id


def as_kiosk(client, settings, client_id):
    client.cookies.set(KIOSK_COOKIE, kiosk_cookie_value(settings, client_id))


def test_kiosk_pages_carry_the_flag_timing_and_kiosk_bar(client, store, settings):
    as_kiosk(client, settings, enrol(store))
    page = client.get("/kiosk")
    assert page.status_code == 200
    assert 'data-kiosk="true"' in page.text
    assert 'data-kiosk-idle-seconds="120"' in page.text
    assert 'data-kiosk-warn-seconds="60"' in page.text
    assert 'id="tb-kiosk-finish"' in page.text
    assert 'action="/kiosk/finish"' in page.text and 'action="/kiosk/help"' in page.text
    assert "Dalkeith Library" in page.text
    # No header links out of the journey (Services, Track a request, Sign in).
    assert 'class="tb-header-links__link"' not in page.text
    assert 'href="/sign-in"' not in page.text
    assert "no-store" in page.headers["cache-control"]


def test_hub_timing_reaches_the_page(client, store, settings):
    as_kiosk(client, settings, enrol(store, "penicuik"))
    store.write_sync(kiosks.set_timing, "penicuik", 300, 120, "staff:test")
    page = client.get("/kiosk").text
    assert 'data-kiosk-idle-seconds="300"' in page and 'data-kiosk-warn-seconds="120"' in page


def test_every_form_and_field_has_autofill_off_only_on_a_kiosk(client, store, settings,
                                                               make_app):
    contact = "/services/noise-complaint/contact"
    other = make_app().client()
    plain = re.findall(r'autocomplete="([^"]*)"', other.get(contact).text)
    assert {"name", "email", "tel"} <= set(plain)  # elsewhere autofill helps (WCAG 1.3.5)
    as_kiosk(client, settings, enrol(store))
    page = client.get(contact).text
    forms = re.findall(r"<form[^>]*>", page)
    assert forms and all('autocomplete="off"' in tag for tag in forms)
    values = re.findall(r'autocomplete="([^"]*)"', page)
    assert len(values) >= len(plain) + len(forms) and set(values) == {"off"}


def test_not_a_kiosk_without_the_cookie_or_with_a_forged_one(client):
    page = client.get("/kiosk")
    assert page.status_code == 200 and "This computer is not a kiosk" in page.text
    assert "data-kiosk" not in page.text
    client.cookies.set(KIOSK_COOKIE, "forged.value")
    page = client.get("/kiosk")
    assert "data-kiosk" not in page.text and "tb-kiosk-finish" not in page.text


def test_finish_rotates_the_session_cookie(client, store, settings):
    as_kiosk(client, settings, enrol(store))
    token = csrf(client.get("/kiosk").text)
    before = client.cookies.get("tolbooth_session")
    done = client.post("/kiosk/finish", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/kiosk"
    assert client.cookies.get("tolbooth_session") != before
    refused = client.post("/kiosk/finish", data={}, follow_redirects=False)
    assert refused.status_code == 403
