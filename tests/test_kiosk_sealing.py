"""The encrypted outbox of kiosks (issue 13): sealing, opening, refusing, rotating."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.db import requests as requests_db
from server.kiosk import keys
from server.kiosk.sealing import Unopenable, open_sealed, seal
from sync.canonical import payload_sha256
from tests.kiosk_support import Kiosk, public_key
from tests.sync_support import payload, pest_answers


def receipt_payload(**changes):
    inner = payload()
    inner["receipt"] = "LOCAL-7K3P-Q9X2"
    inner.update(changes)
    return inner


@pytest.fixture
def kiosk(client, store, settings):
    return Kiosk(client, store, settings)


HELD_COLUMNS = ("kind", "reason", "entity_id", "sealed", "payload", "receipt")


def held(store):
    return store.read_sync(lambda db: [dict(zip(HELD_COLUMNS, r, strict=True)) for r in db.execute(
        f"SELECT {', '.join(HELD_COLUMNS)} FROM kiosk_held_items ORDER BY id")])


def test_key_pair_is_made_once_private_to_the_server_and_published(settings, client):
    path = settings.data_dir / keys.FILE_NAME
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    published = client.get("/kiosk/seal-key.json")
    assert published.headers["cache-control"] == "public, max-age=300"
    body = published.json()
    assert body["jwk"]["crv"] == "P-256" and "d" not in body["jwk"]
    assert keys.load_ring(settings.data_dir, 30).current.kid == body["kid"]


def test_sealed_round_trip_opens_only_for_its_kiosk_and_item(tmp_path):
    ring = keys.load_ring(tmp_path, 30)
    sealed = seal(public_key(ring.published()), ring.current.kid, "kiosk-1", "item-1",
                  {"name": "Ann"})
    now = datetime.now(UTC)
    assert open_sealed(ring, sealed, "kiosk-1", "item-1", now) == {"name": "Ann"}
    for client_id, item_id in (("kiosk-2", "item-1"), ("kiosk-1", "item-2")):
        with pytest.raises(Unopenable, match="unreadable"):
            open_sealed(ring, sealed, client_id, item_id, now)


def test_sealed_request_is_applied_as_a_request_with_its_receipt(kiosk, store, client):
    [result] = kiosk.results(kiosk.sealed(1, receipt_payload()))
    assert result["status"] == "applied" and result["receipt"] == "LOCAL-7K3P-Q9X2"
    made = store.read_sync(requests_db.by_reference, result["reference"])
    assert made.channel == "kiosk" and made.contact_email == "ann@example.com"
    # The receipt code stands in for the reference on the tracking page.
    page = client.post("/track", data={"reference": "local 7k3p q9x2",
                                       "contact": "ann@example.com",
                                       "csrf_token": _csrf(client, "/track")})
    assert page.status_code == 200 and result["reference"] in page.text


def test_replay_of_a_sealed_mutation_returns_the_stored_result(kiosk, store):
    first = kiosk.sealed(1, receipt_payload())
    [applied] = kiosk.results(first)
    [again] = kiosk.results(first)
    assert again == {**applied, "status": "duplicate"}
    assert store.read_sync(lambda db: db.execute("SELECT count(*) FROM requests WHERE id = ?",
                                                 [first["id"]]).fetchone()[0]) == 1


@pytest.mark.parametrize("tamper", ["ciphertext", "iv", "id"])
def test_tampered_or_replayed_under_another_id_is_refused_and_kept(kiosk, store, tamper):
    mutation = kiosk.sealed(1, receipt_payload())
    body = dict(mutation["payload"])
    if tamper == "id":  # the same sealed item sent again as another item
        mutation["id"] = str(uuid.uuid4())
    else:
        value = body[tamper]
        body[tamper] = ("B" if value[0] != "B" else "C") + value[1:]
        mutation["payload"], mutation["payload_sha256"] = body, payload_sha256(body)
    [result] = kiosk.results(mutation)
    assert result["status"] == "rejected" and result["reason"] == "unreadable"
    [kept] = held(store)
    assert kept["kind"] == "unopened" and kept["reason"] == "unreadable"
    assert json.loads(kept["sealed"]) == body and kept["entity_id"] == mutation["id"]
    assert store.read_sync(lambda db: db.execute("SELECT count(*) FROM requests")
                           .fetchone()[0]) == 0
    # Asked again, the same answer: nothing more is kept.
    assert kiosk.results(mutation) == [result] and len(held(store)) == 1


def test_unknown_key_is_refused_with_its_reason(kiosk, store, tmp_path):
    stranger = keys.load_ring(tmp_path, 30).published()
    [result] = kiosk.results(kiosk.sealed(1, receipt_payload(), key=stranger))
    assert (result["status"], result["reason"]) == ("rejected", "unknown_key")
    assert [k["reason"] for k in held(store)] == ["unknown_key"]


def test_needs_attention_goes_to_hub_staff_not_back_to_the_kiosk(kiosk, store):
    wrong = receipt_payload(answers=pest_answers(pest_type="dragons"))
    [result] = kiosk.results(kiosk.sealed(1, wrong))
    assert result["status"] == "held" and result["reason"] == "needs_attention"
    assert "errors" not in result and "dragons" not in json.dumps(result)
    [kept] = held(store)
    assert kept["kind"] == "needs_attention" and json.loads(kept["payload"]) == wrong
    assert kept["receipt"] == "LOCAL-7K3P-Q9X2"


def test_rotation_keeps_old_items_opening_then_retires_them(world, kiosk, store):
    settings = world.settings
    old_key = kiosk.key()
    before = kiosk.sealed(1, receipt_payload(), key=old_key)
    keys.rotate(settings.data_dir, settings.kiosk_key_grace_days, datetime.now(UTC))
    assert kiosk.key()["kid"] != old_key["kid"]  # the running server reads the new ring
    [result] = kiosk.results(before)
    assert result["status"] == "applied"
    # After the grace time the old key's private half is gone: refused, kept.
    later = datetime.now(UTC) + timedelta(days=settings.kiosk_key_grace_days + 1)
    keys.rotate(settings.data_dir, settings.kiosk_key_grace_days, later)
    ring = keys.load_ring(settings.data_dir, settings.kiosk_key_grace_days)
    assert ring.keys[0].kid == old_key["kid"] and ring.keys[0].private is None
    late = kiosk.sealed(2, receipt_payload(receipt="LOCAL-AAAA-BBBB"), key=old_key)
    [refused] = kiosk.results(late)
    assert (refused["status"], refused["reason"]) == ("rejected", "key_retired")
    assert [k["reason"] for k in held(store)] == ["key_retired"]


def test_a_personal_device_cannot_send_sealed_items(client, kiosk):
    from tests.sync_support import Device
    phone = Device(client)
    answer = phone.push(kiosk.sealed(1, receipt_payload()))
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_value"


def _csrf(client, path):
    from tests.support import csrf
    return csrf(client.get(path).text)


def test_every_cli_command_is_in_the_readme_table():
    import argparse
    from pathlib import Path

    from server.cli import parser
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    [commands] = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    missing = [c for c in commands.choices if f"| `tolbooth {c}" not in readme]
    assert missing == []


def test_rotate_kiosk_key_command_makes_a_new_current_key(tmp_path, monkeypatch, capsys):
    from server.cli import main
    from tests.support import make_settings
    settings = make_settings(tmp_path)
    monkeypatch.setattr("server.cli.Settings.from_env", lambda *a, **k: settings)
    first = keys.load_ring(settings.data_dir, 30).current.kid
    assert main(["rotate-kiosk-key"]) == 0
    ring = keys.load_ring(settings.data_dir, 30)
    assert [k.kid for k in ring.keys][0] == first and ring.current.kid != first
    assert ring.keys[0].retired_at is not None and ring.keys[0].private is not None
    assert ring.current.kid in capsys.readouterr().out
