"""Issue 12: the staff queue. Filters (status, priority, assignee, area, age), sorts,
full-text search kept in step with the request in the same transaction and scoped to
what the reader may read, saved views with their counts, and bulk changes checked first
and applied in one transaction, skipped rows saying why."""

from __future__ import annotations

import re
import uuid

import pytest

from server.casework import queue
from server.casework.status import STATUS
from server.db import queues
from server.db import requests as requests_db
from server.db import teams as teams_db
from tests.passkey_authenticator import (
    Browserless,
    make_request,
    sign_in_with_new_passkey,
    staff_id,
)

PLANNER = "planning.officer@midlothian.example"
MANAGER = "planning.manager@midlothian.example"
SOCIAL = "sw.officer@midlothian.example"
EH = "eh.officer@midlothian.example"


def as_staff(client, store, settings, email):
    sign_in_with_new_passkey(client, store, settings.origin, "staff", staff_id(store, email))
    return Browserless(client, settings.origin)


def request_with(store, service, journey, answers, special=False):
    new = requests_db.NewRequest(
        id=str(uuid.uuid4()), journey=journey, service=service, form_version=1,
        answers=answers, channel="web", special_category=special, contact_name="T",
        contact_email="t@example.com", contact_phone=None, locale="en")
    created = store.write_sync(requests_db.create_request, new,
                               lambda: f"MLC-{uuid.uuid4().hex[:6].upper()}")
    return created.request


def ref(store, request_id):
    return store.read_sync(requests_db.by_id, request_id).reference


@pytest.fixture
def pests(store):
    south = request_with(store, "environmental-health", "pest-control", {
        "pest": "rats", "property_address": {"line1": "12 High Street", "line2": None,
                                             "town": "Dalkeith", "postcode": "EH22 1AE"}})
    north = request_with(store, "environmental-health", "pest-control", {
        "pest": "wasps", "property_address": {"line1": "3 Mill Lane", "line2": None,
                                              "town": "Loanhead", "postcode": "EH20 9LA"}})
    return south, north


def test_search_finds_reference_address_and_answers(client, store, settings, pests):
    south, north = pests
    as_staff(client, store, settings, EH)
    for q in ("Dalkeith", "high street", "rats", south.reference, "eh22"):
        page = client.get("/staff/inbox", params={"q": q}).text
        assert south.reference in page, q
        assert north.reference not in page, q


def test_search_operators_are_words_not_syntax(client, store, settings, pests):
    as_staff(client, store, settings, EH)
    for q in ('"', "rats OR", "NEAR(", "*", "a:b", "-rats"):
        assert client.get("/staff/inbox", params={"q": q}).status_code == 200


def test_search_index_changes_in_the_same_transaction_as_the_answers(store, pests):
    south, _north = pests
    scope = queues.Scope("environmental-health", False)

    def change(db):
        db.execute("UPDATE requests SET answers = ? WHERE id = ?",
                   ['{"pest": "mice"}', south.id])
        return queues.count(db, scope, queues.QueueFilter(q="mice"))

    assert store.write_sync(change) == 1
    assert store.read_sync(queues.count, scope, queues.QueueFilter(q="rats")) == 0


def test_search_never_shows_special_category_to_others(client, store, settings):
    social = request_with(store, "social-work", "adult-protection-concern",
                          {"concern": "Neighbour Zebedee is hurt"}, special=True)
    scope_planning = queues.Scope("planning", False)
    scope_admin = queues.Scope(None, False)
    scope_social = queues.Scope("social-work", True)
    f = queues.QueueFilter(q="Zebedee")
    assert store.read_sync(queues.count, scope_planning, f) == 0
    assert store.read_sync(queues.count, scope_admin, f) == 0
    assert store.read_sync(queues.count, scope_social, f) == 1
    as_staff(client, store, settings, SOCIAL)
    assert social.reference in client.get("/staff/inbox", params={"q": "zebedee"}).text


def test_area_filter_uses_the_postcode_district(client, store, settings, pests):
    south, north = pests
    as_staff(client, store, settings, EH)
    page = client.get("/staff/inbox", params={"area": "eh22"}).text
    assert south.reference in page and north.reference not in page


