"""Three-way merge of a field worker's case.update: what applies, what is a conflict.

Base: the case at the worker's `base_version`. Theirs: the case now on the server.
Mine: the fields the worker changed. Per field:

- changed only by the worker (nobody else wrote it since `base_version`): it applies;
- changed by someone else since then too, to another value: a **conflict**. The server
  keeps its value, and the worker's is kept beside it with the base, for a person to
  resolve (shown on the device at the next pull and in the back office). Never a silent
  last-writer-wins;
- the same value on both sides, or the worker "changing" it to what it already is:
  nothing to do, no conflict.

"Someone else" is any writer but this device: a device's own earlier updates of the
case (sent with the same older base_version while it was offline) are its own history,
not a conflict with itself. Two devices, even one person's, do conflict.

On a closed case, or one taken away from the worker (reassigned), nothing applies:
every field the worker changed becomes a conflict marked `late`. Unknown and read-only
fields, and values of the wrong kind, refuse the whole update with field errors (the
worker fixes it on the device); nothing is applied then.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .field_messages import MAX_FIELD_TEXT

ASSIGNED, FORMER = "assigned", "former"  # the device's person has the case / had it


@dataclass(frozen=True)
class FieldRule:
    kind: str  # text, choice, date, boolean
    editable: bool = True
    choices: tuple[str, ...] = ()
    longest: int = MAX_FIELD_TEXT
    required: bool = False  # may not be set to null


# The statuses a field worker may set on the device: the case is being dealt with, or
# waits for the resident or another body. Received and triaged are the office's steps,
# and closing needs an outcome and a message to the resident: both in the back office.
FIELD_STATUSES = ("in_progress", "waiting_resident", "waiting_other")

# The case fields of protocol 2, as the examples and the field app know them. The
# server passes its own (per service) through CaseState.rules; these are its default.
CASE_FIELDS: Mapping[str, FieldRule] = {
    "reference": FieldRule("text", editable=False),
    "service": FieldRule("text", editable=False),
    # Applied through the back office's status change (timeline, resident told).
    "status": FieldRule("choice", choices=FIELD_STATUSES, required=True),
    "address": FieldRule("text", editable=False),
    "summary": FieldRule("text", editable=False),
    "risk_level": FieldRule("choice", choices=("low", "medium", "high"), required=True),
    "access_notes": FieldRule("text"),
    "hazards": FieldRule("text"),
    "contact_phone": FieldRule("text", longest=40),
    "next_visit_on": FieldRule("date"),
    "follow_up_needed": FieldRule("boolean", required=True),
}


@dataclass(frozen=True)
class FieldState:
    value: Any
    version: int  # the case version at which the field last changed
    changed_by: str  # who wrote it then: a sync client id, or the back office's writer


@dataclass(frozen=True)
class CaseState:
    """What the Ledger knows of a case the device's person has or had."""
    version: int
    fields: Mapping[str, FieldState]
    closed: bool
    access: str  # ASSIGNED or FORMER
    rules: Mapping[str, FieldRule] = field(default_factory=lambda: CASE_FIELDS)

    @property
    def late(self) -> bool:
        return self.closed or self.access != ASSIGNED


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str  # unknown_field, read_only, invalid_value


@dataclass(frozen=True)
class Overlap:
    """A field both sides changed: the server's value stays, the worker's is kept."""
    field: str
    base: Any  # its value at base_version
    server: Any
    client: Any


@dataclass(frozen=True)
class Merge:
    apply: dict[str, Any]
    overlaps: tuple[Overlap, ...]
    problems: tuple[FieldProblem, ...]


def merge(case: CaseState, base_version: int, mine: Mapping[str, Any], writer: str,
          base_of: Callable[[str], Any]) -> Merge:
    """`base_of(name)` is the field's value at base_version: asked only of the fields
    both sides changed (the Ledger reads it from the field's history)."""
    problems = tuple(p for name, value in sorted(mine.items())
                     if (p := field_problem(case.rules, name, value)) is not None)
    if problems:
        return Merge({}, (), problems)
    apply: dict[str, Any] = {}
    overlaps: list[Overlap] = []
    for name, value in sorted(mine.items()):
        now = case.fields.get(name, FieldState(None, 0, ""))
        if value == now.value:
            continue  # the same on both sides: nothing to do
        theirs = now.version > base_version and now.changed_by != writer
        if not (theirs or case.late):
            apply[name] = value
            continue
        base = base_of(name)
        if value != base:  # sent unchanged (changed and changed back): theirs stands
            overlaps.append(Overlap(name, base, now.value, value))
    return Merge(apply, tuple(overlaps), ())


def field_problem(rules: Mapping[str, FieldRule], name: str, value: Any) -> FieldProblem | None:
    rule = rules.get(name)
    if rule is None:
        return FieldProblem(name, "unknown_field")
    if not rule.editable:
        return FieldProblem(name, "read_only")
    return None if fits(rule, value) else FieldProblem(name, "invalid_value")


def fits(rule: FieldRule, value: Any) -> bool:
    if value is None:
        return not rule.required
    if rule.kind == "boolean":
        return isinstance(value, bool)
    if not isinstance(value, str):
        return False
    if rule.kind == "choice":
        return value in rule.choices
    if rule.kind == "date":
        try:
            return datetime.date.fromisoformat(value).isoformat() == value
        except ValueError:
            return False
    return len(value) <= rule.longest
