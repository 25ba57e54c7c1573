"""Field devices over HTTP beyond the examples: photos of visits reach the devices as
thumbnails, hostile pulls are refused with a reason and change nothing, a cursor from
before a reset gets the reset again, revoked devices get 401, back-office work (through
the real casework functions) reaches a device in one pull, social work records stay with
social work roles and their pulls are audited, field workers can be assigned."""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
from typing import Any

import pytest
from PIL import Image

from server.casework import assignment
from server.db import audit, sync_clients
from server.db.requests import add_event
from sync.canonical import payload_sha256
from tests.field_db_world import build

MORAG_CASE = "ca5e0001-7c1d-4a5e-9b2f-000000000001"
SOUTH_CASE = "ca5e0002-7c1d-4a5e-9b2f-000000000002"
TUS = {"Tus-Resumable": "1.0.0"}


def fields(reference: str) -> dict[str, Any]:
    return {"reference": reference, "service": "environmental-health", "status": "in_progress",
            "address": "1 High Street, Dalkeith EH22 1AA", "summary": "Rats",
            "risk_level": "low", "access_notes": None, "hazards": None,
            "contact_phone": None, "next_visit_on": None, "follow_up_needed": False}


SPEC = {"people": {"Morag Fraser": "north", "Olga Nowak": "south"},
        "devices": {"a": "Morag Fraser", "b": "Olga Nowak"},
        "cases": [{"id": MORAG_CASE, "assignee": "Morag Fraser", "version": 1,
                   "fields": fields("MLC-FLD1-0001"), "items": []},
                  {"id": SOUTH_CASE, "assignee": "team:south", "version": 1,
                   "fields": fields("MLC-FLD1-0002"), "items": []}]}


class Field:
    def __init__(self, app: Any, http: Any) -> None:
        self.app, self.http = app, http
        self.world = app.store.write_sync(build, SPEC, app.settings.secret_key)
        self.mutation_ids: dict[str, int] = {}

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.world.devices[name].token}"}

    def pull(self, name: str, query: str = "", cursor: str | None = None) -> Any:
        path = "/sync/v1/pull?protocol=2" + (f"&cursor={cursor}" if cursor else "") + query
        return self.http.get(path, headers=self.auth(name))

    def pulled(self, name: str, cursor: str | None = None) -> dict[str, Any]:
        response = self.pull(name, cursor=cursor)
        assert response.status_code == 200, response.text
        return response.json()

    def push(self, name: str, *mutations: dict[str, Any]) -> Any:
        body = {"protocol": 2, "client_id": self.world.devices[name].client_id,
                "app_version": "t", "mutations": list(mutations)}
        return self.http.post("/sync/v1/push", json=body, headers=self.auth(name))

    def mutation(self, name: str, entity: str, case_id: str, payload: dict[str, Any],
                 base_version: int | None = None, attachments: list[Any] | None = None,
                 item_id: str | None = None) -> dict[str, Any]:
        self.mutation_ids[name] = self.mutation_ids.get(name, 0) + 1
        body = {"locale": "en", "client_created_at": "2026-11-20T14:03:07.512Z", **payload}
        return {"mutation_id": self.mutation_ids[name], "id": item_id or str(uuid.uuid4()),
                "entity": entity, "op": "update" if entity == "case" else "create",
                "case_id": case_id, "base_version": base_version, "payload": body,
                "payload_sha256": payload_sha256(body), "attachments": attachments or []}

    def counts(self) -> tuple[int, ...]:
        return self.app.store.read_sync(lambda db: tuple(db.execute(
            f"SELECT count(*) FROM {table}").fetchone()[0] for table in (
                "feed", "feed_positions", "case_items", "audit_log", "sync_mutations")))


