"""Issue 12: due dates in the queues. Each inbox row shows its due date and an Overdue
or Due soon tag; the due filters keep only those (worked out from the events, bounded
by the reader's scope); the workload counts overdue requests per officer and team."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from server.casework import queue, sla
from server.db.requests import ClockEvent
from server.forms.definition import Targets
from tests.casework_history import at, seed
from tests.passkey_authenticator import staff_id
from tests.test_queues import as_staff

PLANNER = "planning.officer@midlothian.example"
MANAGER = "planning.manager@midlothian.example"
TREE = Targets(5, 20)  # tree-enquiry's targets


def due_soon_day():
    """A day a tree enquiry received on, unanswered, is due soon today."""
    today = sla.today()
    for back in range(1, 15):
        day = today - timedelta(days=back)
        clock = sla.clock(TREE, [ClockEvent(at(day), "created", "received")], (), today)
        if clock.state == sla.DUE_SOON:
            return day
    raise AssertionError("no day found")  # pragma: no cover


@pytest.fixture
def late(store):
    today = sla.today()
    made = {}

    def write(db):
        officer = staff_id(store, PLANNER)
        made["overdue"] = seed(db, "planning", "tree-enquiry", today - timedelta(days=40),
                               team="planning-enforcement", assignee=officer)
        made["soon"] = seed(db, "planning", "tree-enquiry", due_soon_day())
        made["fresh"] = seed(db, "planning", "tree-enquiry", today)
        made["closed"] = seed(db, "planning", "tree-enquiry", today - timedelta(days=60), (
            (today - timedelta(days=5), "status_changed", "resolved"),))
        made["other"] = seed(db, "environmental-health", "pest-control",
                             today - timedelta(days=40))
        made["special"] = seed(db, "social-work", "care-needs-assessment",
                               today - timedelta(days=60), special=True)
    store.write_sync(write)
    return {k: store.read_sync(lambda db, i=v: db.execute(
        "SELECT reference FROM requests WHERE id = ?", [i]).fetchone()[0])
        for k, v in made.items()} | {"ids": made}


def row_of(html, request_id):
    found = re.search(rf'<td class="tb-due" id="due-{request_id}">(.*?)</td>', html)
    assert found, f"no due cell for {request_id}"
    return found.group(1)


def test_each_inbox_row_shows_its_due_date_and_tag(client, store, settings, late):
    as_staff(client, store, settings, PLANNER)
    html = client.get("/staff/inbox").text
    ids = late["ids"]
    assert "Overdue" in row_of(html, ids["overdue"]) and "<time datetime=" in row_of(
        html, ids["overdue"])
    assert "Due soon" in row_of(html, ids["soon"])
    fresh = row_of(html, ids["fresh"])
    assert "<time datetime=" in fresh and "ds_tag" not in fresh
    assert row_of(html, ids["closed"]) == ""  # closed: no due date


def test_the_due_filters_keep_only_overdue_or_due_soon(client, store, settings, late):
    as_staff(client, store, settings, PLANNER)
    overdue = client.get("/staff/inbox?due=overdue").text
    assert late["overdue"] in overdue
    assert all(late[k] not in overdue for k in ("soon", "fresh", "closed", "other"))
    assert "Showing 1 to 1 of 1" in overdue and '<option value="overdue" selected>' in overdue
    soon = client.get("/staff/inbox?due=due_soon").text
    assert late["soon"] in soon and late["overdue"] not in soon and late["fresh"] not in soon
    # With the other filters: both must hold.
    assert late["overdue"] not in client.get("/staff/inbox?due=overdue&priority=high").text
    assert late["overdue"] in client.get("/staff/inbox?due=overdue&assignee=me").text


def test_the_due_filter_never_lists_what_the_reader_may_not_read(client, store, settings,
                                                                  late):
    as_staff(client, store, settings, "admin@midlothian.example")
    overdue = client.get("/staff/inbox?due=overdue").text
    assert late["overdue"] in overdue and late["other"] in overdue
    assert late["special"] not in overdue


def test_a_saved_view_with_a_due_filter_counts_it(client, store, settings, late):
    officer = as_staff(client, store, settings, PLANNER)
    assert officer.post_form("/staff/inbox/views", {"name": "Late", "query": "due=overdue"},
                             page="/staff/inbox").status_code == 303
    html = client.get("/staff/inbox").text
    assert re.search(r'href="/staff/inbox\?due=overdue">Late</a> <span class="ds_tag"'
                     r' id="view-count-\d+">1 request</span>', html), html


def test_the_workload_counts_overdue_per_officer_and_team(client, store, settings, late):
    as_staff(client, store, settings, MANAGER)
    html = client.get("/staff/workload").text
    assert re.search(r'<th scope="row">Iain Planner</th><td>1</td><td>1</td>', html)
    assert re.search(r'<th scope="row">Planning enforcement</th><td>1</td><td>1</td>', html)
    assert "1 open request is overdue." in html


def test_a_due_filter_not_understood_is_dropped():
    assert queue.choose({"due": "yesterday"}).due == ""
    assert queue.choose({"due": "overdue"}).query() == "due=overdue"


def test_when_the_scan_is_capped_overdue_looks_at_the_oldest_and_due_soon_the_newest(
        store, world, late, monkeypatch):
    """A backlog larger than the scan must not hide the newest due-soon requests (nor
    the oldest overdue ones)."""
    from server.db import queues

    scope = queues.Scope("planning", False)
    forms = world.app.state.forms
    older = store.write_sync(lambda db: seed(db, "planning", "tree-enquiry",
                                             sla.today() - timedelta(days=30)))
    monkeypatch.setattr(queue, "DUE_SCAN_MAX", 2)
    # Open planning requests, oldest first: overdue, older (overdue), soon, fresh.
    soon = store.read_sync(queue.with_due, forms, scope, queues.QueueFilter(), "due_soon")
    assert [r.id for r in soon] == [late["ids"]["soon"]]
    overdue = store.read_sync(queue.with_due, forms, scope,
                              queues.QueueFilter(sort="oldest"), "overdue")
    assert [r.id for r in overdue] == [late["ids"]["overdue"], older]


def test_the_workload_counts_every_overdue_request_whatever_the_scan_cap(
        client, store, settings, late, monkeypatch):
    store.write_sync(lambda db: seed(db, "planning", "tree-enquiry",
                                     sla.today() - timedelta(days=30),
                                     team="planning-enforcement"))
    monkeypatch.setattr(queue, "DUE_SCAN_MAX", 1)
    as_staff(client, store, settings, MANAGER)
    html = client.get("/staff/workload").text
    assert "2 open requests are overdue." in html
    assert re.search(r'<th scope="row">Planning enforcement</th><td>2</td><td>2</td>', html)
