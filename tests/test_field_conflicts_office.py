"""Issue 14 in the back office: conflicts from the field on the request page (the field,
the office's value, the worker's, the base, who and when, late or not) and on the
supervisors' list; "Keep this value" checked first, CSRF- and version-checked, audited,
applied as an office edit and fed to the devices; visits and notes from the field on
the timeline, late ones marked, their photos as the request's files."""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid

import pytest
from PIL import Image

from server.db import audit, case_fields
from server.db.clock import now_iso
from tests.passkey_authenticator import make_request, staff_id
from tests.test_field_back_office import EH_MANAGER, EH_OFFICER, signed_in
from tests.test_field_sync import MORAG_CASE, field  # noqa: F401  (the fixture)

PLANNING_MANAGER = "planning.manager@midlothian.example"
SW_MANAGER = "sw.manager@midlothian.example"
ADMIN = "admin@midlothian.example"
DEVICE = "7d1b6a8e-0000-4000-8000-00000000abcd"


def field_value(store, case_id, name):
    row = store.read_sync(lambda db: db.execute(
        "SELECT value FROM case_fields WHERE case_id = ? AND name = ?",
        [case_id, name]).fetchone())
    return json.loads(row[0])


def add_conflict(store, case_id, late=False, office="high", worker="medium", base="low"):
    """What a device's overlapping case.update leaves (sync/field_apply.py): the office
    changed risk_level from `base` to `office`, the worker from `base` to `worker`."""
    conflict_id = str(uuid.uuid4())

    def write(db):
        case_fields.set_fields(db, case_id, {"risk_level": office}, case_fields.OFFICE)
        case_fields.add_item(db, "conflict", conflict_id, case_id, {
            "field": "risk_level", "base": base, "server": office, "client": worker,
            "base_version": 1, "by": "Callum Field", "client_id": DEVICE, "late": late,
            "status": "open", "resolution": None})

    store.write_sync(write)
    return conflict_id


def conflict_data(store, conflict_id):
    return store.read_sync(lambda db: (lambda row: (json.loads(row[0]), row[1]))(db.execute(
        "SELECT data, version FROM case_items WHERE id = ?", [conflict_id]).fetchone()))


def case_version(store, case_id):
    return store.read_sync(lambda db: db.execute(
        "SELECT case_version FROM requests WHERE id = ?", [case_id]).fetchone()[0])


@pytest.fixture
def case(store):
    return make_request(store, "environmental-health", "a@example.com")


def test_the_request_page_shows_every_value_of_a_conflict(app, store, settings, case):
    add_conflict(store, case, late=True)
    manager = signed_in(app, store, settings, EH_MANAGER)
    html = manager.client.get(f"/staff/requests/{case}").text
    section = html[html.index('id="conflicts"'):html.index('id="conflicts"') + 6000]
    assert "Risk level" in section
    assert re.search(r'data-tb-value="office">High<', section)
    assert re.search(r'data-tb-value="worker">Medium<', section)
    assert re.search(r'data-tb-value="base">Low<', section)
    assert "Callum Field, device 7d1b6a8e" in section and "Late" in section
    assert 'name="choice"' in section and "Keep this value" in section
    # An officer sees it, but choosing is a manager's.
    officer = signed_in(app, store, settings, EH_OFFICER)
    html = officer.client.get(f"/staff/requests/{case}").text
    assert 'id="conflicts"' in html and 'name="choice"' not in html


def test_supervisors_list_their_services_open_conflicts(app, store, settings, case):
    add_conflict(store, case)
    social = make_request(store, "social-work", "b@example.com", "adult-protection-concern",
                          special=True)
    add_conflict(store, social, worker="low", base="medium")
    manager = signed_in(app, store, settings, EH_MANAGER)
    listed = manager.client.get("/staff/conflicts")
    assert listed.status_code == 200
    assert f'href="/staff/requests/{case}#conflict-' in listed.text
    assert f"/staff/requests/{social}" not in listed.text
    assert 'href="/staff/conflicts"' in manager.client.get("/staff/inbox").text  # header
    planner = signed_in(app, store, settings, PLANNING_MANAGER).client.get("/staff/conflicts")
    assert f"/staff/requests/{case}" not in planner.text and 'id="no-conflicts"' in planner.text
    admin = signed_in(app, store, settings, ADMIN).client.get("/staff/conflicts").text
    assert f"/staff/requests/{case}" in admin and f"/staff/requests/{social}" not in admin
    sw = signed_in(app, store, settings, SW_MANAGER).client.get("/staff/conflicts").text
    assert f"/staff/requests/{social}" in sw
    reads = [(e.actor, e.subject) for e in store.read_sync(audit.entries, 50)
             if e.action == "read_special_category"]
    assert reads == [(f"staff:{staff_id(store, SW_MANAGER)}", f"request:{social}")]
    officer = signed_in(app, store, settings, EH_OFFICER)
    assert 'href="/staff/conflicts"' not in officer.client.get("/staff/inbox").text


