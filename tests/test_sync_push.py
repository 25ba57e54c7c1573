"""Sync v1 push at the HTTP level, through the real app and a real SQLite file."""

from __future__ import annotations

import json
import shutil
import uuid

import pytest

from server.db import requests as requests_db
from server.db import sync_clients
from server.forms.registry import DEFINITIONS_DIR, FormRegistry
from sync.canonical import canonical_json
from tests import queries
from tests.sync_support import Device, mutation, payload, pest_answers, push_body, tree_answers


@pytest.fixture
def device(client):
    return Device(client)


def counts(store):
    return store.read_sync(queries.row_counts)


def test_push_same_mutation_twice_applies_once(device, store):
    first = device.push(mutation(1))
    again = device.push(json.loads(first.request.content)["mutations"][0])
    assert first.status_code == again.status_code == 200
    assert first.json()["results"][0]["status"] == "applied"
    # The stored result, saying it was not applied again.
    assert again.json() == {**first.json(), "results": [
        {**first.json()["results"][0], "status": "duplicate"}]}
    assert store.read_sync(queries.request_count) == 1


def test_applied_request_is_stored_as_offline_with_the_web_event(device, store):
    sent = mutation(1)
    result = device.results(sent)[0]
    stored = store.read_sync(requests_db.by_id, sent["id"])
    assert stored.reference == result["reference"] and stored.channel == "offline"
    assert stored.answers["pest_type"] == "rats" and stored.contact_email == "ann@example.com"
    events = store.read_sync(requests_db.public_events, sent["id"])
    assert [(e.kind, e.status) for e in events] == [("created", "received")]


def test_lost_response_retry_gets_the_stored_result_and_one_request(device, store):
    """The server committed but the answer never arrived: the app sends the same
    mutation again and learns its reference; nothing is created twice."""
    sent = mutation(1)
    committed = device.results(sent)[0]  # (the app never saw this)
    retried = device.results(sent)[0]
    assert committed["status"] == "applied"
    assert retried == {**committed, "status": "duplicate"}
    # An app that lost its mutation counter queues the same request under a new id:
    requeued = device.results(dict(sent, mutation_id=2))[0]
    assert requeued["status"] == "duplicate"
    assert requeued["reference"] == committed["reference"]
    assert store.read_sync(queries.request_count) == 1


def test_out_of_order_stops_the_batch_with_the_expected_id(device, store):
    response = device.push(mutation(1), mutation(2), mutation(4), mutation(5))
    body = response.json()
    assert [r["mutation_id"] for r in body["results"]] == [1, 2]
    assert body["stopped"] == {"reason": "out_of_order", "expected": 3}
    assert body["last_mutation_id"] == 2
    assert store.read_sync(queries.request_count) == 2


def test_replayed_older_mutation_returns_its_stored_result(device, store):
    one, two = mutation(1), mutation(2)
    first = device.results(one, two)
    device.results(mutation(3))
    assert device.results(one) == [{**first[0], "status": "duplicate"}]
    assert store.read_sync(queries.request_count) == 3


def test_different_payload_same_entity_is_a_conflict_and_both_are_kept(device, store):
    entity = str(uuid.uuid4())
    first = mutation(1, entity)
    second = mutation(2, entity, payload(pest_answers(pest_type="mice")))
    applied, conflict = device.results(first, second)
    assert applied["status"] == "applied" and conflict["status"] == "conflict"
    assert store.read_sync(requests_db.by_id, entity).answers["pest_type"] == "rats"
    kept = store.read_sync(queries.conflicts_for, entity)
    assert [k.payload for k in kept] == [second["payload"]]
    assert store.read_sync(queries.request_count) == 1


