"""Kiosk submissions that need attention go to the hub's staff (issue 13): they see the
answers and errors, correct them and send the request as the person, audited."""

from __future__ import annotations

import pytest

from server.db import audit, sync_clients
from server.db import requests as requests_db
from tests.kiosk_support import Kiosk
from tests.passkey_authenticator import sign_in_with_new_passkey, staff_id
from tests.support import csrf
from tests.sync_support import payload, pest_answers

HUB_STAFF = "hub.staff@midlothian.example"


@pytest.fixture
def kiosk(client, store, settings):
    made = Kiosk(client, store, settings)
    store.write_sync(lambda db: db.execute("UPDATE sync_clients SET hub_id = 'dalkeith',"
                                           " label = 'Dalkeith kiosk 1' WHERE id = ?",
                                           [made.client_id]))
    return made


def held_submission(kiosk):
    wrong = payload(answers=pest_answers(pest_type="dragons"))
    wrong["receipt"] = "LOCAL-7K3P-Q9X2"
    mutation = kiosk.sealed(1, wrong)
    [result] = kiosk.results(mutation)
    assert result["status"] == "held"
    return mutation["id"]


def sign_in(client, store, settings, email=HUB_STAFF):
    sign_in_with_new_passkey(client, store, settings.origin, "staff", staff_id(store, email))


def test_hub_staff_correct_and_send_as_the_person_audited(client, store, settings, kiosk):
    entity_id = held_submission(kiosk)
    sign_in(client, store, settings)
    listing = client.get("/staff/hub/held")
    assert listing.status_code == 200 and "LOCAL-7K3P-Q9X2" in listing.text
    assert "Dalkeith kiosk 1" in listing.text
    [item_id] = store.read_sync(lambda db: [r[0] for r in db.execute(
        "SELECT id FROM kiosk_held_items")])
    page = client.get(f"/staff/hub/held/{item_id}")
    assert page.status_code == 200
    assert "Ann Example" in page.text and "ann@example.com" in page.text  # the answers
    assert 'class="ds_error-summary"' in page.text  # and what was wrong
    token = csrf(page.text)
    fixed = {"csrf_token": token, "pest_type": "rats", "pest_where": "inside",
             "property_address-line1": "12 High Street", "property_address-line2": "",
             "property_address-town": "Dalkeith", "property_address-postcode": "EH22 1AA",
             "council_tenant": "no", "vulnerable_people": "no", "preferred_days": "monday",
             "more_details": "", "name": "Ann Example", "how": "email",
             "email": "ann@example.com", "updates": "email"}
    bad = client.post(f"/staff/hub/held/{item_id}", data={**fixed, "pest_type": ""})
    assert bad.status_code == 400 and store.read_sync(requests_db.by_id, entity_id) is None
    sent = client.post(f"/staff/hub/held/{item_id}", data=fixed, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    made = store.read_sync(requests_db.by_id, entity_id)
    assert made is not None and made.channel == "kiosk"
    assert made.answers["pest_type"] == "rats" and made.contact_email == "ann@example.com"
    actions = [(e.action, e.subject) for e in store.read_sync(audit.entries)]
    assert ("kiosk_held_viewed", f"kiosk_held:{item_id}") in actions
    assert ("kiosk_held_sent", f"request:{entity_id}") in actions
    # Resolved: off the list, not sent twice; the receipt code now tracks the request.
    assert "LOCAL-7K3P-Q9X2" not in client.get("/staff/hub/held").text
    again = client.post(f"/staff/hub/held/{item_id}", data=fixed)
    assert again.status_code == 404
    alias = store.read_sync(lambda db: db.execute(
        "SELECT request_id FROM receipt_aliases WHERE receipt = 'LOCAL-7K3P-Q9X2'"
    ).fetchone()[0])
    assert alias == entity_id


def test_another_hubs_staff_cannot_see_the_item(client, store, settings, kiosk):
    held_submission(kiosk)
    store.write_sync(lambda db: db.execute("UPDATE sync_clients SET hub_id = ? WHERE id = ?",
                                           [_other_hub(db), kiosk.client_id]))
    sign_in(client, store, settings)
    [item_id] = store.read_sync(lambda db: [r[0] for r in db.execute(
        "SELECT id FROM kiosk_held_items")])
    assert "LOCAL-7K3P-Q9X2" not in client.get("/staff/hub/held").text
    assert client.get(f"/staff/hub/held/{item_id}").status_code == 404
    assert store.read_sync(sync_clients.by_id, kiosk.client_id) is not None


def _other_hub(db):
    return db.execute("SELECT id FROM hubs WHERE id != 'dalkeith' LIMIT 1").fetchone()[0]
