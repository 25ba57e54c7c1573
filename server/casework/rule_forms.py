"""The rules page's structured form: condition and action rows (a kind chosen from a
select, a value typed), read into a rule's data and checked, never JSON typed by people."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.casework.assignment import PRIORITIES
from server.casework.rules import ACTIONS, CHANNEL_NAMES, CONDITIONS, EVENTS
from server.casework.status import STATUSES
from server.db import reply_templates, teams
from server.db import rules as rules_db
from server.forms.normalise import clean_text
from server.i18n import lazy as _
from server.journeys.catalogue import SERVICE_TEXT

ROWS = 4  # condition rows and action rows the form offers
NAME_MAX = 100
VALUE_MAX = 200
ENTER_NAME = _("Enter a name for the rule")
ADD_ACTION = _("Choose at least one action")
ENTER_VALUE = _("Enter a value for this row")
ENTER_QUESTION = _("Enter the question's id, for example problem_type")
NO_SUCH_TEAM = _("Enter the id of a team of the rule's service, for example pest-control-south")
NO_SUCH_PRIORITY = _("Enter urgent, high, normal or low")
NO_SUCH_TEMPLATE = _("Enter the id of a reply template, for example triaged")
NO_SUCH_CHANNEL = _("Enter web, offline, kiosk or field")
CHOOSE_SERVICE = _("Choose a service")
CHOOSE_EVENT = _("Choose when the rule is checked")
NO_SUCH_STATUS = _("Enter a status code, for example in_progress")


@dataclass(frozen=True)
class RuleForm:
    name: str
    service: str | None
    conditions: list[dict[str, str]]
    actions: list[dict[str, str]]
    on_event: str = "created"


def blank() -> RuleForm:
    return RuleForm("", None, [], [])


def from_rule(rule: rules_db.Rule) -> RuleForm:
    return RuleForm(rule.name, rule.service,
                    [{k: str(v) for k, v in c.items()} for c in rule.conditions],
                    [{k: str(v) for k, v in a.items()} for a in rule.actions], rule.on_event)


def read(form: Mapping[str, Any], fixed_service: str | None) -> RuleForm:
    """The posted form as a rule; rows with no kind chosen are left out. A manager's
    rule is always of their own service (`fixed_service`)."""
    def field(name: str, limit: int = VALUE_MAX) -> str:
        return clean_text(str(form.get(name, "")))[:limit]

    conditions = [{"kind": field(f"condition_{i}_kind"), "value": field(f"condition_{i}_value"),
                   **({"question": field(f"condition_{i}_question")}
                      if field(f"condition_{i}_kind").startswith("answer_") else {})}
                  for i in range(ROWS) if field(f"condition_{i}_kind")]
    actions = [{"kind": field(f"action_{i}_kind"), "value": field(f"action_{i}_value")}
               for i in range(ROWS) if field(f"action_{i}_kind")]
    service = fixed_service or field("service") or None
    return RuleForm(field("name", NAME_MAX), service, conditions, actions,
                    field("on_event") or "created")


def problems(db: sqlite_utils.Database, posted: RuleForm,
             services: list[str]) -> dict[str, Any]:
    """Field name -> what is wrong (a lazy string)."""
    found: dict[str, Any] = {}
    if not posted.name:
        found["name"] = ENTER_NAME
    if posted.service is not None and posted.service not in services:
        found["service"] = CHOOSE_SERVICE
    if posted.on_event not in EVENTS:
        found["on_event"] = CHOOSE_EVENT
    for i, c in enumerate(posted.conditions):
        if c["kind"] not in CONDITIONS:
            found[f"condition_{i}_kind"] = ENTER_VALUE
        elif c["kind"].startswith("answer_") and not c.get("question"):
            found[f"condition_{i}_question"] = ENTER_QUESTION
        elif not c["value"]:
            found[f"condition_{i}_value"] = ENTER_VALUE
        elif c["kind"] == "channel" and c["value"] not in CHANNEL_NAMES:
            found[f"condition_{i}_value"] = NO_SUCH_CHANNEL
        elif c["kind"] == "status" and c["value"] not in STATUSES:
            found[f"condition_{i}_value"] = NO_SUCH_STATUS
    if not posted.actions:
        found["action_0_kind"] = ADD_ACTION
    for i, a in enumerate(posted.actions):
        why = _action_problem(db, a["kind"], a["value"], posted.service)
        if why is not None:
            found[f"action_{i}_value"] = why
    return found


def _action_problem(db: sqlite_utils.Database, kind: str, value: str,
                    service: str | None) -> Any:
    if kind not in ACTIONS:
        return ENTER_VALUE
    if kind in ("assign_team", "alert_duty"):
        if kind == "alert_duty" and not value:
            return None  # the team the request is assigned to
        team = teams.by_id(db, value)
        if team is None or (service is not None and team.service != service):
            return NO_SUCH_TEAM
    elif kind == "set_priority" and value not in PRIORITIES:
        return NO_SUCH_PRIORITY
    elif kind == "send_reply" and reply_templates.by_id(db, value) is None:
        return NO_SUCH_TEMPLATE
    elif kind == "add_tag" and not value:
        return ENTER_VALUE
    return None


# The catalogue's own names (journeys/catalogue.py), not a second list of them.
SERVICE_NAMES = {slug: text.name for slug, text in SERVICE_TEXT.items()}