def test_invalid_answers_are_rejected_in_gaelic_then_fixed_under_a_new_id(device, store):
    entity = str(uuid.uuid4())
    broken = payload(pest_answers(pest_type=None), locale="gd")
    rejected = device.results(mutation(1, entity, broken))[0]
    assert rejected["status"] == "rejected" and rejected["reason"] == "invalid_answers"
    assert rejected["errors"] == [
        {"field": "pest_type", "message": "Taghaibh dè an seòrsa plàigh a th’ agaibh"}]
    assert store.read_sync(queries.request_count) == 0
    # The id is used up: sending mutation 1 again only repeats the rejection.
    assert device.results(mutation(1, entity, payload(locale="gd")))[0] == rejected
    fixed = device.results(mutation(2, entity, payload(locale="gd")))[0]
    assert fixed["status"] == "applied"
    assert store.read_sync(requests_db.by_id, entity).locale == "gd"


def test_unknown_journey_and_unknown_form_version_are_rejected_with_a_reason(device):
    unknown = device.results(mutation(1, body=payload(journey="no-such-thing")))[0]
    assert unknown["reason"] == "unknown_journey"
    later = device.results(mutation(2, form_version=99))[0]
    assert later["reason"] == "unknown_form_version"
    assert later["errors"][0]["field"] == "form_version"


@pytest.fixture
def forms_with_v2(tmp_path):
    """pest-control with a second published version that asks one more question."""
    folder = tmp_path / "forms"
    shutil.copytree(DEFINITIONS_DIR, folder)
    v1 = json.loads((folder / "pest-control" / "v1.json").read_text())
    v2 = dict(v1, version=2, pages=[*v1["pages"], {
        "id": "how-long", "questions": [{"id": "how_long", "type": "text",
                                         "label": "How long have you had the problem?"}]}])
    (folder / "pest-control" / "v2.json").write_text(json.dumps(v2))
    return FormRegistry(folder)


def test_form_version_1_is_accepted_after_version_2_is_published(make_app, forms_with_v2):
    built = make_app(forms=forms_with_v2)
    store = built.store
    assert forms_with_v2.latest("pest-control").version == 2
    with built.client() as http:
        device = Device(http)
        queued = mutation(1, form_version=1)
        assert device.results(queued)[0]["status"] == "applied"
        assert store.read_sync(requests_db.by_id, queued["id"]).form_version == 1
        # The same answers against version 2 lack its new question.
        newer = device.results(mutation(2, form_version=2))[0]
        assert newer["status"] == "rejected" and newer["errors"][0]["field"] == "how_long"


def refused(response, status, reason):
    assert response.status_code == status, response.text
    assert response.json()["error"] == reason
    assert response.json()["message"]


@pytest.mark.parametrize("change, reason", [
    (lambda b: b.update(protocol=3), "unknown_protocol"),
    (lambda b: b.update(extra=1), "unknown_field"),
    (lambda b: b.pop("app_version"), "missing_field"),
    (lambda b: b.update(mutations={}), "wrong_type"),
    (lambda b: b["mutations"][0].update(mutation_id=0), "invalid_value"),
    (lambda b: b["mutations"][0].update(mutation_id=True), "wrong_type"),
    (lambda b: b["mutations"][0].update(id="NOT-A-UUID"), "invalid_value"),
    (lambda b: b["mutations"][0].update(op="delete"), "invalid_value"),
    (lambda b: b["mutations"][0].update(payload_sha256="0" * 64), "hash_mismatch"),
    (lambda b: b["mutations"][0]["payload"].update(locale="fr"), "invalid_value"),
    (lambda b: b["mutations"][0]["payload"].update(answers=[]), "wrong_type"),
    (lambda b: b["mutations"][0]["payload"].update(note="x"), "unknown_field"),
    (lambda b: b["mutations"].append(b["mutations"][0]), "invalid_value"),
    (lambda b: b.update(client_id=str(uuid.uuid4())), "client_mismatch"),
])
def test_bad_push_is_refused_with_a_reason_and_changes_nothing(device, store, change, reason):
    body = push_body(device.client_id, mutation(1))
    change(body)
    before = counts(store)
    response = device.http.post("/sync/v1/push", content=json.dumps(body),
                                headers=device.auth)
    refused(response, 400, reason)
    assert counts(store) == before


