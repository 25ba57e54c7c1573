"""Issue 12: the managers' dashboard. Its figures are those counted from the database
for a known set of requests with known timings; its CSVs hold the same figures and the
requests without answers or free text; admins see social work only as numbers."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from server.casework import calendar, dashboard, sla
from server.db import satisfaction
from tests.casework_history import seed
from tests.test_queues import as_staff

MANAGER = "planning.manager@midlothian.example"
ADMIN = "admin@midlothian.example"
SW_MANAGER = "sw.manager@midlothian.example"
PLANNER = "planning.officer@midlothian.example"


def work(day, n):
    return calendar.add_working_days(day, n)


@pytest.fixture
def known(store):
    """Planning: two closed (first replies after 2 and 1 working days; resolved after 6,
    and after 10 less 2 waiting), two open in the window (one overdue), one open from
    long before it (overdue); one environmental health, one social work (special)."""
    today = sla.today()
    start = work(dashboard.week_starts(today)[0], 1)  # a working day in the first week
    later = work(start, 3)
    made = {}

    def write(db):
        made["a"] = seed(db, "planning", "tree-enquiry", start, (
            (work(start, 2), "message", None), (work(start, 6), "status_changed", "resolved")))
        made["b"] = seed(db, "planning", "tree-enquiry", later, (
            (work(later, 1), "message", None),
            (work(later, 2), "status_changed", "waiting_resident"),
            (work(later, 4), "status_changed", "in_progress"),
            (work(later, 10), "status_changed", "resolved")), channel="offline")
        made["c"] = seed(db, "planning", "tree-enquiry", today - timedelta(days=40),
                         channel="kiosk", team="planning-enforcement")
        made["d"] = seed(db, "planning", "tree-enquiry", today, channel="field")
        made["e"] = seed(db, "planning", "tree-enquiry", today - timedelta(days=200))
        made["eh"] = seed(db, "environmental-health", "pest-control", later)
        made["sw"] = seed(db, "social-work", "care-needs-assessment", later, channel="api",
                          special=True)
        satisfaction.record_answer(db, made["a"], "planning", 5, "Great")
        satisfaction.record_answer(db, made["b"], "planning", 2, "Slow")
    store.write_sync(write)
    made["refs"] = {k: store.read_sync(lambda db, i=v: db.execute(
        "SELECT reference FROM requests WHERE id = ?", [i]).fetchone()[0])
        for k, v in made.items()}
    return made


def figures(response):
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    return {(r["service"], r["figure"], r["period"]): r["value"]
            for r in csv.DictReader(io.StringIO(response.text))}


def received_since_window(store, service):
    since = dashboard.week_starts(sla.today())[0]
    rows = store.read_sync(lambda db: db.execute(
        "SELECT created_at FROM requests WHERE service = ?", [service]).fetchall())
    return sum(1 for (at,) in rows if sla.council_day(at) >= since)


def test_dashboard_figures_equal_what_the_database_holds(client, store, settings, known):
    as_staff(client, store, settings, MANAGER)
    found = figures(client.get("/staff/dashboard/figures.csv"))
    whole = next(p for (s, f, p) in found if f == "survey_answers")
    got = {f: found[("planning", f, whole)] for (s, f, p) in found
           if s == "planning" and p == whole}
    assert int(got["received"]) == received_since_window(store, "planning") == 4
    weekly = sum(int(v) for (s, f, p), v in found.items() if f == "received" and p != whole
                 and s == "planning")
    assert weekly == 4
    assert (got["first_response_median_working_days"],
            got["first_response_p90_working_days"]) == ("1", "2")
    assert (got["resolution_median_working_days"],
            got["resolution_p90_working_days"]) == ("6", "8")
    assert got["overdue_now"] == "2"
    assert (got["channel_web"], got["channel_offline"], got["channel_kiosk"],
            got["channel_field"], got["channel_api"]) == ("1", "1", "1", "1", "0")
    assert (got["made_online"], got["made_with_help"]) == ("2", "2")
    assert (got["survey_answers"], got["survey_mean_score"], got["survey_satisfied"]) == (
        "2", "3.5", "1")
    # Live: today's request is in this week's column.
    this_week = dashboard.iso_week(sla.today())
    assert int(found[("planning", "received", this_week)]) >= 1
    # A manager sees only their service.
    assert {s for (s, _f, _p) in found} == {"planning"}


def test_the_dashboard_page_draws_charts_with_tables_and_summaries(client, store, settings,
                                                                   known):
    as_staff(client, store, settings, MANAGER)
    page = client.get("/staff/dashboard")
    assert page.status_code == 200
    html = page.text
    assert html.count("<svg class=\"tb-chart\"") == 2 and 'role="img"' in html
    assert " style=" not in html and "<script>" not in html
    assert 'id="volumes"' in html and 'id="channels"' in html and 'id="times"' in html
    assert "4 requests were received in the 12 weeks." in html
    assert "2 of 4 requests (50%) were made online by residents" in html
    assert '<tr id="times-planning"><th scope="row">Planning</th><td>1</td><td>2</td>' \
           '<td>6</td><td>8</td><td>2</td></tr>' in html
    assert "Great" not in html and "Slow" not in html  # survey comments are free text


def test_the_requests_csv_has_no_answers_and_only_what_the_reader_may_list(
        client, store, settings, known):
    refs = known["refs"]
    as_staff(client, store, settings, MANAGER)
    body = client.get("/staff/dashboard/requests.csv").text
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["reference"] for r in rows} == {refs[k] for k in "abcde"}
    assert list(rows[0]) == ["reference", "service", "status", "channel", "received_at",
                             "updated_at", "first_response_on", "closed_on",
                             "resolution_due", "clock", "team", "priority"]
    by_ref = {r["reference"]: r for r in rows}
    assert by_ref[refs["c"]]["team"] == "planning-enforcement"
    assert by_ref[refs["c"]]["clock"] == "overdue"
    assert by_ref[refs["a"]]["closed_on"] == work(work(
        dashboard.week_starts(sla.today())[0], 1), 6).isoformat()
    assert "Seeded" not in body and "t@example.com" not in body


def test_admins_see_every_service_and_social_work_only_as_numbers(client, store, settings,
                                                                   known):
    refs = known["refs"]
    as_staff(client, store, settings, ADMIN)
    found = figures(client.get("/staff/dashboard/figures.csv"))
    whole = next(p for (s, f, p) in found if f == "survey_answers")
    assert found[("social-work", "received", whole)] == "1"
    assert found[("social-work", "channel_api", whole)] == "1"
    assert found[("environmental-health", "received", whole)] == "1"
    listed = client.get("/staff/dashboard/requests.csv").text
    assert refs["sw"] not in listed and refs["eh"] in listed and refs["a"] in listed
    assert client.get("/staff/dashboard").status_code == 200


def test_social_work_managers_list_their_special_category_requests(client, store, settings,
                                                                    known):
    as_staff(client, store, settings, SW_MANAGER)
    listed = client.get("/staff/dashboard/requests.csv").text
    assert known["refs"]["sw"] in listed and known["refs"]["a"] not in listed


def test_the_header_offers_the_dashboard_only_to_those_it_lets_in(client, store, settings):
    as_staff(client, store, settings, PLANNER)
    assert 'href="/staff/dashboard"' not in client.get("/staff/inbox").text
    assert client.get("/staff/dashboard").status_code == 403
    as_staff(client, store, settings, MANAGER)
    assert 'href="/staff/dashboard"' in client.get("/staff/inbox").text


def test_percentiles_are_nearest_rank():
    assert dashboard.percentile([], 0.5) is None
    assert dashboard.percentile([3, 1, 2], 0.5) == 2
    assert dashboard.percentile(list(range(1, 11)), 0.9) == 9
    assert dashboard.percentile([1, 2], 0.5) == 1
