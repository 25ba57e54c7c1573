"""Field work in memory: cases, scopes and the change feed, with the Feed and the
CaseLedger the pull and the push need. The examples (sync/examples/pull-*.json,
push-v2-*.json) run on it; the server's SQLite does the same with tables.

Every write is one "transaction": one new feed position shared by all its changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .apply import APPLIED, CONFLICT, MemoryLedger
from .field_apply import AppliedChange
from .field_messages import CaseMutation
from .merge import ASSIGNED, FORMER, CaseState, FieldState, Overlap
from .messages import Mutation
from .pull import REMOVE, UPSERT, Change, ScopeChange

# Conflict ids are made from the change's id and the field, so a retry of the same
# change (which is a duplicate anyway) could never make a second conflict.
CONFLICT_IDS = uuid.UUID("5e1f0c57-6a43-4c1b-9d4e-2b7f1a0c3d58")


def conflict_id(change_id: str, name: str) -> str:
    return str(uuid.uuid5(CONFLICT_IDS, f"{change_id}/{name}"))


@dataclass
class MemoryCase:
    id: str
    assignee: str  # a person, or "team:<name>"
    version: int
    fields: dict[str, FieldState]
    history: list[tuple[int, str, Any]] = field(default_factory=list)  # version, name, before
    items: list[str] = field(default_factory=list)


class MemoryCases:
    """The server's side of field work: cases, who has them, and the change feed."""

    def __init__(self, teams: Mapping[str, str | None]) -> None:  # person -> their team
        self.teams = dict(teams)
        self.cases: dict[str, MemoryCase] = {}
        self.items: dict[str, Change] = {}  # what is on the cases now (removed: gone)
        self.feed: list[Change] = []
        self.position = 0
        self.oldest = 0
        self.generations = dict.fromkeys(self.teams, 0)
        self.history_from = dict.fromkeys(self.teams, 0)
        self.scope_log: list[tuple[str, int, str, bool]] = []  # person, gen, case, entered
        self.had: dict[str, set[str]] = {}  # case -> people who had it in their scope
        self.applied: dict[str, AppliedChange] = {}

    def scope(self, person: str) -> set[str]:
        mine = {person, f"team:{self.teams.get(person)}"}
        return {c.id for c in self.cases.values() if c.assignee in mine}

    def commit(self, changes: Sequence[Change]) -> None:
        self.position += 1
        for change in changes:
            change = replace(change, position=self.position)
            self.feed.append(change)
            if change.kind == "case":
                continue
            if change.op == REMOVE:
                self.items.pop(change.id, None)
            else:
                self.items[change.id] = change
                if change.id not in self.cases[change.case_id].items:
                    self.cases[change.case_id].items.append(change.id)

    def case_change(self, case_id: str) -> Change:
        case = self.cases[case_id]
        return Change("case", UPSERT, case.id, case.id, case.version,
                      {name: state.value for name, state in sorted(case.fields.items())})

    def _rescope(self, change: Callable[[], None]) -> None:
        before = {person: self.scope(person) for person in self.teams}
        change()
        for person, had in before.items():
            now = self.scope(person)
            if now == had:
                continue
            self.generations[person] += 1
            generation = self.generations[person]
            self.scope_log += [(person, generation, c, False) for c in sorted(had - now)]
            self.scope_log += [(person, generation, c, True) for c in sorted(now - had)]
            for case_id in now:
                self.had.setdefault(case_id, set()).add(person)

    def add_case(self, case_id: str, assignee: str, values: Mapping[str, Any],
                 version: int = 1, items: Sequence[tuple[str, str, dict[str, Any]]] = ()
                 ) -> None:
        fields = {name: FieldState(value, version, "office") for name, value in values.items()}
        self._rescope(lambda: self.cases.__setitem__(
            case_id, MemoryCase(case_id, assignee, version, fields)))
        self.commit([self.case_change(case_id),
                     *(Change(kind, UPSERT, item_id, case_id, 1, data)
                       for kind, item_id, data in items)])

    def assign(self, case_id: str, assignee: str) -> None:
        self._rescope(lambda: setattr(self.cases[case_id], "assignee", assignee))

    def set_fields(self, case_id: str, values: Mapping[str, Any], writer: str,
                   also: Sequence[Change] = ()) -> int:
        case = self.cases[case_id]
        case.version += 1
        for name, value in values.items():
            before = case.fields.get(name)
            case.history.append((case.version, name, before.value if before else None))
            case.fields[name] = FieldState(value, case.version, writer)
        self.commit([self.case_change(case_id), *also])
        return case.version

    def field_base(self, case_id: str, name: str, version: int) -> Any:
        case = self.cases[case_id]
        for changed_at, changed, before in case.history:
            if changed == name and changed_at > version:
                return before
        now = case.fields.get(name)
        return now.value if now else None

    def add_items(self, changes: Sequence[Change]) -> None:
        self.commit(changes)

    def resolve(self, conflict: str, value: Any, writer: str = "office") -> None:
        kept = self.items[conflict]
        assert kept.data is not None
        resolved = replace(kept, version=kept.version + 1,
                           data={**kept.data, "status": "resolved", "resolution": value})
        self.set_fields(kept.case_id, {kept.data["field"]: value}, writer, [resolved])

    def remove(self, item_id: str) -> None:
        kept = self.items[item_id]
        self.commit([replace(kept, op=REMOVE, version=kept.version + 1, data=None)])

    def compact(self, through: int) -> None:
        self.oldest = max(self.oldest, through)
        self.feed = [c for c in self.feed if c.position > through]

    def forget_scope_history(self, person: str) -> None:
        self.history_from[person] = self.generations[person]


