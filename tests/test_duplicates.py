"""Issue 12: possible duplicates linked on arrival (same service, within 50 m or the same
address, within 14 days); the officer merges (the newer closed as a duplicate, both
residents told through the outbox) or dismisses; events on both timelines."""

from __future__ import annotations

from typing import Any

from server.casework.duplicates import addresses, metres
from server.db import duplicates as duplicates_db
from server.db import requests as requests_db
from tests.passkey_authenticator import Browserless, sign_in_with_new_passkey, staff_id
from tests.sync_support import pest_answers, tree_answers
from tests.test_rules import arrive, events, stored

EH_OFFICER = "eh.officer@midlothian.example"
PLANNER = "planning.officer@midlothian.example"


def tree(lat: float, lng: float, line1: str = "4 Eskbank Road") -> dict[str, Any]:
    answers = tree_answers([])
    answers["tree_map"] = {"lat": lat, "lng": lng}
    answers["tree_address"] = {**answers["tree_address"], "line1": line1}
    return answers


def links(world: Any, request_id: str) -> list[duplicates_db.Link]:
    return world.store.read_sync(duplicates_db.links_of, request_id)


def outbox(world: Any, request_id: str) -> list[tuple[str, str]]:
    return world.store.read_sync(lambda db: db.execute(
        "SELECT template, recipient FROM notifications WHERE request_id = ?"
        " AND template != 'acknowledgement'", [request_id]).fetchall())


def test_distance_is_metres():
    assert 40 < metres((55.8930, -3.0660), (55.8934, -3.0660)) < 50


def test_requests_within_50_metres_are_linked_further_ones_are_not(world):
    first = arrive(world, "tree-enquiry", "planning", tree(55.8930, -3.0660, "1 A Street"))
    near = arrive(world, "tree-enquiry", "planning", tree(55.8934, -3.0660, "9 B Road"))
    far = arrive(world, "tree-enquiry", "planning", tree(55.8950, -3.0660, "7 C Lane"))
    assert [(lk.request_id, lk.other_id, lk.reason) for lk in links(world, near)] == [
        (near, first, "distance")]
    assert links(world, far) == []
    assert any(e.kind == "duplicate_linked" for e in events(world, first))
    assert any(e.kind == "duplicate_linked" for e in events(world, near))


def test_the_same_address_written_differently_is_linked(world):
    first = arrive(world, "pest-control", "environmental-health", pest_answers())
    again = pest_answers(property_address={"line1": "12, high  street.", "line2": None,
                                           "town": "Dalkeith", "postcode": "eh221aa"})
    second = arrive(world, "pest-control", "environmental-health", again)
    assert [(lk.other_id, lk.reason) for lk in links(world, second)] == [(first, "address")]
    assert addresses(again) == addresses(pest_answers())


def test_another_service_or_older_than_14_days_is_not_linked(world):
    old = arrive(world, "pest-control", "environmental-health", pest_answers())
    world.store.write_sync(lambda db: db.execute(
        "UPDATE requests SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = ?", [old]))
    planning = arrive(world, "report-planning-breach", "planning",
                      {"site_address": pest_answers()["property_address"]})
    new = arrive(world, "pest-control", "environmental-health", pest_answers())
    assert links(world, new) == [] and links(world, planning) == []


def as_staff(client: Any, world: Any, email: str) -> Browserless:
    sign_in_with_new_passkey(client, world.store, world.settings.origin, "staff",
                             staff_id(world.store, email))
    return Browserless(client, world.settings.origin)


def test_the_officer_sees_the_link_and_merging_closes_the_newer_and_tells_both(world, client):
    older = arrive(world, "pest-control", "environmental-health", pest_answers(),
                   email="first@example.com")
    newer = arrive(world, "pest-control", "environmental-health", pest_answers(),
                   email="second@example.com")
    [link] = links(world, newer)
    driver = as_staff(client, world, EH_OFFICER)
    page = f"/staff/requests/{older}"
    html = client.get(page).text
    assert "Possible duplicate" in html and f'href="/staff/requests/{newer}"' in html
    r = driver.post_form(f"{page}/duplicates/{link.id}/merge", page=page)
    assert r.status_code == 303
    closed = stored(world, newer)
    assert (closed.status, closed.outcome) == ("closed_no_action", "duplicate")
    assert stored(world, older).status == "received"
    assert ("closed", "second@example.com") in outbox(world, newer)
    assert ("message", "first@example.com") in outbox(world, older)
    assert any(e.kind == "duplicate_merged" for e in events(world, older))
    assert links(world, newer)[0].state == "merged"
    # Decided already: a second click changes nothing.
    again = driver.post_form(f"{page}/duplicates/{link.id}/merge", page=page)
    assert again.status_code == 404


def test_dismissing_records_it_on_both_and_changes_nothing_else(world, client):
    older = arrive(world, "pest-control", "environmental-health", pest_answers())
    newer = arrive(world, "pest-control", "environmental-health", pest_answers())
    [link] = links(world, newer)
    driver = as_staff(client, world, EH_OFFICER)
    page = f"/staff/requests/{newer}"
    r = driver.post_form(f"{page}/duplicates/{link.id}/dismiss", page=page)
    assert r.status_code == 303
    assert links(world, newer)[0].state == "dismissed"
    assert stored(world, newer).status == "received"
    for one in (older, newer):
        assert any(e.kind == "duplicate_dismissed" for e in events(world, one))
    assert f'id="duplicate-{link.id}"' not in client.get(page).text


def test_an_officer_of_another_service_cannot_decide(world, client):
    arrive(world, "pest-control", "environmental-health", pest_answers())
    newer = arrive(world, "pest-control", "environmental-health", pest_answers())
    [link] = links(world, newer)
    driver = as_staff(client, world, PLANNER)
    r = driver.post_form(f"/staff/requests/{newer}/duplicates/{link.id}/merge",
                         page="/staff/inbox")
    assert r.status_code == 403
    assert world.store.read_sync(requests_db.by_id, newer).status == "received"


def test_a_burst_of_reports_links_each_to_a_few_most_recent_only(world):
    from server.casework.duplicates import MAX_LINKS
    ids = [arrive(world, "pest-control", "environmental-health", pest_answers())
           for _ in range(MAX_LINKS + 3)]
    newest = [lk for lk in links(world, ids[-1]) if lk.request_id == ids[-1]]
    assert len(newest) == MAX_LINKS
    assert {lk.other_id for lk in newest} == set(ids[-1 - MAX_LINKS:-1])
