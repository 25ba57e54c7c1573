"""Automation rules: data (the rules table, seeded from rules.json beside this file),
run in their stated order in the transaction a request arrives in. Every action a rule
takes is a timeline event "done by rule <name>"; each rule records when it last fired
and how often. A rule that throws is undone (a savepoint) and recorded, and the request
arrives all the same; a chain of rules (one's tag meeting another's condition) runs each
rule at most once per request per event and stops at MAX_FIRINGS."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from server import i18n
from server.casework.assignment import ASSIGNED, PRIORITIES
from server.casework.replies import fill
from server.db import reply_templates, teams
from server.db import rules as rules_db
from server.db.duplicates import area_of
from server.db.requests import StoredRequest, add_event, by_id
from server.db.rules import Rule
from server.i18n import lazy as _
from server.notify.notices import Notices

CHANNEL_NAMES = {"web": _("Website"), "offline": _("App, sent when back online"),
                 "kiosk": _("Library kiosk"), "field": _("Field officer's device")}
CONDITIONS = {"service": _("Service is"), "journey": _("Form is"),
              "answer_equals": _("An answer is"), "answer_contains": _("An answer contains"),
              "area": _("Postcode area is"), "channel": _("Sent from"),
              "tag": _("Has the tag"), "status": _("Status is")}
# When a rule is checked: the event it runs on.
EVENTS = {"created": _("A request arrives"), "status_changed": _("A request's status changes")}
ACTIONS = {"assign_team": _("Assign to the team"), "set_priority": _("Set the priority to"),
           "add_tag": _("Add the tag"), "send_reply": _("Send the templated reply"),
           "alert_duty": _("Alert the duty inbox")}
TAGGED = "tagged"
DUTY_ALERT = "duty_alert"
REPLY_SENT = "message"
# Rules fired for one request by one event, at most: a chain longer than this is a loop.
MAX_FIRINGS = 20


class RuleFailed(Exception):
    """An action that cannot be done (a team of another service, a template gone)."""


@dataclass
class Facts:
    """What conditions read: the request as earlier rules left it."""
    request: StoredRequest
    area: str | None
    tags: set[str] = field(default_factory=set)


def _answer_texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return [str(v) for v in value.values()]
    return [] if value is None else [str(value)]


def condition_holds(condition: Mapping[str, Any], facts: Facts) -> bool:
    kind, value = condition.get("kind"), str(condition.get("value", ""))
    found = facts.request
    if kind == "service":
        return found.service == value
    if kind == "journey":
        return found.journey == value
    if kind == "channel":
        return found.channel == value
    if kind == "area":
        return (facts.area or "").upper() == value.strip().upper()
    if kind == "tag":
        return value in facts.tags
    if kind == "status":
        return found.status == value
    if kind in ("answer_equals", "answer_contains"):
        texts = _answer_texts(found.answers.get(str(condition.get("question", ""))))
        if kind == "answer_equals":
            return value in texts
        return any(value.casefold() in t.casefold() for t in texts)
    raise RuleFailed(f"unknown condition {kind!r}")


def matches(rule: Rule, facts: Facts) -> bool:
    if rule.service is not None and rule.service != facts.request.service:
        return False
    return all(condition_holds(c, facts) for c in rule.conditions)


@dataclass(frozen=True)
class Planned:
    """An action as a dry run shows it: its kind and its value."""
    kind: str
    value: str


def plan(rule: Rule) -> list[Planned]:
    return [Planned(str(a.get("kind")), str(a.get("value", ""))) for a in rule.actions]


ServiceTitle = Callable[[StoredRequest], str]


def _do(db: sqlite_utils.Database, rule: Rule, action: Mapping[str, Any], facts: Facts,
        notices: Notices, service_title: ServiceTitle) -> None:
    kind, value = action.get("kind"), str(action.get("value", ""))
    actor = f"rule:{rule.name}"
    found = facts.request
    if kind == "assign_team":
        team = teams.by_id(db, value)
        if team is None or team.service != found.service:
            raise RuleFailed(f"no team {value!r} in {found.service}")
        if found.team_id != value:
            teams.set_assignment(db, found.id, value, found.assignee)
            add_event(db, found.id, ASSIGNED, None, False, json.dumps(
                {"team": value, "assignee": found.assignee,
                 "from": {"team": found.team_id, "assignee": found.assignee}}), actor)
    elif kind == "set_priority":
        if value not in PRIORITIES:
            raise RuleFailed(f"no priority {value!r}")
        if found.priority != value:
            teams.set_priority(db, found.id, value)
            add_event(db, found.id, "priority_changed", None, False, value, actor)
    elif kind == "add_tag":
        if not value.strip():
            raise RuleFailed("an empty tag")
        if rules_db.add_tag(db, found.id, value.strip(), actor):
            add_event(db, found.id, TAGGED, None, False, value.strip(), actor)
            facts.tags.add(value.strip())
    elif kind == "send_reply":
        template = reply_templates.by_id(db, value)
        if template is None:
            raise RuleFailed(f"no reply template {value!r}")
        body = template.bodies.get(found.locale) or template.bodies.get(
            i18n.DEFAULT_LOCALE) or ""
        text = fill(body, {"reference": found.reference, "service": service_title(found)})
        event_id = add_event(db, found.id, REPLY_SENT, None, True, text, actor)
        notices.request_event(db, found, event_id, REPLY_SENT, found.status)
    elif kind == "alert_duty":
        team = value or found.team_id or ""
        rules_db.add_task(db, found.id, DUTY_ALERT, team)
        add_event(db, found.id, DUTY_ALERT, None, False, team, actor)
    else:
        raise RuleFailed(f"unknown action {kind!r}")
    after = by_id(db, found.id)
    assert after is not None
    facts.request = after


@dataclass(frozen=True)
class Ran:
    fired: list[str]  # names of the rules that fired, in order
    failed: list[str]  # names of those stopped (an error or the loop cap)


def run_rules(db: sqlite_utils.Database, request_id: str, notices: Notices,
              service_title: ServiceTitle, event: str = "created") -> Ran:
    """Every enabled rule of the event (EVENTS), in order, on one request, in the caller's
    transaction. A rule
    fires once at most per request per event; rules whose condition an earlier rule made
    true (a tag) are met on the next pass, until a pass fires none."""
    found = by_id(db, request_id)
    if found is None:
        return Ran([], [])
    facts = Facts(found, area_of(db, request_id), set(rules_db.tags_of(db, request_id)))
    rules = rules_db.enabled_rules(db, event)
    done: set[int] = set()
    fired: list[str] = []
    failed: list[str] = []
    while True:
        fired_now = False
        for rule in rules:
            if rule.id in done:
                continue
            try:
                if not matches(rule, facts):
                    continue
            except Exception as error:  # a bad condition: recorded, never fatal
                done.add(rule.id)
                failed.append(rule.name)
                rules_db.record_error(db, rule.id, request_id, f"{type(error).__name__}: {error}")
                continue
            done.add(rule.id)
            if len(fired) >= MAX_FIRINGS:
                failed.append(rule.name)
                rules_db.record_error(db, rule.id, request_id,
                                      f"stopped: more than {MAX_FIRINGS} rules fired on"
                                      f" one {event} event (a loop?)")
                continue
            before = Facts(facts.request, facts.area, set(facts.tags))
            rules_db.savepoint(db, "rule")
            try:
                for action in rule.actions:
                    _do(db, rule, action, facts, notices, service_title)
            except Exception as error:  # undo this rule only; the request still arrives
                rules_db.roll_back_to(db, "rule")
                facts = before
                failed.append(rule.name)
                rules_db.record_error(db, rule.id, request_id, f"{type(error).__name__}: {error}")
                continue
            rules_db.release(db, "rule")
            rules_db.fired(db, rule.id)
            fired.append(rule.name)
            fired_now = True
        if not fired_now:
            return Ran(fired, failed)


@dataclass(frozen=True)
class DryRow:
    request: StoredRequest
    actions: list[Planned]


def dry_run(db: sqlite_utils.Database, rule: Rule, limit: int = 100) -> list[DryRow]:
    """What the rule would have done to the last `limit` requests (of its service when
    it has one), as they are now; changes nothing."""
    shown = []
    for request_id in rules_db.recent_request_ids(db, rule.service, limit):
        found = by_id(db, request_id)
        assert found is not None
        facts = Facts(found, area_of(db, request_id), set(rules_db.tags_of(db, request_id)))
        try:
            if matches(rule, facts):
                shown.append(DryRow(found, plan(rule)))
        except Exception:  # noqa: BLE001 - as on arrival: a rule that fails matches nothing
            continue
    return shown