@dataclass
class MemoryFeed:
    """One person's view of the feed (sync/pull.py's Feed)."""
    cases: MemoryCases
    person: str

    def head(self) -> int:
        return self.cases.position

    def oldest(self) -> int:
        return self.cases.oldest

    def generation(self) -> int:
        return self.cases.generations[self.person]

    def in_scope(self) -> list[str]:
        return sorted(self.cases.scope(self.person))

    def scope_since(self, generation: int) -> ScopeChange | None:
        if generation < self.cases.history_from[self.person]:
            return None
        log = [(c, entered) for p, g, c, entered in self.cases.scope_log
               if p == self.person and g > generation]
        return ScopeChange(frozenset(c for c, entered in log if not entered),
                           frozenset(c for c, entered in log if entered)
                           & self.cases.scope(self.person))

    def changes(self, position: int, limit: int) -> list[Change]:
        scope = self.cases.scope(self.person)
        return [c for c in self.cases.feed
                if c.position > position and c.case_id in scope][:limit]

    def at(self, position: int) -> list[Change]:
        scope = self.cases.scope(self.person)
        return [c for c in self.cases.feed if c.position == position and c.case_id in scope]

    def snapshot(self, case_ids: Sequence[str]) -> list[Change]:
        out: list[Change] = []
        for case_id in case_ids:
            out.append(self.cases.case_change(case_id))
            out += [replace(self.cases.items[i], position=0)
                    for i in self.cases.cases[case_id].items if i in self.cases.items]
        return out


@dataclass(kw_only=True)
class MemoryCaseLedger(MemoryLedger):
    """A v1 MemoryLedger for one field device, with the case work on MemoryCases."""
    cases: MemoryCases
    client_id: str
    person: str

    def case(self, case_id: str) -> CaseState | None:
        case = self.cases.cases.get(case_id)
        if case is None:
            return None
        if case_id in self.cases.scope(self.person):
            access = ASSIGNED
        elif self.person in self.cases.had.get(case_id, ()):
            access = FORMER
        else:
            return None
        status = case.fields.get("status")
        return CaseState(case.version, dict(case.fields),
                         status is not None and status.value == "closed", access)

    def field_base(self, case_id: str, name: str, version: int) -> Any:
        return self.cases.field_base(case_id, name, version)

    def applied_change(self, entity_id: str) -> AppliedChange | None:
        return self.cases.applied.get(entity_id)

    def add_item(self, mutation: CaseMutation, late: bool) -> tuple[str, ...]:
        pending = tuple(slot.id for slot in mutation.attachments)
        data = {key: value for key, value in mutation.raw_payload.items()
                if key not in ("locale", "client_created_at")}
        data.update(at=mutation.client_created_at, by=self.person, late=late,
                    photos=list(pending))
        self.cases.add_items([Change(mutation.entity, UPSERT, mutation.id,
                                     mutation.case_id, 1, data)])
        return pending

    def update_case(self, mutation: CaseMutation, values: Mapping[str, Any]) -> int:
        # A status is a change of its own (the server applies it as an officer's status
        # update, which moves the case version), then the other fields, as the server.
        fields = dict(values)
        if "status" in fields:
            version = self.cases.set_fields(mutation.case_id,
                                            {"status": fields.pop("status")}, self.client_id)
            if not fields:
                return version
        return self.cases.set_fields(mutation.case_id, fields, self.client_id)

    def add_conflicts(self, mutation: CaseMutation, overlaps: Sequence[Overlap],
                      late: bool) -> list[str]:
        ids = [conflict_id(mutation.id, o.field) for o in overlaps]
        self.cases.add_items([Change("conflict", UPSERT, kept, mutation.case_id, 1, {
            "field": o.field, "base": o.base, "server": o.server, "client": o.client,
            "base_version": mutation.base_version, "by": self.person,
            "client_id": self.client_id, "late": late, "status": "open",
            "resolution": None}) for kept, o in zip(ids, overlaps, strict=True)])
        return ids

    def explain(self, code: str, locale: str) -> str:
        return code  # the server says it in words, in the device's language

    def keep_conflict(self, mutation: Mutation | CaseMutation) -> None:
        self.conflicts.append({"id": mutation.id, "payload": mutation.raw_payload})

    def record(self, mutation: Mutation | CaseMutation, status: str,
               result: dict[str, Any]) -> None:
        self.results[mutation.mutation_id] = result
        self.last = mutation.mutation_id
        if isinstance(mutation, CaseMutation) and status in (APPLIED, CONFLICT) \
                and "reason" not in result:
            self.cases.applied.setdefault(mutation.id, AppliedChange(
                mutation.payload_sha256, result))