def test_keep_this_value_is_checked_then_applied_as_an_office_edit(app, store, settings,
                                                                  case):
    conflict = add_conflict(store, case)
    manager = signed_in(app, store, settings, EH_MANAGER)
    page = f"/staff/requests/{case}"
    version = str(case_version(store, case))
    path = f"{page}/conflicts/{conflict}"
    check = manager.post_form(path, {"choice": "client", "case_version": version}, page=page)
    assert check.status_code == 200 and "Check the value to keep" in check.text
    assert "The field worker&#39;s value: Medium" in check.text
    assert field_value(store, case, "risk_level") == "high"  # nothing yet
    assert conflict_data(store, conflict)[0]["status"] == "open"
    done = manager.post_form(path, {"choice": "client", "case_version": version,
                                    "confirm": "yes"}, page=page)
    assert done.status_code == 303
    assert done.headers["location"] == f"{page}?resolved=1#conflicts"
    assert field_value(store, case, "risk_level") == "medium"
    assert case_version(store, case) == int(version) + 1  # the devices see the case change
    data, item_version = conflict_data(store, conflict)
    assert (data["status"], data["resolution"], item_version) == ("resolved", "medium", 2)
    logged = [e for e in store.read_sync(audit.entries, 50)
              if e.action == "field_conflict_resolved"]
    assert [(e.actor, e.subject) for e in logged] == [
        (f"staff:{staff_id(store, EH_MANAGER)}", f"request:{case}")]
    html = manager.client.get(f"{page}?resolved=1").text
    assert "The conflict is resolved." in html
    assert re.search(r'data-tb-conflict="resolved"', html)
    assert re.search(r'data-tb-value="kept">Medium \(chosen by Shona Health', html)
    assert 'name="choice"' not in html


def test_no_choice_a_stale_page_or_a_second_resolution_change_nothing(app, store, settings,
                                                                      case):
    conflict = add_conflict(store, case)
    manager = signed_in(app, store, settings, EH_MANAGER)
    page = f"/staff/requests/{case}"
    path = f"{page}/conflicts/{conflict}"
    version = str(case_version(store, case))
    empty = manager.post_form(path, {"case_version": version}, page=page)
    assert empty.status_code == 400
    assert "Choose the value to keep" in empty.text and 'id="error-summary"' in empty.text
    assert f'href="#keep-{conflict}-server"' in empty.text
    stale = manager.post_form(path, {"choice": "base", "case_version": "1",
                                     "confirm": "yes"}, page=page)
    assert stale.status_code == 409 and "The case changed since you opened it" in stale.text
    bogus = manager.post_form(path, {"choice": "mine", "case_version": version,
                                     "confirm": "yes"}, page=page)
    assert bogus.status_code == 400
    no_csrf = manager.client.post(path, data={"choice": "base", "case_version": version,
                                              "confirm": "yes"},
                                  headers={"Origin": settings.origin}, follow_redirects=False)
    assert no_csrf.status_code == 403
    assert field_value(store, case, "risk_level") == "high"
    assert conflict_data(store, conflict)[0]["status"] == "open"
    assert manager.post_form(path, {"choice": "base", "case_version": version,
                                    "confirm": "yes"}, page=page).status_code == 303
    again = manager.post_form(path, {"choice": "client", "case_version": str(
        case_version(store, case)), "confirm": "yes"}, page=page)
    assert again.status_code == 409 and "resolved by someone else" in again.text
    assert field_value(store, case, "risk_level") == "low"
    # Another service's manager cannot even see it.
    planner = signed_in(app, store, settings, PLANNING_MANAGER)
    assert planner.post_form(path, {"choice": "client", "case_version": version,
                                    "confirm": "yes"}, page="/staff/conflicts"
                             ).status_code == 403


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def test_visits_and_notes_from_the_field_are_on_the_timeline_late_ones_marked(
        app, store, settings, case):
    photo_id, data = str(uuid.uuid4()), jpeg()

    def write(db):
        db.execute(
            "INSERT INTO attachments (id, request_id, journey, question_id, filename,"
            " media_type, size, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [photo_id, case, "noise-complaint", "photos", "bait.jpg", "image/jpeg", len(data),
             hashlib.sha256(data).hexdigest(), data, now_iso()])
        case_fields.add_item(db, "visit", str(uuid.uuid4()), case, {
            "started_at": "2026-11-20T13:30:00.000Z", "ended_at": None,
            "outcome": "no_access", "summary": "Nobody in; card left.", "at": now_iso(),
            "by": "Callum Field", "late": False, "photos": [photo_id]})
        case_fields.add_item(db, "note", str(uuid.uuid4()), case, {
            "text": "Neighbour says the noise is nightly.", "at": now_iso(),
            "by": "Callum Field", "late": True, "photos": []})

    store.write_sync(write)
    officer = signed_in(app, store, settings, EH_OFFICER)
    html = officer.client.get(f"/staff/requests/{case}").text
    timeline = html[html.index("tb-timeline"):]
    visit = timeline[timeline.index("Visit recorded in the field"):]
    visit = visit[:visit.index("</li>")]
    assert "No access" in visit and "Nobody in; card left." in visit
    assert "By: Callum Field" in visit and "data-tb-late" not in visit
    assert f"/staff/requests/{case}/files/{photo_id}" in visit
    note = timeline[timeline.index("Note from the field"):]
    note = note[:note.index("</li>")]
    assert "Neighbour says the noise is nightly." in note and "data-tb-late" in note
    # The photo is sent as every file is (web/downloads.py), to those who may read it.
    got = officer.client.get(f"/staff/requests/{case}/files/{photo_id}/download")
    assert got.status_code == 200 and got.content[:2] == b"\xff\xd8"