@pytest.fixture
def field(make_app):
    app = make_app()
    with app.client() as http:
        yield Field(app, http)


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def test_a_visit_photo_reaches_the_devices_as_a_thumbnail(field):
    first = field.pulled("a")
    data = photo()
    slot = {"id": str(uuid.uuid4()), "question_id": "photos",
            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
            "filename": "bait.jpg", "media_type": "image/jpeg"}
    visit = field.mutation("a", "visit", MORAG_CASE, {
        "started_at": "2026-11-20T13:30:00.000Z", "ended_at": None, "outcome": "completed",
        "summary": "Bait laid."}, attachments=[slot])
    result = field.push("a", visit).json()["results"][0]
    assert result["status"] == "applied" and result["attachments_pending"] == [slot["id"]]
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in (
        ("attachment_id", slot["id"]), ("request_id", MORAG_CASE), ("filename", "bait.jpg")))
    made = field.http.post("/sync/v1/uploads", headers={
        **field.auth("a"), **TUS, "Upload-Length": str(len(data)), "Upload-Metadata": meta})
    assert made.status_code == 201, made.text
    done = field.http.patch(made.headers["location"], content=data, headers={
        **field.auth("a"), **TUS, "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": "0"})
    assert done.status_code == 204, done.text
    page = field.pulled("a", first["cursor"])
    photos = [c for c in page["changes"] if c["kind"] == "photo"]
    assert [p["id"] for p in photos] == [slot["id"]]
    shown = photos[0]["data"]
    assert shown["parent"] == {"kind": "visit", "id": visit["id"]}
    assert shown["sha256"] == slot["sha256"] and shown["media_type"] == "image/webp"
    assert len(shown["thumbnail"]) <= 64 * 1024
    with Image.open(io.BytesIO(base64.b64decode(shown["thumbnail"]))) as small:
        assert small.format == "WEBP" and max(small.size) == 160
        assert (small.width, small.height) == (shown["width"], shown["height"])
    # The same visit sent again: a duplicate, with nothing left to upload.
    again = dict(visit, mutation_id=2)
    result = field.push("a", again).json()["results"][0]
    assert result["status"] == "duplicate" and result["attachments_pending"] == []
    # Olga's device never sees Morag's case, nor its photo.
    assert all(c["case_id"] != MORAG_CASE for c in field.pulled("b")["changes"])


def tampered(cursor: str) -> str:
    body, tag = cursor.split(".")
    return f"{body}.{'A' if tag[0] != 'A' else 'B'}{tag[1:]}"


@pytest.mark.parametrize("make, status, reason", [
    (lambda f, c: f.pull("a", cursor=f.pulled("b")["cursor"]), 400, "bad_cursor"),
    (lambda f, c: f.pull("a", cursor=tampered(c)), 400, "bad_cursor"),
    (lambda f, c: f.pull("a", cursor="bm90LWEtY3Vyc29y.AAAA"), 400, "bad_cursor"),
    (lambda f, c: f.pull("a", cursor="x" * 600), 400, "bad_cursor"),
    (lambda f, c: f.pull("a", "&limit=5000", c), 400, "limit_too_large"),
    (lambda f, c: f.pull("a", "&limit=99999999999999999999", c), 400, "limit_too_large"),
    (lambda f, c: f.pull("a", "&limit=-1", c), 400, "wrong_type"),
    (lambda f, c: f.pull("a", "&limit=0", c), 400, "invalid_value"),
    (lambda f, c: f.pull("a", "&person=Olga", c), 400, "unknown_field"),
    (lambda f, c: f.pull("a", "&limit=5&limit=6", c), 400, "invalid_value"),
    (lambda f, c: f.http.get("/sync/v1/pull?protocol=1", headers=f.auth("a")), 400,
     "unknown_protocol"),
    (lambda f, c: f.http.get("/sync/v1/pull", headers=f.auth("a")), 400, "missing_field"),
    (lambda f, c: f.http.get("/sync/v1/pull?protocol=2"), 401, "missing_token"),
    (lambda f, c: f.http.get("/sync/v1/pull?protocol=2",
                             headers={"Authorization": "Bearer forged.token"}), 401, "bad_token"),
], ids=["other-device", "forged", "garbled", "too-long", "huge-limit", "giant-limit",
        "negative-limit", "zero-limit", "unknown-param", "repeated", "protocol-1",
        "no-protocol", "no-token", "bad-token"])
def test_hostile_pulls_get_4xx_with_a_reason_and_change_nothing(field, make, status, reason):
    cursor = field.pulled("a")["cursor"]
    field.pulled("b")
    before = field.counts()
    response = make(field, cursor)
    assert response.status_code == status, response.text
    assert response.json()["error"] == reason and response.json()["message"]
    assert response.headers["content-type"].startswith("application/json")
    assert field.counts() == before


def test_a_device_that_is_not_a_field_device_may_not_pull(field):
    personal = field.http.post("/sync/v1/clients", json={
        "protocol": 1, "kind": "personal", "app_version": "t"}).json()
    response = field.http.get("/sync/v1/pull?protocol=2", headers={
        "Authorization": f"Bearer {personal['client_token']}"})
    assert response.status_code == 403 and response.json()["error"] == "kind_not_allowed"


def test_a_cursor_from_before_a_reset_gets_the_reset_again(field):
    cursor, olgas = field.pulled("a")["cursor"], field.pulled("b")["cursor"]
    field.app.store.write_sync(lambda db: db.execute(
        "UPDATE requests SET assignee = NULL, team_id = 'field-south' WHERE id = ?",
        [MORAG_CASE]))
    first = field.pulled("a", cursor)
    again = field.pulled("a", cursor)  # the first answer was lost
    for page in (first, again):
        assert page["reset"] == {"reason": "scope_changed", "drop": [MORAG_CASE],
                                 "drop_all": False}
    # Olga's device, which had the south team's case, now gets Morag's whole.
    page = field.pulled("b", olgas)
    assert page["reset"]["reason"] == "scope_changed" and page["reset"]["drop"] == []
    assert {c["case_id"] for c in page["changes"]} == {MORAG_CASE}


