"""Issue 15, "missing that admins expect": an admin home, deactivating a leaver, changing
a role, assigning hub staff to hubs, and an audit log that names people and requests."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from starlette.testclient import TestClient

from server.db import audit, seed, staff, staff_changes
from server.db.requests import by_id as request_by_id
from tests.passkey_authenticator import (
    Browserless,
    SoftPasskey,
    make_request,
    sign_in_with_new_passkey,
    staff_id,
)
from tests.test_auth_passkeys import enrol

PLANNER = "planning.officer@midlothian.example"
HUB = "hub.staff@midlothian.example"
ADMIN = "admin@midlothian.example"


@pytest.fixture
def admin(client, settings, store):
    driver = Browserless(client, settings.origin)
    enrol(driver, store, email=ADMIN, role="admin")
    return driver


@pytest.fixture
def planner(app, settings, store):
    """The planning officer, signed in on their own device."""
    with TestClient(app, base_url=settings.origin) as other:
        key = sign_in_with_new_passkey(other, store, settings.origin, "staff",
                                       staff_id(store, PLANNER))
        assert other.get("/staff/inbox").status_code == 200
        yield other, key


def post(admin, path, **data):
    return admin.post_form(path, data, page="/admin/staff")


def entries(store, action):
    return [e for e in store.read_sync(audit.entries, 1000) if e.action == action]


def test_the_admin_home_links_what_an_admin_can_do_with_counts(admin, store):
    post(admin, "/admin/staff/invite", name="New Person", email="new.person@midlothian.example",
         role="field-worker")
    page = admin.client.get("/admin")
    assert page.status_code == 200
    active = len(store.read_sync(staff.everyone))
    assert f'data-tb-count="active-staff">{active}<' in page.text
    assert 'data-tb-count="pending-invites">1<' in page.text
    links = re.findall(r'<li><a href="([^"]+)">', page.text)
    assert {"/admin/staff", "/admin/staff/invite", "/admin/audit", "/admin/feedback"} <= set(links)
    for href in links:
        assert admin.client.get(href).status_code == 200, href


def test_deactivating_a_leaver_ends_everything_but_their_name(admin, planner, store):
    other, key = planner
    leaver = staff_id(store, PLANNER)
    unused = store.write_sync(staff.create_invite, PLANNER, "planning_officer", "Iain Planner",
                              "test")
    confirm = admin.client.get(f"/admin/staff/{leaver}/deactivate")
    assert confirm.status_code == 200 and "Yes, deactivate Iain Planner" in confirm.text
    assert store.read_sync(staff_changes.active, leaver) is not None  # nothing done yet
    done = post(admin, f"/admin/staff/{leaver}/deactivate")
    assert done.status_code == 303 and done.headers["location"] == "/admin/staff?done=deactivated"
    # Their open session ended at once; the passkey and the invite no longer work.
    assert other.get("/staff/inbox", follow_redirects=False).status_code == 303
    assert Browserless(other, admin.origin).sign_in(key).status_code == 403
    assert other.get(f"/enrol/{unused}").status_code == 410
    # History kept: the row, the name on records and in the audit log.
    assert store.read_sync(staff.by_ids, [leaver])[leaver].name == "Iain Planner"
    [entry] = entries(store, "staff_deactivated")
    assert entry.subject == f"staff:{leaver}" and entry.detail == {"invites_revoked": 1}
    assert "Iain Planner" in admin.client.get("/admin/audit").text
    listing = admin.client.get("/admin/staff?done=deactivated").text
    former = listing.split('id="former-staff"')[1]
    assert "Iain Planner" in former and "They have been deactivated" in listing


def test_a_leaver_comes_back_only_by_a_fresh_invite(admin, app, settings, store):
    leaver = staff_id(store, PLANNER)
    post(admin, f"/admin/staff/{leaver}/deactivate")
    page = post(admin, "/admin/staff/invite", name="Iain Planner", email=PLANNER,
                role="planning-officer")
    assert page.status_code == 200, page.text
    token = re.search(r"data-tb-invite-link>[^<]*/enrol/([^<]+)<", page.text).group(1)
    assert store.read_sync(staff_changes.active, leaver) is None  # not until they enrol
    with TestClient(app, base_url=settings.origin) as other:
        response = Browserless(other, settings.origin).register(
            SoftPasskey(rp_id="localhost"), "enrol", f"/enrol/{token}", name="Phone")
        assert response.status_code == 200, response.text
        assert other.get("/staff/inbox").status_code == 200
    assert store.read_sync(staff_changes.active, leaver) is not None


def test_an_admin_cannot_deactivate_themselves(admin, store):
    me = staff_id(store, ADMIN)
    page = admin.client.get(f"/admin/staff/{me}/deactivate")
    assert page.status_code == 200 and "Yes, deactivate" not in page.text
    assert "You cannot deactivate yourself" in page.text
    refused = post(admin, f"/admin/staff/{me}/deactivate")
    assert refused.status_code == 409
    assert store.read_sync(staff_changes.active, me) is not None


def test_a_role_change_is_confirmed_first_then_made_and_audited(admin, planner, store):
    other, _key = planner
    officer = staff_id(store, PLANNER)
    form = admin.client.get(f"/admin/staff/{officer}/role")
    assert 'value="planning-officer" checked' in form.text
    confirm = post(admin, f"/admin/staff/{officer}/role", role="field-worker")
    assert confirm.status_code == 200 and "Check the new role of Iain Planner" in confirm.text
    assert store.read_sync(staff.by_id, officer).role == "planning_officer"
    done = post(admin, f"/admin/staff/{officer}/role", role="field-worker", confirm="yes")
    assert done.status_code == 303
    assert store.read_sync(staff.by_id, officer).role == "field_worker"
    [entry] = entries(store, "staff_role_changed")
    assert entry.detail == {"from": "planning_officer", "to": "field_worker"}
    assert other.get("/staff/inbox").status_code == 403  # from their next page


def test_a_role_change_without_a_role_shows_the_error(admin, store):
    officer = staff_id(store, PLANNER)
    page = post(admin, f"/admin/staff/{officer}/role", role="")
    assert page.status_code == 400 and "Choose their role" in page.text
    assert post(admin, f"/admin/staff/{officer}/role", role="emperor").status_code == 400
    assert store.read_sync(staff.by_id, officer).role == "planning_officer"


def test_an_admin_cannot_remove_their_own_admin_role(admin, store):
    me = staff_id(store, ADMIN)
    refused = post(admin, f"/admin/staff/{me}/role", role="planning-officer", confirm="yes")
    assert refused.status_code == 409
    assert "You cannot remove your own administrator role" in refused.text
    assert store.read_sync(staff.by_id, me).role == "admin"
    assert not entries(store, "staff_role_changed")


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(store):
    only = store.read_sync(staff.by_email, ADMIN)
    assert store.read_sync(staff_changes.would_leave_no_admin, only, None)
    assert store.read_sync(staff_changes.would_leave_no_admin, only, "field_worker")
    assert not store.read_sync(staff_changes.would_leave_no_admin, only, "admin")
    store.write_sync(staff.upsert_staff, "second.admin@midlothian.example", "Second", "admin")
    assert not store.read_sync(staff_changes.would_leave_no_admin, only, None)


def test_hub_staff_are_assigned_to_a_hub_and_it_is_audited(admin, store):
    morag = staff_id(store, HUB)
    listing = admin.client.get("/admin/staff").text
    assert f'<select class="ds_select" id="hub-{morag}" name="hub">' in listing
    done = post(admin, f"/admin/staff/{morag}/hub", hub="penicuik")
    assert done.status_code == 303
    assert store.read_sync(staff.by_id, morag).hub_id == "penicuik"
    [entry] = entries(store, "staff_hub_assigned")
    assert entry.detail == {"from": "dalkeith", "to": "penicuik"}
    assert '<option value="penicuik" selected>' in admin.client.get("/admin/staff").text
    # Only hub staff have a hub, and only one that exists.
    assert post(admin, f"/admin/staff/{morag}/hub", hub="atlantis").status_code == 400
    planner = staff_id(store, PLANNER)
    assert post(admin, f"/admin/staff/{planner}/hub", hub="dalkeith").status_code == 400


def test_the_library_hubs_are_seeded_when_none_are(make_app):
    bare = make_app(seeded=False)
    bare.store.write_sync(seed.seed_hubs_if_none)
    hubs = bare.store.read_sync(staff_changes.hubs)
    assert {h.id for h in hubs} == {h[0] for h in seed.HUBS}
    bare.store.write_sync(lambda db: db.execute("DELETE FROM hubs WHERE id != 'dalkeith'"))
    bare.store.write_sync(seed.seed_hubs_if_none)  # a council's own hubs are left alone
    assert [h.id for h in bare.store.read_sync(staff_changes.hubs)] == ["dalkeith"]


def test_the_audit_log_names_people_and_requests_and_the_csv_keeps_ids(admin, store):
    request_id = make_request(store, "planning", "someone@example.com",
                              journey="tree-enquiry")
    reference = store.read_sync(request_by_id, request_id).reference
    noted = admin.post_form(f"/staff/requests/{request_id}/notes", {"note": "Called them"},
                            page=f"/staff/requests/{request_id}")
    assert noted.status_code == 303
    me = staff_id(store, ADMIN)
    name = store.read_sync(staff.by_id, me).name
    page = admin.client.get("/admin/audit").text
    table = page.split("<tbody>")[1]
    assert reference in table and name in table
    assert "Added a note" in table and "note_added" not in table
    assert f"staff:{me}" not in table and f"request:{request_id}" not in table
    rows = list(csv.DictReader(io.StringIO(admin.client.get("/admin/audit.csv").text)))
    read = next(r for r in rows if r["action"] == "note_added")
    assert read["actor"] == f"staff:{me}" and read["actor_name"] == name
    assert read["subject"] == f"request:{request_id}" and read["subject_name"] == reference
    assert json.loads(read["detail"]) is not None


def test_the_audit_log_escapes_what_it_shows_as_it_is(admin, store):
    """A refused path is shown as it was asked for: escaped, never as markup."""
    store.write_sync(audit.record, "staff:nobody", "access_refused",
                     "/staff/<script>alert(1)</script>")
    page = admin.client.get("/admin/audit").text
    assert "<script>alert(1)" not in page and "/staff/&lt;script&gt;alert(1)" in page
    assert "Member of staff" in page  # a staff actor without a name: its kind
