"""Issue 12: automation rules as data, run in order in the transaction a request arrives
in; each action a timeline event "done by rule <name>"; a throwing rule stopped and
recorded while the request still arrives; a chain capped; a dry run that changes
nothing."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from server.casework import rules as rules_engine
from server.db import request_tasks
from server.db import requests as requests_db
from server.db import rules as rules_db
from tests.sync_support import Device, mutation, payload, pest_answers

COUNTER = itertools.count()


def arrive(world: Any, journey: str, service: str, answers: dict[str, Any],
           channel: str = "web", special: bool = False, email: str = "r@example.com") -> str:
    """A request arriving as the web form and sync make it: stored, then its arrival."""
    new = requests_db.NewRequest(
        id=str(uuid.uuid4()), journey=journey, service=service, form_version=1,
        answers=answers, channel=channel, special_category=special,
        contact_name="Ann", contact_email=email, contact_phone=None, locale="en",
        updates="email")

    def store_it(db: Any) -> str:
        created = requests_db.create_request(db, new, lambda: f"MLC-T{next(COUNTER):05d}")
        world.app.state.arrivals.requests_created(db, [(new, created.request.reference)])
        return created.request.id

    return world.store.write_sync(store_it)


def stored(world: Any, request_id: str) -> requests_db.StoredRequest:
    return world.store.read_sync(requests_db.by_id, request_id)


def events(world: Any, request_id: str) -> list[requests_db.Event]:
    return world.store.read_sync(requests_db.all_events, request_id)


def rule_named(world: Any, name: str) -> rules_db.Rule:
    return next(r for r in world.store.read_sync(rules_db.all_rules) if r.name == name)


def add_rule(world: Any, name: str, conditions: list[dict[str, Any]],
             actions: list[dict[str, Any]], service: str | None = None) -> int:
    return world.store.write_sync(rules_db.add_rule, name, service, conditions, actions)


PROTECTION = {"child_name": "A", "worries": ["neglect"], "danger_now": "no"}


def test_child_protection_is_urgent_goes_to_the_duty_team_with_an_alert(world):
    found_id = arrive(world, "child-protection-concern", "social-work", PROTECTION,
                      special=True)
    found = stored(world, found_id)
    assert (found.priority, found.team_id) == ("urgent", "children-duty")
    tasks = world.store.read_sync(request_tasks.open_tasks, found_id)
    assert [(t.kind, t.detail) for t in tasks] == [("duty_alert", "children-duty")]
    rule = rule_named(world, "Child protection concerns go to the children's duty team")
    assert {e.actor for e in events(world, found_id) if e.kind != "created"} == {
        f"rule:{rule.name}"}
    assert rule.fired_count == 1 and rule.last_fired_at


def test_adult_protection_goes_to_the_adult_duty_team(world):
    found = stored(world, arrive(world, "adult-protection-concern", "social-work",
                                 {"person_name": "B"}, special=True))
    assert (found.priority, found.team_id) == ("urgent", "adult-duty")


def test_pest_control_in_eh22_goes_south_and_elsewhere_does_not(world):
    south = stored(world, arrive(world, "pest-control", "environmental-health",
                                 pest_answers()))
    assert south.team_id == "pest-control-south"
    elsewhere = pest_answers(property_address={"line1": "1 Main St", "line2": None,
                                               "town": "Penicuik", "postcode": "EH26 8AA"})
    north = stored(world, arrive(world, "pest-control", "environmental-health", elsewhere))
    assert north.team_id is None


def test_food_poisoning_gets_priority_high_other_complaints_do_not(world):
    ill = stored(world, arrive(world, "food-safety-complaint", "environmental-health",
                               {"problem_type": "illness"}))
    dirty = stored(world, arrive(world, "food-safety-complaint", "environmental-health",
                                 {"problem_type": "dirty-premises"}))
    assert (ill.priority, dirty.priority) == ("high", "normal")


def test_a_request_pushed_by_an_app_meets_the_rules_too(world, client):
    device = Device(client)
    pushed = mutation(1, body=payload(pest_answers()))
    assert device.results(pushed)[0]["status"] == "applied"
    assert stored(world, pushed["id"]).team_id == "pest-control-south"


def test_rules_run_in_their_stated_order_and_moving_one_changes_it(world):
    first = add_rule(world, "Low first", [{"kind": "journey", "value": "noise-complaint"}],
                     [{"kind": "set_priority", "value": "low"}])
    add_rule(world, "Urgent second", [{"kind": "journey", "value": "noise-complaint"}],
             [{"kind": "set_priority", "value": "urgent"}])
    assert stored(world, arrive(world, "noise-complaint", "environmental-health",
                                {})).priority == "urgent"
    world.store.write_sync(rules_db.move, first, False)  # down: now last
    assert stored(world, arrive(world, "noise-complaint", "environmental-health",
                                {})).priority == "low"


def test_a_later_rules_tag_meets_an_earlier_rules_condition(world):
    add_rule(world, "Tagged noisy is high", [{"kind": "tag", "value": "noisy"}],
             [{"kind": "set_priority", "value": "high"}])
    add_rule(world, "Music is noisy", [{"kind": "answer_contains", "question": "effect",
                                        "value": "MUSIC"}],
             [{"kind": "add_tag", "value": "noisy"}])
    found_id = arrive(world, "noise-complaint", "environmental-health",
                      {"effect": "Loud music all night"})
    assert stored(world, found_id).priority == "high"
    assert world.store.read_sync(rules_db.tags_of, found_id) == ["noisy"]


def test_a_throwing_rule_is_stopped_and_recorded_and_the_request_still_arrives(world):
    bad = add_rule(world, "Wrong team", [{"kind": "journey", "value": "noise-complaint"}],
                   [{"kind": "set_priority", "value": "high"},
                    {"kind": "assign_team", "value": "adult-duty"}])  # another service's
    add_rule(world, "Tag after", [{"kind": "journey", "value": "noise-complaint"}],
             [{"kind": "add_tag", "value": "seen"}])
    found_id = arrive(world, "noise-complaint", "environmental-health", {})
    found = stored(world, found_id)
    assert found.priority == "normal"  # the bad rule's first action undone too
    assert world.store.read_sync(rules_db.tags_of, found_id) == ["seen"]
    errors = world.store.read_sync(rules_db.recent_errors)[bad]
    assert errors[0].request_id == found_id and "adult-duty" in errors[0].error
    assert world.store.read_sync(rules_db.by_id, bad).fired_count == 0


def test_a_rule_that_raises_an_exception_of_its_own_is_contained(world, monkeypatch):
    rule = add_rule(world, "Boom", [{"kind": "journey", "value": "noise-complaint"}],
                    [{"kind": "add_tag", "value": "x"}])

    def boom(*args: Any) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(rules_engine, "_do", boom)
    found_id = arrive(world, "noise-complaint", "environmental-health", {})
    assert stored(world, found_id).status == "received"
    assert "ZeroDivisionError" in world.store.read_sync(rules_db.recent_errors)[rule][0].error


def test_a_rule_fires_once_per_event_and_a_chain_is_capped(world):
    own = add_rule(world, "Feeds itself", [{"kind": "tag", "value": "t0"}],
                   [{"kind": "add_tag", "value": "t0"}, {"kind": "add_tag", "value": "t1"}])
    chain = [add_rule(world, f"Chain {i}", [{"kind": "tag", "value": f"t{i}"}],
                      [{"kind": "add_tag", "value": f"t{i + 1}"}])
             for i in range(1, rules_engine.MAX_FIRINGS + 5)]
    add_rule(world, "Starts it", [{"kind": "journey", "value": "noise-complaint"}],
             [{"kind": "add_tag", "value": "t0"}])
    found_id = arrive(world, "noise-complaint", "environmental-health", {})
    assert stored(world, found_id).status == "received"
    assert world.store.read_sync(rules_db.by_id, own).fired_count == 1
    errors = world.store.read_sync(rules_db.recent_errors)
    stopped = [r for r in chain if r in errors]
    assert stopped and all("stopped" in errors[r][0].error for r in stopped)
    fired = sum(world.store.read_sync(rules_db.by_id, r).fired_count for r in chain)
    assert fired + 2 == rules_engine.MAX_FIRINGS


def test_a_disabled_rule_does_nothing(world):
    rule = rule_named(world, "Food poisoning reports get priority high")
    world.store.write_sync(rules_db.set_enabled, rule.id, False)
    ill = stored(world, arrive(world, "food-safety-complaint", "environmental-health",
                               {"problem_type": "illness"}))
    assert ill.priority == "normal"


def test_channel_and_templated_reply_actions(world):
    add_rule(world, "Kiosk thanks", [{"kind": "channel", "value": "kiosk"}],
             [{"kind": "send_reply", "value": "received-acknowledgement"}])
    found_id = arrive(world, "noise-complaint", "environmental-health", {}, channel="kiosk")
    messages = [e for e in events(world, found_id) if e.kind == "message"]
    assert len(messages) == 1 and messages[0].public
    assert stored(world, found_id).reference in (messages[0].message or "")
    outbox = world.store.read_sync(lambda db: db.execute(
        "SELECT template FROM notifications WHERE request_id = ?", [found_id]).fetchall())
    assert ("message",) in outbox
    web_id = arrive(world, "noise-complaint", "environmental-health", {})
    assert not [e for e in events(world, web_id) if e.kind == "message"]


def test_dry_run_shows_what_would_happen_and_changes_nothing(world):
    ill_id = arrive(world, "food-safety-complaint", "environmental-health",
                    {"problem_type": "illness"})
    arrive(world, "noise-complaint", "environmental-health", {})
    rule = add_rule(world, "Everything low", [{"kind": "service",
                                               "value": "environmental-health"}],
                    [{"kind": "set_priority", "value": "low"}])
    before = world.store.read_sync(lambda db: db.execute(
        "SELECT id, priority, version FROM requests ORDER BY id").fetchall())
    shown = world.store.read_sync(rules_engine.dry_run,
                                  world.store.read_sync(rules_db.by_id, rule))
    assert ill_id in {row.request.id for row in shown} and len(shown) == 2
    after = world.store.read_sync(lambda db: db.execute(
        "SELECT id, priority, version FROM requests ORDER BY id").fetchall())
    assert before == after
    assert world.store.read_sync(rules_db.by_id, rule).fired_count == 0


def test_seeding_twice_adds_no_copies(world):
    from server.db.seed import seed_rules
    count = len(world.store.read_sync(rules_db.all_rules))
    world.store.write_sync(seed_rules)
    assert len(world.store.read_sync(rules_db.all_rules)) == count == 4


# --- the rules page ------------------------------------------------------------------

ADMIN = "admin@midlothian.example"
EH_MANAGER = "eh.manager@midlothian.example"


def signed_in(client: Any, world: Any, email: str) -> Any:
    from tests.passkey_authenticator import Browserless, sign_in_with_new_passkey, staff_id
    sign_in_with_new_passkey(client, world.store, world.settings.origin, "staff",
                             staff_id(world.store, email))
    return Browserless(client, world.settings.origin)


def audited(world: Any, action: str) -> int:
    return world.store.read_sync(lambda db: db.execute(
        "SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[0])


def test_admin_creates_a_rule_with_the_structured_form_and_it_fires(world, client):
    driver = signed_in(client, world, ADMIN)
    html = client.get("/admin/rules/new").text
    assert '<select class="ds_select" id="condition_0_kind"' in html
    r = driver.post_form("/admin/rules/new", {
        "name": "Kiosk noise is low", "service": "environmental-health",
        "condition_0_kind": "channel", "condition_0_value": "kiosk",
        "action_0_kind": "set_priority", "action_0_value": "low"}, page="/admin/rules/new")
    assert r.status_code == 303
    assert audited(world, "rule_created") == 1
    assert "Kiosk noise is low" in client.get("/admin/rules").text
    found = stored(world, arrive(world, "noise-complaint", "environmental-health", {},
                                 channel="kiosk"))
    assert found.priority == "low"


def test_the_form_refuses_a_rule_it_cannot_run(world, client):
    driver = signed_in(client, world, ADMIN)
    r = driver.post_form("/admin/rules/new", {
        "name": "", "service": "planning", "condition_0_kind": "channel",
        "condition_0_value": "fax", "action_0_kind": "assign_team",
        "action_0_value": "adult-duty"}, page="/admin/rules/new")
    assert r.status_code == 400
    for field in ("name", "condition_0_value", "action_0_value"):
        assert f'id="{field}-error"' in r.text
    assert len(world.store.read_sync(rules_db.all_rules)) == 4


def test_turn_off_move_and_errors_on_the_rules_page(world, client):
    driver = signed_in(client, world, ADMIN)
    food = rule_named(world, "Food poisoning reports get priority high")
    r = driver.post_form(f"/admin/rules/{food.id}/enabled", {"enabled": "0"},
                         page="/admin/rules")
    assert r.status_code == 303 and not world.store.read_sync(rules_db.by_id, food.id).enabled
    driver.post_form(f"/admin/rules/{food.id}/move", {"direction": "up"}, page="/admin/rules")
    order = [r.id for r in world.store.read_sync(rules_db.all_rules)]
    assert order.index(food.id) == 2
    assert audited(world, "rule_disabled") == audited(world, "rule_moved") == 1
    form = client.get(f"/admin/rules/{food.id}").text
    assert 'value="problem_type"' in form and 'value="illness"' in form
    r = driver.post_form(f"/admin/rules/{food.id}", {
        "name": food.name, "service": "environmental-health",
        "condition_0_kind": "answer_equals", "condition_0_question": "problem_type",
        "condition_0_value": "something-in-food", "action_0_kind": "set_priority",
        "action_0_value": "urgent"}, page=f"/admin/rules/{food.id}")
    assert r.status_code == 303 and audited(world, "rule_changed") == 1
    changed = world.store.read_sync(rules_db.by_id, food.id)
    assert changed.conditions[0]["value"] == "something-in-food" and not changed.enabled
    bad = add_rule(world, "Bad team", [{"kind": "journey", "value": "noise-complaint"}],
                   [{"kind": "assign_team", "value": "nope"}])
    arrive(world, "noise-complaint", "environmental-health", {})
    assert f'id="rule-{bad}-errors"' in client.get("/admin/rules").text


def test_dry_run_page_lists_matches_and_changes_nothing(world, client):
    signed_in(client, world, ADMIN)
    pest = rule_named(world, "Pest control in EH22 goes to pest control (south)")
    found_id = arrive(world, "pest-control", "environmental-health", pest_answers())
    world.store.write_sync(lambda db: db.execute(
        "UPDATE requests SET team_id = NULL WHERE id = ?", [found_id]))
    html = client.get(f"/admin/rules/{pest.id}/dry-run").text
    assert stored(world, found_id).reference in html
    assert stored(world, found_id).team_id is None
    assert world.store.read_sync(rules_db.by_id, pest.id).fired_count == 1


def test_a_manager_sees_and_changes_only_their_services_rules(world, client):
    signed_in(client, world, EH_MANAGER)
    html = client.get("/admin/rules").text
    assert "Food poisoning reports get priority high" in html
    assert "duty team" not in html
    child = rule_named(world, "Child protection concerns go to the children's duty team")
    assert client.get(f"/admin/rules/{child.id}").status_code == 404


def test_the_duty_alert_shows_in_the_social_work_inbox_until_done(world, client):
    found_id = arrive(world, "adult-protection-concern", "social-work",
                      {"person_name": "B"}, special=True)
    driver = signed_in(client, world, "sw.officer@midlothian.example")
    inbox = client.get("/staff/inbox").text
    assert "Duty alert" in inbox
    page = f"/staff/requests/{found_id}"
    html = client.get(page).text
    assert "Duty alert: the duty team must look at this request now." in html
    assert "Done by rule Adult protection concerns go to the adult duty team" in html
    [task] = world.store.read_sync(request_tasks.open_tasks, found_id)
    r = driver.post_form(f"{page}/tasks/{task.id}/done", page=page)
    assert r.status_code == 303
    assert "Duty alert" not in client.get("/staff/inbox").text


def test_a_request_sent_on_the_web_meets_the_rules_in_its_own_transaction(world, client):
    from tests.test_journeys_http import REFERENCE, walk
    done, _submission = walk(client, world.app, "child-protection-concern")
    assert done.status_code == 200
    reference = REFERENCE.search(done.text).group(0)
    found = world.store.read_sync(requests_db.by_reference, reference)
    assert (found.priority, found.team_id) == ("urgent", "children-duty")


def test_a_manager_moves_a_rule_among_their_services_only(world, client):
    driver = signed_in(client, world, EH_MANAGER)
    food = rule_named(world, "Food poisoning reports get priority high")
    before = [r.name for r in world.store.read_sync(rules_db.all_rules)]
    r = driver.post_form(f"/admin/rules/{food.id}/move", {"direction": "up"},
                         page="/admin/rules")
    assert r.status_code == 303
    after = [r.name for r in world.store.read_sync(rules_db.all_rules)]
    assert after == [before[0], before[1], before[3], before[2]]
    # First of their own: up again changes nothing (the social work rules stay first).
    driver.post_form(f"/admin/rules/{food.id}/move", {"direction": "up"}, page="/admin/rules")
    assert [r.name for r in world.store.read_sync(rules_db.all_rules)] == after


def test_a_status_rule_runs_when_an_officer_changes_the_status_not_on_arrival(world, client):
    driver = signed_in(client, world, ADMIN)
    r = driver.post_form("/admin/rules/new", {
        "name": "Waiting is tagged", "on_event": "status_changed",
        "condition_0_kind": "status", "condition_0_value": "waiting_resident",
        "action_0_kind": "add_tag", "action_0_value": "chase"}, page="/admin/rules/new")
    assert r.status_code == 303
    rule = rule_named(world, "Waiting is tagged")
    assert rule.on_event == "status_changed"
    found_id = arrive(world, "noise-complaint", "environmental-health", {})
    assert world.store.read_sync(rules_db.tags_of, found_id) == []
    driver = signed_in(client, world, "eh.officer@midlothian.example")
    page = f"/staff/requests/{found_id}"
    r = driver.post_form(f"{page}/status", {"status": "waiting_resident",
                                            "message": "Please send a photo"}, page=page)
    assert r.status_code == 303
    assert world.store.read_sync(rules_db.tags_of, found_id) == ["chase"]
    tagged = [e for e in events(world, found_id) if e.kind == "tagged"]
    assert [e.actor for e in tagged] == ["rule:Waiting is tagged"]


def test_the_form_refuses_an_unknown_status(world, client):
    driver = signed_in(client, world, ADMIN)
    r = driver.post_form("/admin/rules/new", {
        "name": "x", "on_event": "status_changed", "condition_0_kind": "status",
        "condition_0_value": "done", "action_0_kind": "add_tag", "action_0_value": "t"},
        page="/admin/rules/new")
    assert r.status_code == 400 and 'id="condition_0_value-error"' in r.text


def test_managers_find_the_rules_from_the_inbox_officers_are_not_offered_them(make_app):
    from tests.passkey_authenticator import sign_in_with_new_passkey, staff_id
    world = make_app()
    for email, offered in ((EH_MANAGER, True), ("eh.officer@midlothian.example", False)):
        with world.client() as client:
            sign_in_with_new_passkey(client, world.store, world.settings.origin, "staff",
                                     staff_id(world.store, email))
            assert ('href="/admin/rules"' in client.get("/staff/inbox").text) is offered
    with world.client() as client:
        signed_in(client, world, ADMIN)
        assert 'href="/admin/rules"' in client.get("/admin").text
