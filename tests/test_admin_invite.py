"""Admins invite new staff from the admin pages (issue 5: before, only the CLI could)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from server.db import audit, staff
from tests.passkey_authenticator import Browserless, SoftPasskey
from tests.test_auth_passkeys import enrol


@pytest.fixture
def admin(client, settings, store):
    driver = Browserless(client, settings.origin)
    enrol(driver, store, email="admin@midlothian.example", role="admin")
    return driver


def invite(admin, **data):
    return admin.post_form("/admin/staff/invite", data, page="/admin/staff/invite")


def test_an_admin_invites_an_officer_who_enrols_with_the_link(admin, app, settings, store):
    page = invite(admin, name="Morag Officer", email="Morag.Officer@Midlothian.example",
                  role="environmental-health-officer")
    assert page.status_code == 200, page.text
    assert "Environmental health officer" in page.text
    assert page.headers["cache-control"] == "no-store"
    link = re.search(r"data-tb-invite-link>([^<]+)<", page.text).group(1)
    token = link.rsplit("/", 1)[1]
    made = store.read_sync(staff.by_email, "morag.officer@midlothian.example")
    assert made is not None and made.role == "environmental_health_officer"
    entry = next(e for e in store.read_sync(audit.entries, 50) if e.action == "invite_staff")
    assert entry.actor.startswith("staff:") and entry.subject == f"staff:{made.id}"
    with TestClient(app, base_url=settings.origin) as other:
        officer = Browserless(other, settings.origin)
        assert other.get(f"/enrol/{token}").status_code == 200
        response = officer.register(SoftPasskey(rp_id="localhost"), "enrol", f"/enrol/{token}",
                                    name="Phone")
        assert response.status_code == 200, response.text
        assert other.get("/staff/inbox").status_code == 200


def test_a_blank_or_bad_invite_shows_each_error_and_makes_nobody(admin, store):
    before = len(store.read_sync(staff.everyone))
    page = invite(admin, name="", email="not-an-email", role="emperor")
    assert page.status_code == 400
    assert "There is a problem" in page.text and page.text.count("ds_question__error-message") == 3
    assert "Enter their full name" in page.text
    assert 'href="#role-hub-staff"' in page.text  # the summary links to the first radio
    assert "not-an-email" in page.text  # what they typed is kept
    assert len(store.read_sync(staff.everyone)) == before


def test_inviting_an_existing_member_of_staff_changes_nothing(admin, store):
    first = invite(admin, name="A Person", email="a.person@midlothian.example",
                   role="planning-officer")
    assert first.status_code == 200
    again = invite(admin, name="A Person", email="A.PERSON@midlothian.example", role="admin")
    assert again.status_code == 400 and "already a member of staff" in again.text
    assert store.read_sync(staff.by_email, "a.person@midlothian.example").role == \
        "planning_officer"


def test_the_staff_list_shows_roles_in_words_and_links_to_invite(admin):
    page = admin.client.get("/admin/staff")
    assert 'href="/admin/staff/invite"' in page.text
    assert "Administrator" in page.text and ">admin<" not in page.text


def test_revoke_and_reinvite_ends_every_earlier_unused_invite(admin, store, client):
    """Issue 10: "revoke passkeys and re-invite" left the earlier links valid for 3 days."""
    first = store.write_sync(staff.create_invite, "lost.phone@midlothian.example",
                             "planning_officer", "Lost Phone", "test")
    second = store.write_sync(staff.create_invite, "lost.phone@midlothian.example",
                              "planning_officer", "Lost Phone", "test")
    assert store.read_sync(staff.invited, first) is None  # the second ended the first
    assert store.read_sync(staff.invited, second) is not None
    made = store.read_sync(staff.by_email, "lost.phone@midlothian.example")
    page = admin.post_form(f"/admin/staff/{made.id}/revoke", page="/admin/staff")
    assert page.status_code == 200
    newest = re.search(r"/enrol/([A-Za-z0-9_-]+)", page.text).group(1)
    assert store.read_sync(staff.invited, second) is None
    assert store.read_sync(staff.invited, newest) is not None
    with TestClient(client.app, base_url=str(client.base_url)) as other:
        assert other.get(f"/enrol/{second}").status_code == 410
        assert other.get(f"/enrol/{newest}").status_code == 200
    revoked = [e for e in store.read_sync(audit.entries, 50) if e.action == "invites_revoked"]
    assert len(revoked) == 2 and all(e.subject == f"staff:{made.id}" for e in revoked)