def test_filters_by_priority_assignee_and_status(client, store, settings):
    a = make_request(store, "planning", "a@example.com", "tree-enquiry")
    b = make_request(store, "planning", "b@example.com", "tree-enquiry")
    me = staff_id(store, PLANNER)
    store.write_sync(teams_db.set_priority, a, "urgent")
    store.write_sync(teams_db.set_assignment, b, "planning-enforcement", me)
    as_staff(client, store, settings, PLANNER)
    urgent = client.get("/staff/inbox?priority=urgent").text
    assert ref(store, a) in urgent and ref(store, b) not in urgent
    mine = client.get("/staff/inbox?assignee=me").text
    assert ref(store, b) in mine and ref(store, a) not in mine
    team = client.get("/staff/inbox?assignee=team").text
    assert ref(store, b) in team and ref(store, a) not in team
    nobody = client.get("/staff/inbox?assignee=unassigned").text
    assert ref(store, a) in nobody and ref(store, b) not in nobody
    first = list(STATUS)[0]
    assert ref(store, a) in client.get(f"/staff/inbox?status={first}").text
    others = "&".join(f"status={s}" for s in list(STATUS)[1:])
    assert ref(store, a) not in client.get(f"/staff/inbox?{others}").text


def test_sort_by_priority_puts_urgent_first(client, store, settings):
    low = make_request(store, "planning", "a@example.com", "tree-enquiry")
    urgent = make_request(store, "planning", "b@example.com", "tree-enquiry")
    store.write_sync(teams_db.set_priority, low, "low")
    store.write_sync(teams_db.set_priority, urgent, "urgent")
    as_staff(client, store, settings, PLANNER)
    page = client.get("/staff/inbox?sort=priority").text
    assert page.index(ref(store, urgent)) < page.index(ref(store, low))
    page = client.get("/staff/inbox?sort=oldest").text
    assert page.index(ref(store, low)) < page.index(ref(store, urgent))


def test_older_than_leaves_out_new_requests(client, store, settings):
    new = make_request(store, "planning", "a@example.com", "tree-enquiry")
    as_staff(client, store, settings, PLANNER)
    assert ref(store, new) not in client.get("/staff/inbox?older=2").text
    assert ref(store, new) in client.get("/staff/inbox").text


def test_filters_not_understood_are_dropped():
    chosen = queue.choose([("status", "nonsense"), ("priority", "huge"), ("area", "12 3"),
                           ("older", "-4"), ("sort", "random"), ("assignee", "bob")])
    assert chosen == queue.Chosen()


def test_saved_view_keeps_its_filters_and_shows_its_count(client, store, settings):
    a = make_request(store, "planning", "a@example.com", "tree-enquiry")
    store.write_sync(teams_db.set_priority, a, "urgent")
    make_request(store, "planning", "b@example.com", "tree-enquiry")
    driver = as_staff(client, store, settings, PLANNER)
    r = driver.post_form("/staff/inbox/views", {"name": "Urgent ones",
                                                "query": "priority=urgent&sort=oldest"},
                         page="/staff/inbox")
    assert r.status_code == 303
    page = client.get("/staff/inbox").text
    assert re.search(r'href="/staff/inbox\?priority=urgent&amp;sort=oldest">Urgent ones</a>'
                     r' <span class="ds_tag" id="view-count-\d+">1 request</span>', page)
    r = driver.post_form("/staff/inbox/views", {"name": " ", "query": ""}, page="/staff/inbox")
    assert r.status_code == 400 and "Enter a name for the view" in r.text


def test_the_filter_form_is_accessible_without_javascript(client, store, settings):
    as_staff(client, store, settings, PLANNER)
    page = client.get("/staff/inbox").text
    assert '<form method="get" action="/staff/inbox"' in page
    assert "<fieldset>" in page and "<legend>Status</legend>" in page
    for field in ("q", "priority", "assignee", "area", "older", "sort"):
        assert f'for="{field}"' in page
    assert 'role="status" id="inbox-status"' in page


def test_bulk_checks_first_then_applies_with_each_change_on_its_timeline(
        client, store, settings):
    a = make_request(store, "planning", "a@example.com", "tree-enquiry")
    b = make_request(store, "planning", "b@example.com", "tree-enquiry")
    driver = as_staff(client, store, settings, PLANNER)
    check = driver.post_form("/staff/inbox/bulk", {"ids": [a, b], "action": "priority:high"},
                             page="/staff/inbox")
    assert check.status_code == 200 and "Check your changes" in check.text
    assert store.read_sync(requests_db.by_id, a).priority == "normal"  # not yet
    versions = dict(re.findall(r'name="version-([^"]+)" value="(\d+)"', check.text))
    # Meanwhile a colleague changes b: it is skipped, saying why.
    store.write_sync(teams_db.set_priority, b, "low")
    done = driver.post_form("/staff/inbox/bulk", {
        "ids": [a, b], "action": "priority:high", "confirm": "yes",
        **{f"version-{i}": v for i, v in versions.items()}}, page="/staff/inbox")
    assert done.status_code == 200
    assert "1 request changed." in done.text
    assert "It changed since you checked" in done.text
    assert store.read_sync(requests_db.by_id, a).priority == "high"
    assert store.read_sync(requests_db.by_id, b).priority == "low"
    kinds = [e.kind for e in store.read_sync(requests_db.all_events, a)]
    assert "priority_changed" in kinds


