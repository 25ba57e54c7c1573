"""The first staff inbox: a service's requests, status changes the resident sees, notes
they do not, and social work records kept to social work officers (and audited)."""

from __future__ import annotations

import csv
import io

import pytest

from server.db import audit
from tests.passkey_authenticator import (
    Browserless,
    make_request,
    sign_in_with_new_passkey,
    staff_id,
)
from tests.support import tracking_token

PLANNER = "planning.officer@midlothian.example"
SOCIAL = "sw.officer@midlothian.example"
ADMIN = "admin@midlothian.example"


@pytest.fixture
def requests_made(store):
    return {
        "old_planning": make_request(store, "planning", "a@example.com", "tree-enquiry"),
        "new_planning": make_request(store, "planning", "b@example.com", "tree-enquiry"),
        "noise": make_request(store, "environmental-health", "c@example.com"),
        "social": make_request(store, "social-work", "d@example.com",
                               "adult-protection-concern", special=True),
    }


def as_staff(client, store, settings, email):
    sign_in_with_new_passkey(client, store, settings.origin, "staff", staff_id(store, email))
    return Browserless(client, settings.origin)


def reference(store, request_id):
    from server.db.requests import by_id
    return store.read_sync(by_id, request_id).reference


def test_officer_sees_their_service_newest_first(client, store, settings, requests_made):
    as_staff(client, store, settings, PLANNER)
    page = client.get("/staff/inbox").text
    new = page.index(reference(store, requests_made["new_planning"]))
    old = page.index(reference(store, requests_made["old_planning"]))
    assert new < old
    assert reference(store, requests_made["noise"]) not in page
    assert reference(store, requests_made["social"]) not in page
    # Services by name, staff words for statuses (they were the slug and the resident's).
    assert "<td>Planning</td>" in page and "<td>planning</td>" not in page
    waiting = client.get("/staff/inbox").text
    assert "Waiting for information from you" not in waiting


def test_inbox_filters_by_status(client, store, settings, requests_made):
    driver = as_staff(client, store, settings, PLANNER)
    target = requests_made["old_planning"]
    driver.post_form(f"/staff/requests/{target}/status", {"status": "waiting_resident"},
                     page=f"/staff/requests/{target}")
    waiting = client.get("/staff/inbox?status=waiting_resident").text
    assert reference(store, target) in waiting
    assert reference(store, requests_made["new_planning"]) not in waiting


def test_status_change_message_is_public_and_note_is_not(client, store, settings,
                                                          requests_made):
    driver = as_staff(client, store, settings, PLANNER)
    target = requests_made["new_planning"]
    page = f"/staff/requests/{target}"
    r = driver.post_form(f"{page}/status", {"status": "in_progress",
                                            "message": "An officer will visit on Monday"},
                         page=page)
    assert r.status_code == 303
    r = driver.post_form(f"{page}/notes", {"note": "Neighbour is hostile"}, page=page)
    assert r.status_code == 303
    staff_view = client.get(page).text
    assert "An officer will visit on Monday" in staff_view
    assert "Neighbour is hostile" in staff_view
    public = client.get(f"/track/{tracking_token(store, settings, target)}").text
    assert "An officer will visit on Monday" in public
    assert "Being dealt with" in public
    assert "Neighbour is hostile" not in public
    done = [e.action for e in store.read_sync(audit.entries, 100)]
    assert "status_changed" in done and "note_added" in done


def test_empty_note_shows_an_error(client, store, settings, requests_made):
    driver = as_staff(client, store, settings, PLANNER)
    page = f"/staff/requests/{requests_made['new_planning']}"
    r = driver.post_form(f"{page}/notes", {"note": " "}, page=page)
    assert r.status_code == 400 and "Enter a note" in r.text


