"""Applying a push, exactly once: the decisions, with the storage behind a Ledger.

Per mutation: the client's last applied id decides whether this is a replay (return
the stored result), out of order (stop the batch) or next (apply it). Applying looks
at the entity id first: seen with the same payload hash is a duplicate, with another
hash a conflict (both kept), new is checked and then created or rejected. Every
outcome except a stop is stored under the mutation id, so a retry gets the same bytes.

The server's Ledger (server/db/sync_ledger.py) runs this inside one write
transaction; MemoryLedger runs it in the example tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from .messages import PROTOCOL, Mutation, Numbered, Push

APPLIED, DUPLICATE, CONFLICT, REJECTED = "applied", "duplicate", "conflict", "rejected"
OUTCOMES = (APPLIED, DUPLICATE, CONFLICT, REJECTED)
ID_TAKEN = "id_taken"  # the entity id is another client's
M = TypeVar("M", bound=Numbered)


@dataclass(frozen=True)
class Entity:
    """An entity already stored: the hash it was applied with, and its reference."""
    payload_sha256: str | None  # None when it came another way (the web form)
    reference: str
    attachments_pending: tuple[str, ...] = ()
    # Made by this client. Entity ids are the clients' own: another client's (or the web
    # form's) says nothing about this one's, and nothing of it may be shown to it.
    own: bool = True


@dataclass(frozen=True)
class Rejection:
    reason: str  # invalid_answers, unknown_journey, unknown_form_version, ...
    errors: tuple[dict[str, str], ...]  # {"field": question id, "message": translated}


@dataclass(frozen=True)
class Created:
    reference: str
    attachments_pending: tuple[str, ...]


class Ledger(Protocol):
    def last_mutation_id(self) -> int: ...
    def stored_result(self, mutation_id: int) -> dict[str, Any] | None: ...
    def entity(self, entity_id: str) -> Entity | None: ...
    def check(self, mutation: Mutation) -> Rejection | None: ...
    def create(self, mutation: Mutation) -> Created: ...
    def keep_conflict(self, mutation: Mutation) -> None: ...
    def record(self, mutation: Mutation, status: str, result: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class Stop:
    expected: int

    def as_json(self) -> dict[str, Any]:
        return {"reason": "out_of_order", "expected": self.expected}


def step(last: int, mutation_id: int) -> str:
    """replay, apply or out_of_order, from the client's last applied mutation id."""
    if mutation_id <= last:
        return "replay"
    return "apply" if mutation_id == last + 1 else "out_of_order"


def entity_outcome(existing: Entity | None, payload_sha256: str) -> str:
    if existing is None:
        return "new"
    return DUPLICATE if existing.payload_sha256 == payload_sha256 else CONFLICT


def result(mutation: Numbered, status: str, reference: str | None = None,
           pending: tuple[str, ...] = (), rejection: Rejection | None = None
           ) -> dict[str, Any]:
    out: dict[str, Any] = {"mutation_id": mutation.mutation_id, "id": mutation.id,
                           "status": status, "attachments_pending": list(pending)}
    if reference is not None:
        out["reference"] = reference
    if rejection is not None:
        out["reason"] = rejection.reason
        out["errors"] = [dict(e) for e in rejection.errors]
    return out


def replay_or_stop(ledger: Ledger, mutation: Numbered) -> dict[str, Any] | Stop | None:
    """What the client's last applied id says: the stored result of a replay, a stop at
    a gap, or None when this mutation is the next one and must be decided."""
    last = ledger.last_mutation_id()
    decision = step(last, mutation.mutation_id)
    if decision == "out_of_order":
        return Stop(last + 1)
    if decision == "apply":
        return None
    stored = ledger.stored_result(mutation.mutation_id)
    # Every id up to `last` has a stored result (they are written together); a
    # missing one means the database was edited by hand: say so, change nothing.
    if stored is None:
        return result(mutation, REJECTED, rejection=Rejection("result_missing", ()))
    # A retry of an applied mutation (its answer was lost, or a copy of the push raced
    # the first) says `duplicate`: the same request and reference, not applied again.
    return {**stored, "status": DUPLICATE} if stored.get("status") == APPLIED else stored


def decide_request(ledger: Ledger, mutation: Mutation) -> dict[str, Any]:
    """The next mutation, a request to create: the entity id decides."""
    existing = ledger.entity(mutation.id)
    if existing is not None and not existing.own:
        # Issue 10: answering duplicate gave away another client's reference and file
        # ids, and a conflict was filed against someone else's request.
        return result(mutation, REJECTED, rejection=Rejection(ID_TAKEN, ()))
    outcome = entity_outcome(existing, mutation.payload_sha256)
    if outcome == DUPLICATE and existing is not None:
        return result(mutation, DUPLICATE, existing.reference, existing.attachments_pending)
    if outcome == CONFLICT:
        ledger.keep_conflict(mutation)
        return result(mutation, CONFLICT)
    rejection = ledger.check(mutation)
    if rejection is not None:
        return result(mutation, REJECTED, rejection=rejection)
    created = ledger.create(mutation)
    return result(mutation, APPLIED, created.reference, created.attachments_pending)


def apply_mutation(ledger: Ledger, mutation: Mutation) -> dict[str, Any] | Stop:
    done = replay_or_stop(ledger, mutation)
    if done is not None:
        return done
    out = decide_request(ledger, mutation)
    ledger.record(mutation, out["status"], out)
    return out


def run_batch(mutations: Iterable[M], apply_one: Callable[[M], dict[str, Any] | Stop]
              ) -> tuple[list[dict[str, Any]], Stop | None]:
    """Each mutation's result in order, up to the first out-of-order one."""
    results: list[dict[str, Any]] = []
    for mutation in mutations:
        outcome = apply_one(mutation)
        if isinstance(outcome, Stop):
            return results, outcome
        results.append(outcome)
    return results, None


def apply_push(ledger: Ledger, push: Push) -> dict[str, Any]:
    """The push response body. Stops at the first out-of-order mutation."""
    results, stopped = run_batch(push.mutations, lambda m: apply_mutation(ledger, m))
    return {"protocol": PROTOCOL, "client_id": push.client_id,
            "last_mutation_id": ledger.last_mutation_id(), "results": results,
            "stopped": stopped.as_json() if stopped else None}


@dataclass
class MemoryLedger:
    """A ledger in memory, for the examples: the same decisions, no database.
    `check` is the payload checker to use (the server passes its real one)."""
    checker: Any
    last: int = 0
    results: dict[int, dict[str, Any]] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # handed out in order

    def last_mutation_id(self) -> int:
        return self.last

    def stored_result(self, mutation_id: int) -> dict[str, Any] | None:
        return self.results.get(mutation_id)

    def entity(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def check(self, mutation: Mutation) -> Rejection | None:
        rejection: Rejection | None = self.checker(mutation)
        return rejection

    def create(self, mutation: Mutation) -> Created:
        reference = self.references.pop(0)
        pending = tuple(a.id for a in mutation.attachments)
        self.entities[mutation.id] = Entity(mutation.payload_sha256, reference, pending)
        return Created(reference, pending)

    def keep_conflict(self, mutation: Mutation) -> None:
        self.conflicts.append({"id": mutation.id, "payload": mutation.raw_payload})

    def record(self, mutation: Mutation, status: str, result: dict[str, Any]) -> None:
        self.results[mutation.mutation_id] = result
        self.last = mutation.mutation_id
