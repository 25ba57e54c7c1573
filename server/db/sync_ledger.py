"""The SQLite side of sync/apply.py: one push applied inside one write transaction.

The store's writer runs `apply_push_in` in a single BEGIN IMMEDIATE transaction, so a
batch's requests, events, attachment slots, stored results and the client's new
last_mutation_id commit together or not at all: a crash before COMMIT leaves no trace
and the client's retry applies them; a crash after it finds them stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlite_utils

from sync.apply import Created, Entity, Rejection, apply_push
from sync.canonical import canonical_json
from sync.messages import Mutation, Push

from . import requests as requests_db
from . import sync_clients, sync_slots
from .clock import now_iso

if TYPE_CHECKING:
    from ..sync_payload import CheckedSubmission


@dataclass(frozen=True)
class KeptConflict:
    client_id: str
    mutation_id: int
    payload: dict[str, Any]
    payload_sha256: str


class SqliteLedger:
    def __init__(self, db: sqlite_utils.Database, client_id: str,
                 checks: Mapping[int, CheckedSubmission | Rejection],
                 make_reference: Callable[[], str]) -> None:
        self.db = db
        self.client_id = client_id
        self.checks = checks
        self.make_reference = make_reference
        self._last = sync_clients.last_mutation_id(db, client_id)
        self._at = now_iso()  # one push, one moment

    def last_mutation_id(self) -> int:
        return self._last

    def stored_result(self, mutation_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT result FROM sync_mutations WHERE client_id = ?"
                              " AND mutation_id = ?", [self.client_id, mutation_id]).fetchone()
        return json.loads(row[0]) if row else None

    def entity(self, entity_id: str) -> Entity | None:
        # One query: a request made by a push has its applied mutation; one made another
        # way (the web form, same id by chance) has none, and its hash is None.
        row = self.db.execute(
            "SELECT r.reference, m.payload_sha256 FROM requests r LEFT JOIN sync_mutations m"
            " ON m.entity_id = r.id AND m.status = 'applied' WHERE r.id = ?",
            [entity_id]).fetchone()
        if row is None:
            return None
        return Entity(row[1], row[0], sync_slots.pending(self.db, entity_id))

    def check(self, mutation: Mutation) -> Rejection | None:
        checked = self.checks[mutation.mutation_id]
        return checked if isinstance(checked, Rejection) else None

    def create(self, mutation: Mutation) -> Created:
        checked = self.checks[mutation.mutation_id]
        assert not isinstance(checked, Rejection)
        payload, journey = mutation.payload, checked.journey
        created = requests_db.create_request(self.db, requests_db.NewRequest(
            id=mutation.id, journey=journey.journey, service=journey.service,
            form_version=journey.version, answers=checked.answers, channel="offline",
            special_category=journey.special_category, contact_name=checked.contact["name"],
            contact_email=checked.contact["email"], contact_phone=checked.contact["phone"],
            locale=payload.locale, client_created_at=payload.client_created_at,
        ), self.make_reference)
        pending = sync_slots.add_slots(self.db, mutation.id, self.client_id, [
            sync_slots.NewSlot(a.id, a.question_id, a.sha256, a.size, a.filename,
                               a.media_type) for a in mutation.attachments
        ]) if mutation.attachments else ()
        return Created(created.request.reference, pending)

    def keep_conflict(self, mutation: Mutation) -> None:
        self.db.execute(
            "INSERT INTO sync_conflicts (entity_id, client_id, mutation_id, payload,"
            " payload_sha256, at) VALUES (?, ?, ?, ?, ?, ?)",
            [mutation.id, self.client_id, mutation.mutation_id,
             canonical_json(mutation.raw_payload).decode("utf-8"), mutation.payload_sha256,
             now_iso()])

    def record(self, mutation: Mutation, status: str, result: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO sync_mutations (client_id, mutation_id, entity_id, status,"
            " payload_sha256, result, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [self.client_id, mutation.mutation_id, mutation.id, status,
             mutation.payload_sha256, canonical_json(result).decode("utf-8"), self._at])
        self._last = mutation.mutation_id


def apply_push_in(db: sqlite_utils.Database, push: Push,
                  checks: Mapping[int, CheckedSubmission | Rejection],
                  make_reference: Callable[[], str]) -> dict[str, Any]:
    ledger = SqliteLedger(db, push.client_id, checks, make_reference)
    response = apply_push(ledger, push)
    sync_clients.seen(db, push.client_id, push.app_version, ledger.last_mutation_id())
    return response


def mutation_count(db: sqlite_utils.Database, client_id: str | None = None) -> int:
    if client_id is None:
        return int(db.execute("SELECT COUNT(*) FROM sync_mutations").fetchone()[0])
    return int(db.execute("SELECT COUNT(*) FROM sync_mutations WHERE client_id = ?",
                          [client_id]).fetchone()[0])


def conflicts_for(db: sqlite_utils.Database, entity_id: str) -> list[KeptConflict]:
    rows = db.execute("SELECT client_id, mutation_id, payload, payload_sha256 FROM"
                      " sync_conflicts WHERE entity_id = ? ORDER BY id", [entity_id]).fetchall()
    return [KeptConflict(r[0], r[1], json.loads(r[2]), r[3]) for r in rows]


def row_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many rows the tables a push can change hold: a refused push changes none."""
    tables = ("requests", "request_events", "sync_mutations", "sync_conflicts",
              "attachment_slots")
    counts = {t: int(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}
    counts["last_mutation_ids"] = int(db.execute(
        "SELECT COALESCE(SUM(last_mutation_id), 0) FROM sync_clients").fetchone()[0])
    return counts


def requests_with_id(db: sqlite_utils.Database, request_id: str) -> int:
    """Rows for one request id (the primary key makes it 0 or 1; tests count anyway)."""
    return int(db.execute("SELECT COUNT(*) FROM requests WHERE id = ?",
                          [request_id]).fetchone()[0])
