"""Issue 12: teams, "take it", assignment and priority on a request, each a timeline
event naming who did it; managers reassign; two officers changing one request at once
never overwrite each other silently (the version each form carries)."""

from __future__ import annotations

import re

import pytest

from server.db import requests as requests_db
from server.db import teams as teams_db
from server.db.seed import TEAMS
from tests.passkey_authenticator import (
    Browserless,
    make_request,
    sign_in_with_new_passkey,
    staff_id,
)

PLANNER = "planning.officer@midlothian.example"
MANAGER = "planning.manager@midlothian.example"
SOCIAL_MANAGER = "sw.manager@midlothian.example"
ADMIN = "admin@midlothian.example"


def as_staff(client, store, settings, email):
    sign_in_with_new_passkey(client, store, settings.origin, "staff", staff_id(store, email))
    return Browserless(client, settings.origin)


def rendered(client, page):
    """The version and last event the page's forms carry, as a browser would send them."""
    html = client.get(page).text
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    seen = re.search(r'name="seen" value="(\d+)"', html).group(1)
    return {"version": version, "seen": seen}


@pytest.fixture
def planning(store):
    return make_request(store, "planning", "a@example.com", "tree-enquiry")


def stored(store, request_id):
    return store.read_sync(requests_db.by_id, request_id)


def test_every_seeded_team_exists_per_service(store):
    found = {(t.id, t.service) for t in store.read_sync(teams_db.for_service, None)}
    assert {(t, s) for t, s, _n in TEAMS} <= found
    assert {t.id for t in store.read_sync(teams_db.for_service, "environmental-health")} == {
        "food-safety", "pest-control-north", "pest-control-south", "noise"}


def test_take_it_assigns_to_me_and_the_timeline_names_who(client, store, settings, planning):
    driver = as_staff(client, store, settings, PLANNER)
    page = f"/staff/requests/{planning}"
    r = driver.post_form(f"{page}/take", rendered(client, page), page=page)
    assert r.status_code == 303
    assert stored(store, planning).assignee == staff_id(store, PLANNER)
    html = client.get(page).text
    assert "Assigned to Iain Planner" in html
    assert "Iain Planner, Planning officer" in html  # who did it
    assert 'id="take-it"' not in html  # taken already


def test_assign_to_team_and_priority_are_timeline_events(client, store, settings, planning):
    driver = as_staff(client, store, settings, PLANNER)
    page = f"/staff/requests/{planning}"
    r = driver.post_form(f"{page}/assign", {**rendered(client, page),
                                            "team": "planning-enforcement"}, page=page)
    assert r.status_code == 303
    r = driver.post_form(f"{page}/priority", {**rendered(client, page), "priority": "urgent"},
                         page=page)
    assert r.status_code == 303
    found = stored(store, planning)
    assert (found.team_id, found.priority) == ("planning-enforcement", "urgent")
    html = client.get(page).text
    assert "Assigned to Planning enforcement" in html
    assert "Priority set to Urgent" in html
    # Residents never see who deals with it internally.
    kinds = {e.kind for e in store.read_sync(requests_db.public_events, planning)}
    assert not kinds & {"assigned", "priority_changed"}


def test_another_services_team_is_refused(client, store, settings, planning):
    driver = as_staff(client, store, settings, PLANNER)
    page = f"/staff/requests/{planning}"
    r = driver.post_form(f"{page}/assign", {**rendered(client, page), "team": "food-safety"},
                         page=page)
    assert r.status_code == 400
    assert "Choose a team of this service" in r.text
    assert stored(store, planning).team_id is None


def test_an_officer_cannot_take_a_colleagues_request_but_a_manager_can_reassign(
        make_app):
    world = make_app()
    store, settings = world.store, world.settings
    request_id = make_request(store, "planning", "a@example.com", "tree-enquiry")
    page = f"/staff/requests/{request_id}"
    with world.client() as manager_client, world.client() as officer_client:
        manager = as_staff(manager_client, store, settings, MANAGER)
        officer = as_staff(officer_client, store, settings, PLANNER)
        r = manager.post_form(f"{page}/take", rendered(manager_client, page), page=page)
        assert r.status_code == 303
        # The officer is offered no "take it" and is refused if they post it anyway.
        assert 'id="take-it"' not in officer_client.get(page).text
        r = officer.post_form(f"{page}/take", rendered(officer_client, page), page=page)
        assert r.status_code == 400
        assert "Only a manager can reassign it" in r.text
        # The manager hands it to the officer: a reassignment on the timeline.
        r = manager.post_form(f"{page}/assign", {**rendered(manager_client, page),
                                                 "assignee": staff_id(store, PLANNER)},
                              page=page)
        assert r.status_code == 303
        assert stored(store, request_id).assignee == staff_id(store, PLANNER)
        assert "Assigned to Iain Planner" in officer_client.get(page).text