def test_a_revoked_device_gets_401_on_pull_and_push(field):
    cursor = field.pulled("a")["cursor"]
    client_id = field.world.devices["a"].client_id
    assert field.app.store.write_sync(sync_clients.revoke_device, client_id, "staff:admin")
    response = field.pull("a", cursor=cursor)
    assert response.status_code == 401 and response.json()["error"] == "revoked_token"
    assert response.headers["www-authenticate"] == "Bearer"
    note = field.mutation("a", "note", MORAG_CASE, {"text": "After revocation"})
    response = field.push("a", note)
    assert response.status_code == 401 and response.json()["error"] == "revoked_token"
    assert field.pulled("b")  # another device is not touched


def test_back_office_work_reaches_the_device_in_one_pull(field):
    cursor = field.pulled("a")["cursor"]
    morag = field.world.people["Morag Fraser"]

    def office(db):
        add_event(db, MORAG_CASE, "status_changed", "waiting_resident", True, "Asked",
                  "staff:x")
        add_event(db, MORAG_CASE, "note", None, False, "Called the tenant", "staff:x")
        outcome = assignment.assign(db, SOUTH_CASE, None, "environmental_health_manager",
                                    "boss", None, morag)
        assert not isinstance(outcome, (assignment.Refused, assignment.Stale)), outcome
    field.app.store.write_sync(office)
    page = field.pulled("a", cursor)
    assert page["more"] is False
    assert page["reset"] == {"reason": "scope_changed", "drop": [], "drop_all": False}
    cases = {c["id"]: c for c in page["changes"] if c["kind"] == "case"}
    assert set(cases) == {MORAG_CASE, SOUTH_CASE}
    assert cases[MORAG_CASE]["data"]["status"] == "waiting_resident"
    texts = {c["data"]["text"] for c in page["changes"] if c["kind"] == "event"}
    assert {"Asked", "Called the tenant"} <= texts
    assert field.pulled("a", page["cursor"])["changes"] == []


def test_field_workers_can_be_assigned_environmental_health_requests(field):
    morag = field.world.people["Morag Fraser"]

    def assign(db):
        return assignment.assign(db, SOUTH_CASE, None, "environmental_health_manager",
                                 "boss", None, morag)
    outcome = field.app.store.write_sync(assign)
    assert not isinstance(outcome, (assignment.Refused, assignment.Stale))
    assert outcome.assignee == morag
    assert "field_worker" in assignment.assignable_roles("planning")
    assert "field_worker" not in assignment.assignable_roles("social-work")


def test_social_work_records_stay_with_social_work_roles_and_their_pulls_are_audited(field):
    def social_work(db):
        db.execute("UPDATE requests SET special_category = 1 WHERE id IN (?, ?)",
                   [MORAG_CASE, SOUTH_CASE])
        db.execute("UPDATE staff SET role = 'social_work_officer' WHERE id = ?",
                   [field.world.people["Olga Nowak"]])
    field.app.store.write_sync(social_work)
    assert field.pulled("a")["changes"] == []  # a field worker: not theirs to read
    refused = field.push("a", field.mutation("a", "note", MORAG_CASE, {"text": "x"}))
    assert refused.json()["results"][0]["reason"] == "unknown_case"
    page = field.pulled("b")
    assert {c["case_id"] for c in page["changes"]} == {SOUTH_CASE}
    entries = [e for e in field.app.store.read_sync(audit.entries)
               if e.action == "field_pull_special_category"]
    assert len(entries) == 1 and entries[0].detail == {"cases": [SOUTH_CASE]}


def test_a_device_whose_person_left_field_work_may_not_pull_or_push(field):
    olga = field.world.people["Olga Nowak"]
    field.app.store.write_sync(lambda db: db.execute(
        "UPDATE staff SET role = 'hub_staff' WHERE id = ?", [olga]))
    response = field.pull("b")
    assert response.status_code == 403 and response.json()["error"] == "kind_not_allowed"
    note = field.mutation("b", "note", SOUTH_CASE, {"text": "Still here"})
    assert field.push("b", note).status_code == 403
    field.app.store.write_sync(lambda db: db.execute(
        "UPDATE staff SET role = 'field_worker', disabled_at = '2026-12-01T00:00:00.000Z'"
        " WHERE id = ?", [olga]))
    assert field.pull("b").status_code == 403
    assert field.pulled("a")  # Morag's device goes on