# Through the real push (protocol 2), as a field device sends them.


def test_a_note_pushed_after_reassignment_shows_late_in_the_office(field, settings):  # noqa: F811
    store = field.app.store
    officer = staff_id(store, EH_OFFICER)
    store.write_sync(lambda db: db.execute("UPDATE requests SET assignee = ?, team_id = NULL"
                                           " WHERE id = ?", [officer, MORAG_CASE]))
    note = field.mutation("a", "note", MORAG_CASE, {"text": "Left a card; no answer."})
    result = field.push("a", note).json()["results"][0]
    assert result["status"] == "applied" and result["late"] is True
    manager = signed_in(field.app.app, store, field.app.settings, EH_MANAGER)
    html = manager.client.get(f"/staff/requests/{MORAG_CASE}").text
    entry = html[html.index("Note from the field"):]
    entry = entry[:entry.index("</li>")]
    assert "Left a card; no answer." in entry and "data-tb-late" in entry
    assert "By: Morag Fraser" in entry


def test_a_pushed_conflict_is_resolved_in_the_office_and_the_device_hears(field):  # noqa: F811
    store = field.app.store
    first = field.pulled("a")
    base = next(c["version"] for c in first["changes"]
                if c["kind"] == "case" and c["id"] == MORAG_CASE)
    store.write_sync(case_fields.set_fields, MORAG_CASE, {"hazards": "Dog"},
                     case_fields.OFFICE)
    update = field.mutation("a", "case", MORAG_CASE, {"fields": {"hazards": "Needles"}},
                            base_version=base)
    result = field.push("a", update).json()["results"][0]
    assert result["status"] == "conflict"
    [conflict] = result["conflicts"]
    manager = signed_in(field.app.app, store, field.app.settings, EH_MANAGER)
    page = f"/staff/requests/{MORAG_CASE}"
    html = manager.client.get(page).text
    assert re.search(r'data-tb-value="office">Dog<', html)
    assert re.search(r'data-tb-value="worker">Needles<', html)
    assert re.search(r'data-tb-value="base">Not set<', html)
    done = manager.post_form(f"{page}/conflicts/{conflict['conflict_id']}", {
        "choice": "client", "case_version": str(case_version(store, MORAG_CASE)),
        "confirm": "yes"}, page=page)
    assert done.status_code == 303
    later = field.pulled("a", first["cursor"])["changes"]
    resolved = next(c for c in later if c["kind"] == "conflict")
    assert (resolved["data"]["status"], resolved["data"]["resolution"]) == ("resolved",
                                                                           "Needles")
    case = next(c for c in later if c["kind"] == "case")
    assert case["data"]["hazards"] == "Needles"
