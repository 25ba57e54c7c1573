"""The SQLite side of sync/field_apply.py: a protocol 2 push (a field device's visits,
notes and case updates, and any new requests) in the writer's one transaction. Every
write feeds the change feed through migration 0018's triggers, in that transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import sqlite_utils

from server.db import case_fields, field_feed, sync_clients, sync_slots
from server.db import requests as requests_db
from server.db.field_devices import Holder
from server.db.sync_ledger import OnCreated, SqliteLedger
from sync.apply import Rejection
from sync.field_apply import AppliedChange, apply_field_push
from sync.field_memory import conflict_id
from sync.field_messages import CaseMutation, FieldPush
from sync.merge import ASSIGNED, FORMER, CaseState, Overlap

# Who may read social work records (server/auth/access.py SPECIAL_CATEGORY_READERS).
SPECIAL_CATEGORY_ROLES = ("social_work_officer", "social_work_manager")
Explain = Callable[[str, str], str]  # (code, locale) -> the refusal in words
# (db, case id, status, writer: the device's client id, actor: "staff:<id>"): a status
# change the merge applied, made as the back office makes one (server/casework: the
# timeline, the audit, the resident told), in this transaction.
SetStatus = Callable[[sqlite_utils.Database, str, str, str, str], None]


class FieldLedger(SqliteLedger):
    def __init__(self, db: sqlite_utils.Database, push: FieldPush, holder: Holder,
                 checks: Mapping[int, requests_db.NewRequest | Rejection],
                 make_reference: Callable[[], str], closed: Collection[str],
                 explain: Explain, on_created: OnCreated | None = None,
                 set_status: SetStatus | None = None) -> None:
        requests = [m.id for m in push.mutations if not isinstance(m, CaseMutation)]
        super().__init__(db, push.client_id, checks, make_reference, requests, on_created)
        self.holder = holder
        self.closed = frozenset(closed)
        self._explain = explain
        self._set_status = set_status

    def applied_change(self, entity_id: str) -> AppliedChange | None:
        self.flush()
        row = self.db.execute(
            "SELECT payload_sha256, result FROM sync_mutations WHERE entity_id = ?"
            " AND status IN ('applied', 'conflict') AND json_extract(result, '$.case_id')"
            " IS NOT NULL AND json_extract(result, '$.reason') IS NULL"
            " ORDER BY at LIMIT 1", [entity_id]).fetchone()
        if row is None:
            return None
        result = json.loads(row[1])
        if result["attachments_pending"]:
            waiting = set(sync_slots.pending(self.db, result["case_id"]))
            result["attachments_pending"] = [a for a in result["attachments_pending"]
                                             if a in waiting]
        return AppliedChange(row[0], result)

    def case(self, case_id: str) -> CaseState | None:
        person = self.holder.person_id
        if self.holder.role not in SPECIAL_CATEGORY_ROLES and self.db.execute(
                "SELECT 1 FROM requests WHERE id = ? AND special_category = 1",
                [case_id]).fetchone():
            return None  # a social work record: never theirs, even if they once had it
        if self.db.execute("SELECT 1 FROM field_scope WHERE person_id = ? AND case_id = ?",
                           [person, case_id]).fetchone():
            access = ASSIGNED
        elif field_feed.had(self.db, person, case_id):
            access = FORMER
        else:
            return None
        fields = case_fields.states(self.db, case_id)
        version = case_fields.version(self.db, case_id)
        assert version is not None
        status = fields.get("status")
        return CaseState(version, fields, status is not None and status.value in self.closed,
                         access)

    def field_base(self, case_id: str, name: str, version: int) -> Any:
        return case_fields.field_base(self.db, case_id, name, version)

    def add_item(self, mutation: CaseMutation, late: bool) -> tuple[str, ...]:
        mine = tuple(slot.id for slot in mutation.attachments)
        pending: tuple[str, ...] = ()
        if mine:
            waiting = set(sync_slots.add_slots(self.db, mutation.case_id, self.client_id, [
                sync_slots.NewSlot(a.id, a.question_id, a.sha256, a.size, a.filename,
                                   a.media_type) for a in mutation.attachments]))
            pending = tuple(a for a in mine if a in waiting)
        data = {key: value for key, value in mutation.raw_payload.items()
                if key not in ("locale", "client_created_at")}
        data.update(at=mutation.client_created_at, by=self.holder.name, late=late,
                    photos=list(mine))
        case_fields.add_item(self.db, mutation.entity, mutation.id, mutation.case_id, data)
        return pending

    def update_case(self, mutation: CaseMutation, values: Mapping[str, Any]) -> int:
        fields = dict(values)
        status = fields.pop("status", None)
        if status is not None:
            if self._set_status is None:
                raise RuntimeError("a status change needs the back office's set_status")
            self._set_status(self.db, mutation.case_id, status, self.client_id,
                             f"staff:{self.holder.person_id}")
        if fields or status is None:
            return case_fields.set_fields(self.db, mutation.case_id, fields, self.client_id)
        version = case_fields.version(self.db, mutation.case_id)
        assert version is not None
        return version

    def add_conflicts(self, mutation: CaseMutation, overlaps: Sequence[Overlap],
                      late: bool) -> list[str]:
        ids = [conflict_id(mutation.id, o.field) for o in overlaps]
        for kept, o in zip(ids, overlaps, strict=True):
            case_fields.add_item(self.db, "conflict", kept, mutation.case_id, {
                "field": o.field, "base": o.base, "server": o.server, "client": o.client,
                "base_version": mutation.base_version, "by": self.holder.name,
                "client_id": self.client_id, "late": late, "status": "open",
                "resolution": None})
        return ids

    def explain(self, code: str, locale: str) -> str:
        return self._explain(code, locale)


def apply_field_push_in(db: sqlite_utils.Database, push: FieldPush, holder: Holder,
                        checks: Mapping[int, requests_db.NewRequest | Rejection],
                        make_reference: Callable[[], str], closed: Collection[str],
                        explain: Explain, on_created: OnCreated | None = None,
                        set_status: SetStatus | None = None) -> dict[str, Any]:
    ledger = FieldLedger(db, push, holder, checks, make_reference, closed, explain,
                         on_created, set_status)
    response = apply_field_push(ledger, push)
    ledger.flush()
    sync_clients.seen(db, push.client_id, push.app_version, ledger.last_mutation_id())
    return response