def test_a_protocol_2_push_from_a_device_that_is_not_a_field_device_is_refused(device, store):
    """Protocol 2 is a field device's (sync/PROTOCOL.md): a personal app's is 403."""
    body = push_body(device.client_id, mutation(1))
    body["protocol"] = 2
    before = counts(store)
    response = device.http.post("/sync/v1/push", content=json.dumps(body),
                                headers=device.auth)
    refused(response, 403, "kind_not_allowed")
    assert counts(store) == before


@pytest.mark.parametrize("raw, reason", [
    (b"{", "malformed_json"),
    (b'{"protocol": 1, "protocol": 1}', "malformed_json"),
    (b'{"protocol": NaN}', "malformed_json"),
    (b'"\\ud800"', "malformed_json"),
    (b"\xff\xfe", "malformed_json"),
    (b"[]", "wrong_type"),
])
def test_malformed_or_truncated_bodies_get_400(device, store, raw, reason):
    before = counts(store)
    refused(device.http.post("/sync/v1/push", content=raw, headers=device.auth), 400, reason)
    good = canonical_json(push_body(device.client_id, mutation(1)))
    truncated = device.http.post("/sync/v1/push", content=good[: len(good) // 2],
                                 headers=device.auth)
    refused(truncated, 400, "malformed_json")
    assert counts(store) == before


def test_oversized_push_and_too_many_mutations_are_refused(device, store):
    before = counts(store)
    big = b'{"protocol":1,"pad":"' + b"x" * (1024 * 1024) + b'"}'
    refused(device.http.post("/sync/v1/push", content=big, headers=device.auth), 413,
            "body_too_large")
    many = push_body(device.client_id, *[mutation(i + 1) for i in range(101)])
    refused(device.http.post("/sync/v1/push", json=many, headers=device.auth), 400,
            "too_many_mutations")
    assert counts(store) == before


def test_missing_forged_and_revoked_tokens_get_401(device, store, client):
    body = push_body(device.client_id, mutation(1))
    refused(client.post("/sync/v1/push", json=body), 401, "missing_token")
    forged = device.token[:-2] + ("AA" if not device.token.endswith("AA") else "BB")
    refused(client.post("/sync/v1/push", json=body,
                        headers={"Authorization": f"Bearer {forged}"}), 401, "bad_token")
    assert store.write_sync(sync_clients.revoke, device.client_id)
    before = counts(store)
    response = device.push(mutation(1))
    refused(response, 401, "revoked_token")
    assert response.headers["www-authenticate"] == "Bearer"
    assert counts(store) == before


def test_rate_limit_per_client_answers_429_with_retry_after(make_app):
    with make_app(TOLBOOTH_SYNC_RATE_PER_CLIENT="3").client() as http:
        device = Device(http)
        statuses = [device.push().status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = device.push()
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"] == "rate_limited_client"
        assert Device(http).push().status_code == 200  # another app is not held up


def test_rate_limit_per_address_covers_every_sync_call(make_app):
    with make_app(TOLBOOTH_SYNC_RATE_PER_ADDRESS="2").client() as http:
        Device(http)
        http.options("/sync/v1/uploads")
        response = http.post("/sync/v1/clients",
                             json={"protocol": 1, "kind": "personal", "app_version": "t"})
        assert response.status_code == 429 and response.json()["error"] == "rate_limited_address"


def test_kiosk_registration_needs_hub_staff(client, store, settings):
    from tests.passkey_authenticator import Browserless, sign_in_with_new_passkey, staff_id
    kiosk = {"protocol": 1, "kind": "kiosk", "app_version": "t"}
    refused(client.post("/sync/v1/clients", json=kiosk), 403, "kind_not_allowed")
    sign_in_with_new_passkey(client, store, settings.origin, "staff",
                             staff_id(store, "hub.staff@midlothian.example"))
    made = Browserless(client, settings.origin).post_json(
        "/sync/v1/clients", kiosk, Browserless(client, settings.origin).token("/account"))
    assert made.status_code == 201
    from server.db import audit
    logged = [e for e in store.read_sync(audit.entries) if e.action == "sync_client_registered"]
    assert [e.subject for e in logged] == [f"sync_client:{made.json()['client_id']}"]
    field = dict(kiosk, kind="field")
    refused(client.post("/sync/v1/clients", json=field), 403, "kind_not_allowed")


def test_a_staff_device_needs_the_csrf_token_and_same_origin(client, store, settings):
    """Issue 10: a kiosk or field device was signed up from the staff cookie alone, so
    another site could make one in a signed-in member of staff's name."""
    from tests.passkey_authenticator import Browserless, sign_in_with_new_passkey, staff_id
    sign_in_with_new_passkey(client, store, settings.origin, "staff",
                             staff_id(store, "hub.staff@midlothian.example"))
    driver = Browserless(client, settings.origin)
    token = driver.token("/account")
    kiosk = {"protocol": 1, "kind": "kiosk", "app_version": "t"}
    before = counts(store)
    refused(client.post("/sync/v1/clients", json=kiosk), 403, "csrf_origin")
    refused(client.post("/sync/v1/clients", json=kiosk, headers={
        "Origin": "https://evil.example", "X-CSRF-Token": token}), 403, "csrf_origin")
    refused(client.post("/sync/v1/clients", json=kiosk, headers={
        "Origin": settings.origin, "X-CSRF-Token": "guessed"}), 403, "csrf_failed")
    refused(client.post("/sync/v1/clients", json=kiosk, headers={"Origin": settings.origin}),
            403, "csrf_failed")
    assert counts(store) == before
    # A resident's own device needs neither: it signs up with no cookie at all.
    assert client.post("/sync/v1/clients", json=dict(kiosk, kind="personal")
                       ).status_code == 201


def test_a_staff_device_is_not_signed_up_after_the_idle_time_out(client, store, settings,
                                                                 monkeypatch):
    """Issue 10: /sync/ skips the session middleware, so an idle staff session (signed out
    everywhere else) could still sign up a kiosk."""
    from server.auth import session
    from tests.passkey_authenticator import Browserless, sign_in_with_new_passkey, staff_id
    sign_in_with_new_passkey(client, store, settings.origin, "staff",
                             staff_id(store, "hub.staff@midlothian.example"))
    driver = Browserless(client, settings.origin)
    token = driver.token("/account")
    monkeypatch.setattr(session, "idle_limit", lambda person, minutes: session.timedelta(0))
    kiosk = {"protocol": 1, "kind": "kiosk", "app_version": "t"}
    refused(driver.post_json("/sync/v1/clients", kiosk, token), 403, "kind_not_allowed")
    monkeypatch.undo()
    assert client.get("/account", follow_redirects=False).status_code == 303  # ended


def test_sign_ups_per_address_are_limited_per_hour(make_app):
    """Issue 10: a script signed up a client for every push, each a fresh allowance."""
    with make_app(TOLBOOTH_SYNC_REGISTRATIONS_PER_ADDRESS_HOUR="3").client() as http:
        for _ in range(3):
            Device(http)
        response = http.post("/sync/v1/clients",
                             json={"protocol": 1, "kind": "personal", "app_version": "t"})
        refused(response, 429, "rate_limited_address")
        assert int(response.headers["retry-after"]) > 60


def test_new_requests_per_client_are_capped_per_hour_and_a_push_over_it_applies_nothing(
        make_app):
    """Issue 10: one client pushed 100 new requests in 0.04 s and buried the inbox."""
    world = make_app(TOLBOOTH_SYNC_CREATES_PER_CLIENT_HOUR="5")
    with world.client() as http:
        device = Device(http)
        sent = [mutation(i) for i in (1, 2, 3)]
        first = device.results(*sent)
        assert [r["status"] for r in first] == ["applied"] * 3
        before = counts(world.store)
        over = device.push(*[mutation(i) for i in (4, 5, 6)])  # 6 > 5: none of them
        refused(over, 429, "rate_limited_creates")
        assert int(over.headers["retry-after"]) > 60
        assert counts(world.store) == before
        # Replays are not new: the app that lost an answer still learns its references.
        again = device.results(*sent)
        assert [r["status"] for r in again] == ["duplicate"] * 3
        assert [r["status"] for r in device.results(mutation(4), mutation(5))] == \
            ["applied"] * 2
        refused(device.push(mutation(6)), 429, "rate_limited_creates")
        assert world.store.read_sync(queries.request_count) == 5
        assert Device(http).push(mutation(1)).status_code == 200  # another app is not held


def test_another_clients_entity_id_gets_neither_its_reference_nor_files_nor_a_conflict(
        device, client, store):
    """Issue 10: a second client reusing an entity id with the same payload was answered
    `duplicate` with the first client's reference and attachment ids; with another
    payload, a conflict was filed against someone else's request."""
    import hashlib
    photo = {"id": str(uuid.uuid4()), "question_id": "photos",
             "sha256": hashlib.sha256(b"x").hexdigest(), "size": 1,
             "filename": "IMG_0001.jpg", "media_type": "image/jpeg"}
    entity = str(uuid.uuid4())
    first = mutation(1, entity, payload(tree_answers([photo["id"]]), journey="tree-enquiry"),
                     attachments=[photo])
    [mine] = device.results(first)
    assert mine["status"] == "applied" and mine["attachments_pending"] == [photo["id"]]
    other = Device(client)
    [copied] = other.results(dict(first, mutation_id=1))
    assert copied == {"mutation_id": 1, "id": entity, "status": "rejected",
                      "reason": "id_taken", "errors": [], "attachments_pending": []}
    changed = mutation(2, entity, payload(pest_answers(pest_type="mice")))
    [refused_again] = other.results(changed)
    assert refused_again["status"] == "rejected" and refused_again["reason"] == "id_taken"
    assert store.read_sync(queries.conflicts_for, entity) == []
    assert mine["reference"] not in json.dumps([copied, refused_again])
    # The first client still gets its own request back.
    [again] = device.results(dict(first, mutation_id=2))
    assert again["status"] == "duplicate" and again["reference"] == mine["reference"]
    assert store.read_sync(queries.request_count) == 1


def test_an_app_signed_up_again_with_its_old_token_still_owns_what_it_sent(device, client,
                                                                         store):
    """After a 401 (revoked, or the server forgot it) the app signs up again, naming the
    token it had; the requests it sent before are still its own: duplicate, with their
    reference. A token the server did not sign links nothing."""
    sent = mutation(1)
    [first] = device.results(sent)
    assert store.write_sync(sync_clients.revoke, device.client_id)
    forged = client.post("/sync/v1/clients", json={
        "protocol": 1, "kind": "personal", "app_version": "t",
        "replaces": device.token[:-4] + "AAAA"}).json()
    pretender = {"Authorization": f"Bearer {forged['client_token']}"}
    [refused_result] = client.post("/sync/v1/push", json=push_body(
        forged["client_id"], dict(sent, mutation_id=1)), headers=pretender).json()["results"]
    assert refused_result["reason"] == "id_taken"
    again = client.post("/sync/v1/clients", json={
        "protocol": 1, "kind": "personal", "app_version": "t", "replaces": device.token})
    assert again.status_code == 201
    fresh = again.json()
    [resent] = client.post("/sync/v1/push", json=push_body(
        fresh["client_id"], dict(sent, mutation_id=1)),
        headers={"Authorization": f"Bearer {fresh['client_token']}"}).json()["results"]
    assert resent["status"] == "duplicate" and resent["reference"] == first["reference"]
    assert store.read_sync(queries.request_count) == 1