def test_bulk_never_touches_what_the_reader_may_not_read(client, store, settings):
    social = make_request(store, "social-work", "d@example.com", "adult-protection-concern",
                          special=True)
    driver = as_staff(client, store, settings, PLANNER)
    r = driver.post_form("/staff/inbox/bulk", {"ids": [social], "action": "priority:urgent",
                                                "confirm": "yes", f"version-{social}": "1"},
                         page="/staff/inbox")
    assert r.status_code == 400
    assert store.read_sync(requests_db.by_id, social).priority == "normal"


def test_workload_counts_open_requests_per_officer_and_team(client, store, settings):
    a = make_request(store, "planning", "a@example.com", "tree-enquiry")
    make_request(store, "planning", "b@example.com", "tree-enquiry")
    store.write_sync(teams_db.set_assignment, a, "planning-enforcement",
                     staff_id(store, PLANNER))
    as_staff(client, store, settings, MANAGER)
    page = client.get("/staff/workload").text
    assert re.search(r"<th scope=\"row\">Iain Planner</th><td>1</td>", page)
    assert re.search(r"<th scope=\"row\">Planning enforcement</th><td>1</td>", page)
    assert "1 open request is not assigned to an officer." in page
    assert "Food safety" not in page  # another service's team


def test_bulk_status_applies_as_the_status_form_would_or_says_why(client, store, settings):
    from server.casework.actions import status_change_problem
    from server.casework.status import OPEN_STATUSES
    a = make_request(store, "planning", "a@example.com", "tree-enquiry")
    b = make_request(store, "planning", "b@example.com", "tree-enquiry")
    current = store.read_sync(requests_db.by_id, a).status
    simple = next(s for s in OPEN_STATUSES if s != current)
    closing = next(s for s in STATUS if s not in OPEN_STATUSES)
    driver = as_staff(client, store, settings, PLANNER)

    def bulk(ids, status):
        check = driver.post_form("/staff/inbox/bulk", {"ids": ids, "action": f"status:{status}"},
                                 page="/staff/inbox")
        versions = dict(re.findall(r'name="version-([^"]+)" value="(\d+)"', check.text))
        return driver.post_form("/staff/inbox/bulk", {
            "ids": ids, "action": f"status:{status}", "confirm": "yes",
            **{f"version-{i}": v for i, v in versions.items()}}, page="/staff/inbox")

    assert "1 request changed." in bulk([a], simple).text
    assert store.read_sync(requests_db.by_id, a).status == simple
    events = store.read_sync(requests_db.public_events, a)
    assert events[-1].kind == "status_changed"  # the resident sees it, as from the form
    problem = status_change_problem(current, closing, "", "")
    done = bulk([b], closing)
    if problem is None:
        assert store.read_sync(requests_db.by_id, b).status == closing
    else:  # closing needs an outcome: the status form's own reason, nothing changed
        assert "0 requests changed." in done.text
        assert problem.message in done.text
        assert store.read_sync(requests_db.by_id, b).status == current


def test_one_teams_queue(client, store, settings):
    a = make_request(store, "planning", "a@example.com", "tree-enquiry")
    b = make_request(store, "planning", "b@example.com", "tree-enquiry")
    store.write_sync(teams_db.set_assignment, a, "development-management", None)
    as_staff(client, store, settings, PLANNER)
    page = client.get("/staff/inbox?assignee=team:development-management").text
    assert ref(store, a) in page and ref(store, b) not in page
    assert 'value="team:development-management" selected' in page
    # Another service's team lists nothing of it: the reader's scope bounds the filter.
    food = make_request(store, "environmental-health", "c@example.com")
    store.write_sync(teams_db.set_assignment, food, "food-safety", None)
    assert ref(store, food) not in client.get("/staff/inbox?assignee=team:food-safety").text