def test_two_officers_at_once_the_second_sees_what_changed(make_app):
    """The bug this pins: the second of two officers with the same request open applied
    their change over the first's without knowing it."""
    world = make_app()
    store, settings = world.store, world.settings
    request_id = make_request(store, "planning", "a@example.com", "tree-enquiry")
    page = f"/staff/requests/{request_id}"
    with world.client() as first_client, world.client() as second_client:
        first = as_staff(first_client, store, settings, PLANNER)
        second = as_staff(second_client, store, settings, MANAGER)
        first_form, second_form = rendered(first_client, page), rendered(second_client, page)
        r = first.post_form(f"{page}/priority", {**first_form, "priority": "urgent"},
                            page=page)
        assert r.status_code == 303
        r = second.post_form(f"{page}/priority", {**second_form, "priority": "low"},
                             page=page)
        assert r.status_code == 409
        assert "This request changed since you opened it" in r.text
        assert "Priority set to Urgent" in r.text  # what changed, and who by
        assert stored(store, request_id).priority == "urgent"
        # A status change rendered before is refused the same way.
        r = second.post_form(f"{page}/status", {**second_form, "status": "in_progress",
                                                "message": "On it"}, page=page)
        assert r.status_code == 409
        assert stored(store, request_id).status == "received"
        # Rendered again, the change goes through.
        r = second.post_form(f"{page}/priority", {**rendered(second_client, page),
                                                  "priority": "low"}, page=page)
        assert r.status_code == 303
        assert stored(store, request_id).priority == "low"


def test_a_form_without_its_version_is_not_applied(client, store, settings, planning):
    driver = as_staff(client, store, settings, PLANNER)
    page = f"/staff/requests/{planning}"
    r = driver.post_form(f"{page}/priority", {"priority": "high"}, page=page)
    assert r.status_code == 409
    assert stored(store, planning).priority == "normal"


def test_social_work_manager_reads_special_category_and_admin_does_not(make_app):
    world = make_app()
    store, settings = world.store, world.settings
    social = make_request(store, "social-work", "d@example.com", "adult-protection-concern",
                          special=True)
    with world.client() as manager_client, world.client() as admin_client:
        as_staff(manager_client, store, settings, SOCIAL_MANAGER)
        as_staff(admin_client, store, settings, ADMIN)
        assert manager_client.get(f"/staff/requests/{social}").status_code == 200
        assert admin_client.get(f"/staff/requests/{social}").status_code == 403


def test_an_admin_is_not_offered_take_it(client, store, settings, planning):
    """An admin is no officer of the service: "take it" would only answer an error."""
    as_staff(client, store, settings, ADMIN)
    page = client.get(f"/staff/requests/{planning}").text
    assert 'id="take-it"' not in page and 'id="assign"' in page


def test_a_manager_puts_officers_in_their_services_teams_only(client, store, settings):
    driver = as_staff(client, store, settings, MANAGER)
    planner = staff_id(store, PLANNER)
    r = driver.post_form("/staff/teams/development-management/members", {"staff": planner},
                         page="/staff/workload")
    assert r.status_code == 303
    assert "development-management" in store.read_sync(teams_db.teams_of, planner)
    r = driver.post_form("/staff/teams/development-management/members",
                         {"staff": planner, "remove": "yes"}, page="/staff/workload")
    assert r.status_code == 303
    assert "development-management" not in store.read_sync(teams_db.teams_of, planner)
    # Another service's team, or someone of another service: refused, nothing changed.
    r = driver.post_form("/staff/teams/food-safety/members", {"staff": planner},
                         page="/staff/workload")
    assert r.status_code == 400
    eh = staff_id(store, "eh.officer@midlothian.example")
    r = driver.post_form("/staff/teams/planning-enforcement/members", {"staff": eh},
                         page="/staff/workload")
    assert r.status_code == 400
    assert "planning-enforcement" not in store.read_sync(teams_db.teams_of, eh)
