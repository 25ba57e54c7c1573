"""The field app's page, /field (issue 14), over HTTP: what it offers signed out, to a
field worker and to a role that cannot set up a field device; the device set-up call it
makes; its clean copy for the service worker; the versioned visit form it carries."""

from __future__ import annotations

import html
import json
import re

import pytest
from starlette.testclient import TestClient

from tests.passkey_authenticator import Browserless, sign_in_with_new_passkey, staff_id

FIELD_WORKER = "field.worker@midlothian.example"


def signed_in(app, store, settings, email) -> Browserless:
    client = TestClient(app, base_url=settings.origin)
    sign_in_with_new_passkey(client, store, settings.origin, "staff", staff_id(store, email))
    return Browserless(client, settings.origin)


def attribute(page: str, name: str) -> str | None:
    found = re.search(rf'{name}(?:="([^"]*)"|=\'([^\']*)\')?[\s>]', page)
    if not found:
        return None
    return html.unescape(found.group(1) or found.group(2) or "")


def test_signed_out_the_field_app_offers_sign_in_and_no_token(client):
    page = client.get("/field")
    assert page.status_code == 200
    assert 'href="/sign-in"' in page.text
    assert attribute(page.text, "data-tb-field-csrf") == ""
    assert attribute(page.text, "data-tb-field-script").startswith("/static/build/field.js")


def test_a_field_worker_lands_on_the_field_app_and_sets_up_a_field_device(app, store,
                                                                            settings):
    worker = signed_in(app, store, settings, FIELD_WORKER)
    assert worker.client.get("/sign-in", follow_redirects=False).headers["location"] == "/field"
    page = worker.client.get("/field").text
    token = attribute(page, "data-tb-field-csrf")
    assert token and attribute(page, "data-tb-field-person") == "Callum Field"
    made = worker.post_json("/sync/v1/clients", {"protocol": 1, "kind": "field",
                                                 "app_version": "tolbooth-field-1"}, token)
    assert made.status_code == 201, made.text
    refused = worker.client.post("/sync/v1/clients", json={
        "protocol": 1, "kind": "field", "app_version": "x"},
        headers={"Origin": settings.origin})
    assert refused.status_code == 403 and refused.json()["error"] == "csrf_failed"


@pytest.mark.parametrize("email, may", [("eh.officer@midlothian.example", True),
                                        ("sw.officer@midlothian.example", True),
                                        ("planning.officer@midlothian.example", False),
                                        ("hub.staff@midlothian.example", False)])
def test_who_may_set_up_a_field_device(app, store, settings, email, may):
    person = signed_in(app, store, settings, email)
    page = person.client.get("/field").text
    assert bool(attribute(page, "data-tb-field-csrf")) is may
    assert (attribute(page, "data-tb-field-other") is not None) is not may
    made = person.post_json("/sync/v1/clients", {"protocol": 1, "kind": "field",
                                                 "app_version": "x"}, person.token("/account"))
    assert made.status_code == (201 if may else 403), made.text


def test_the_service_worker_keeps_a_clean_copy_of_the_field_app(client):
    listed = client.get("/app/precache/gd.json").json()
    assert {"url": "/field", "copy": "/app/copies/gd/field"} in listed["pages"]
    copy = client.get("/app/copies/gd/field")
    assert copy.status_code == 200 and "data-tb-offline-copy" in copy.text
    assert attribute(copy.text, "data-tb-field-csrf") == ""
    assert "set-cookie" not in copy.headers


def test_the_visit_form_is_versioned_data_in_the_pages_language(client):
    forms = {}
    for lang in ("en", "gd"):
        page = client.get("/field", cookies={"tolbooth_lang": lang}).text
        forms[lang] = json.loads(attribute(page, "data-tb-visit-form"))
    english, gaelic = forms["en"], forms["gd"]
    assert english["version"] == gaelic["version"] == 1
    ids = [q["id"] for q in english["questions"]]
    assert ids == ["started_at", "seen", "findings", "outcome", "next_steps"]
    outcome = next(q for q in english["questions"] if q["id"] == "outcome")
    assert [o["value"] for o in outcome["options"]] == ["completed", "no_access", "refused",
                                                       "follow_up"]
    assert english["questions"][2]["label"] == "Findings"
    assert gaelic["questions"][2]["label"] != "Findings"
