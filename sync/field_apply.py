"""Applying a protocol 2 push, exactly once: a field worker's visits, notes and case
updates, with the storage behind a CaseLedger.

The order of a v1 push stays (sync/apply.py): a replay returns the stored result, a gap
stops the batch, the next mutation is decided and its result stored under its id. A
request to create is decided as in v1. Work on a case:

- its own id seen before: the same payload is a `duplicate` (the first result again),
  another payload a `conflict` (`id_reused`, kept for a person);
- a case the device's person never had: `rejected` (`unknown_case`), said the same way
  as a case that does not exist;
- visit.create and note.create append, whatever the case's state: on a case that is
  closed or was taken away from the person they are accepted marked `late`;
- case.update merges three ways (sync/merge.py): `applied`, or `conflict` when fields
  overlapped, with what applied and each conflict; bad fields are `rejected`
  (`invalid_fields`) with field errors; a base_version the case never had is `rejected`
  (`unknown_version`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .apply import (
    APPLIED,
    CONFLICT,
    DUPLICATE,
    REJECTED,
    Ledger,
    Stop,
    decide_request,
    replay_or_stop,
    run_batch,
)
from .field_messages import FIELD_PROTOCOL, CaseMutation, FieldPush
from .merge import CaseState, Overlap, merge
from .messages import Mutation


@dataclass(frozen=True)
class AppliedChange:
    """A visit, note or case change already applied: its hash and its first result."""
    payload_sha256: str
    result: dict[str, Any]


class CaseLedger(Ledger, Protocol):
    """What the server must provide beyond a v1 Ledger, inside the push's transaction.
    Every write also writes its change-feed rows (sync/pull.py) in that transaction."""
    def keep_conflict(self, mutation: Mutation | CaseMutation) -> None: ...
    def record(self, mutation: Mutation | CaseMutation, status: str,
               result: dict[str, Any]) -> None: ...
    # Work with this id already applied (by any device): its hash and first result,
    # with attachments_pending as they are now.
    def applied_change(self, entity_id: str) -> AppliedChange | None: ...
    # The case as the device's person may see it; None when they never had it.
    def case(self, case_id: str) -> CaseState | None: ...
    def field_base(self, case_id: str, name: str, version: int) -> Any: ...
    # Appends a visit or note (with its photo slots); the slots still to upload.
    def add_item(self, mutation: CaseMutation, late: bool) -> tuple[str, ...]: ...
    # Writes the merged fields as this device's change; the case's new version.
    def update_case(self, mutation: CaseMutation, values: Mapping[str, Any]) -> int: ...
    # Keeps each overlap (both values and the base) for a person; their conflict ids.
    def add_conflicts(self, mutation: CaseMutation, overlaps: Sequence[Overlap],
                      late: bool) -> list[str]: ...
    def explain(self, code: str, locale: str) -> str: ...  # a refusal, in the language


def case_result(m: CaseMutation, status: str, late: bool = False, **more: Any
                ) -> dict[str, Any]:
    return {"mutation_id": m.mutation_id, "id": m.id, "case_id": m.case_id,
            "status": status, "late": late, "attachments_pending": [], **more}


def _rejected(ledger: CaseLedger, m: CaseMutation, reason: str,
              problems: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return case_result(m, REJECTED, reason=reason, errors=[
        {"field": where, "code": code, "message": ledger.explain(code, m.locale)}
        for where, code in problems])


def decide_case(ledger: CaseLedger, m: CaseMutation, writer: str) -> dict[str, Any]:
    first = ledger.applied_change(m.id)
    if first is not None:
        if first.payload_sha256 == m.payload_sha256:
            return {**first.result, "mutation_id": m.mutation_id, "status": DUPLICATE}
        ledger.keep_conflict(m)
        return case_result(m, CONFLICT, reason="id_reused")
    case = ledger.case(m.case_id)
    if case is None:
        return _rejected(ledger, m, "unknown_case", [("case_id", "unknown_case")])
    if m.entity != "case":
        pending = ledger.add_item(m, case.late)
        return case_result(m, APPLIED, case.late, attachments_pending=list(pending))
    assert m.base_version is not None  # the reader requires one on a case.update
    if m.base_version > case.version:
        return _rejected(ledger, m, "unknown_version", [("base_version", "unknown_version")])
    merged = merge(case, m.base_version, m.fields, writer,
                   lambda name: ledger.field_base(m.case_id, name, m.base_version or 0))
    if merged.problems:
        return _rejected(ledger, m, "invalid_fields",
                         [(f"payload.fields.{p.field}", p.code) for p in merged.problems])
    version = ledger.update_case(m, merged.apply) if merged.apply else case.version
    ids = ledger.add_conflicts(m, merged.overlaps, case.late) if merged.overlaps else []
    conflicts = [{"conflict_id": conflict_id, "field": o.field, "base": o.base,
                  "server": o.server, "client": o.client}
                 for conflict_id, o in zip(ids, merged.overlaps, strict=True)]
    return case_result(m, CONFLICT if conflicts else APPLIED, case.late, version=version,
                       applied=sorted(merged.apply), conflicts=conflicts)


def apply_field_mutation(ledger: CaseLedger, mutation: Mutation | CaseMutation, writer: str
                         ) -> dict[str, Any] | Stop:
    done = replay_or_stop(ledger, mutation)
    if done is not None:
        return done
    if isinstance(mutation, CaseMutation):
        out = decide_case(ledger, mutation, writer)
    else:
        out = decide_request(ledger, mutation)
    ledger.record(mutation, out["status"], out)
    return out


def apply_field_push(ledger: CaseLedger, push: FieldPush) -> dict[str, Any]:
    """The push response body (protocol 2). The device is the writer of what applies."""
    results, stopped = run_batch(
        push.mutations, lambda m: apply_field_mutation(ledger, m, push.client_id))
    return {"protocol": FIELD_PROTOCOL, "client_id": push.client_id,
            "last_mutation_id": ledger.last_mutation_id(), "results": results,
            "stopped": stopped.as_json() if stopped else None}