def test_planning_officer_cannot_read_a_social_work_request_and_it_is_audited(
        client, store, settings, requests_made):
    as_staff(client, store, settings, PLANNER)
    target = requests_made["social"]
    r = client.get(f"/staff/requests/{target}")
    assert r.status_code == 403
    refused = [e for e in store.read_sync(audit.entries, 100)
               if e.action == "read_refused" and e.subject == f"request:{target}"]
    assert refused and refused[0].actor == f"staff:{staff_id(store, PLANNER)}"


def test_social_work_reads_are_audited(client, store, settings, requests_made):
    as_staff(client, store, settings, SOCIAL)
    target = requests_made["social"]
    r = client.get(f"/staff/requests/{target}")
    assert r.status_code == 200 and "Hide this page" in r.text
    reads = [e for e in store.read_sync(audit.entries, 100)
             if e.action == "read_special_category" and e.subject == f"request:{target}"]
    assert len(reads) == 1


def test_admin_sees_every_service_but_social_work_and_exports_the_audit_log(
        client, store, settings, requests_made):
    as_staff(client, store, settings, ADMIN)
    page = client.get("/staff/inbox").text
    for name, request_id in requests_made.items():
        assert (reference(store, request_id) in page) == (name != "social")
    assert "Showing 1 to 3 of 3" in page
    assert client.get("/admin/audit").status_code == 200
    exported = client.get("/admin/audit.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {"signed_in", "audit_exported"} <= {row["action"] for row in rows}


def test_admin_cannot_read_note_or_change_a_social_work_request(client, store, settings,
                                                                 requests_made):
    """Issue 10 (high): admins read social work records in full, saw them in their inbox
    and could add notes. Only social work roles may; an admin's try is refused, audited."""
    driver = as_staff(client, store, settings, ADMIN)
    target = requests_made["social"]
    page = f"/staff/requests/{target}"
    assert client.get(page).status_code == 403
    assert driver.post_form(f"{page}/notes", {"note": "Curious"}, page="/staff/inbox"
                            ).status_code == 403
    assert driver.post_form(f"{page}/status", {"status": "in_progress", "message": "x"},
                            page="/staff/inbox").status_code == 403
    assert driver.post_form(f"{page}/seen", {}, page="/staff/inbox").status_code == 403
    files = f"{page}/files/00000000-0000-4000-8000-000000000000"
    assert client.get(files).status_code == 403
    assert client.get(f"{files}/download").status_code == 403
    entries = store.read_sync(audit.entries, 100)
    assert not [e for e in entries if e.action in ("note_added", "status_changed",
                                                   "read_special_category")]
    refused = [e for e in entries if e.action == "read_refused"
               and e.subject == f"request:{target}"]
    assert len(refused) == 6
    as_staff(client, store, settings, SOCIAL)
    assert reference(store, target) in client.get("/staff/inbox").text
    assert client.get(page).status_code == 200


def test_the_inbox_pages_fifty_at_a_time_instead_of_cutting_at_200(client, store, settings):
    """Issue 10: 100 requests pushed by a script pushed everything older out of sight."""
    made = [make_request(store, "planning", f"p{i}@example.com", "tree-enquiry")
            for i in range(203)]
    as_staff(client, store, settings, PLANNER)
    first = client.get("/staff/inbox")
    assert "Showing 1 to 50 of 203" in first.text
    assert reference(store, made[-1]) in first.text
    assert 'rel="next" href="/staff/inbox?page=2"' in first.text
    assert 'rel="prev"' not in first.text and 'aria-current="page"' in first.text
    last = client.get("/staff/inbox?page=5")
    assert "Showing 201 to 203 of 203" in last.text
    assert reference(store, made[0]) in last.text
    assert 'rel="prev" href="/staff/inbox?page=4"' in last.text and 'rel="next"' not in last.text
    assert "Showing 201 to 203" in client.get("/staff/inbox?page=99").text
    assert "Showing 1 to 50" in client.get("/staff/inbox?page=nonsense").text
    waiting = client.get("/staff/inbox?status=waiting_resident")
    assert waiting.status_code == 200 and "There are no requests to show." in waiting.text
