"""The SQLite side of sync/apply.py: one push applied inside one write transaction.

The store's writer runs `apply_push_in` in a single BEGIN IMMEDIATE transaction, so a
batch's requests, events, attachment slots, stored results and the client's new
last_mutation_id commit together or not at all: a crash before COMMIT leaves no trace
and the client's retry applies them; a crash after it finds them stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import sqlite_utils

from server.db import batch, sync_clients, sync_slots
from server.db import requests as requests_db
from server.db.clock import now_iso
from sync.apply import Created, Entity, Rejection, apply_push
from sync.canonical import canonical_json
from sync.messages import Mutation, Push

OnCreated = Callable[[sqlite_utils.Database, Sequence[tuple[requests_db.NewRequest, str]]],
                    None]


class SqliteLedger:
    """Rows wait in lists and go in with one INSERT per table in `flush`, before the
    COMMIT (server/db/batch.py says why); every read checks what is waiting first.
    References are drawn for the whole push and checked in one query beforehand, so
    the requests' INSERT cannot clash (the single writer holds the lock meanwhile)."""

    def __init__(self, db: sqlite_utils.Database, client_id: str,
                 checks: Mapping[int, requests_db.NewRequest | Rejection],
                 make_reference: Callable[[], str], entity_ids: Sequence[str] = (),
                 on_created: OnCreated | None = None) -> None:
        self.db = db
        self.client_id = client_id
        self.checks = checks
        self.make_reference = make_reference
        self.on_created = on_created
        self._new: list[tuple[requests_db.NewRequest, str]] = []
        self._last = sync_clients.last_mutation_id(db, client_id)
        self._at = now_iso()  # one push, one moment
        # The push's entities as stored before it, read in one query; those it creates
        # are added as it goes, so `entity` asks the database only for an id not listed.
        self._looked_up = set(entity_ids)
        # Entities are this app's when one of its clients made them (issue 10).
        self._own_clients = set(sync_clients.lineage(db, client_id))
        self._stored = _stored_entities(db, self._looked_up)
        self._created: dict[str, Entity] = {}
        self._references: list[str] = []
        self._requests: list[tuple[Any, ...]] = []
        self._events: list[tuple[str, str]] = []
        self._results: list[tuple[str, int, str, str, str, str, str]] = []

    def last_mutation_id(self) -> int:
        return self._last

    def stored_result(self, mutation_id: int) -> dict[str, Any] | None:
        self.flush()  # a replay is rare: read what this push recorded too
        row = self.db.conn.execute("SELECT result FROM sync_mutations WHERE client_id = ?"
                                   " AND mutation_id = ?",
                                   [self.client_id, mutation_id]).fetchone()
        return json.loads(row[0]) if row else None

    def entity(self, entity_id: str) -> Entity | None:
        created = self._created.get(entity_id)
        if created is not None:
            return created
        if entity_id in self._looked_up:
            found = self._stored.get(entity_id)
        else:
            found = _stored_entities(self.db, {entity_id}).get(entity_id)
        if found is None:
            return None
        if found[2] not in self._own_clients:  # another's: not its reference nor files
            return Entity(None, "", (), own=False)
        return Entity(found[0], found[1], sync_slots.pending(self.db, entity_id))

    def check(self, mutation: Mutation) -> Rejection | None:
        checked = self.checks[mutation.mutation_id]
        return checked if isinstance(checked, Rejection) else None

    def create(self, mutation: Mutation) -> Created:
        checked = self.checks[mutation.mutation_id]
        assert not isinstance(checked, Rejection)
        if not self._references:
            self.flush()  # so references already handed out count as taken
            self._references = requests_db.free_references(
                self.db, self.make_reference, max(len(self._looked_up), 1))
        reference, now = self._references.pop(), now_iso()
        # entity() said this id is new: create_request's look-ups before and after its
        # insert would find nothing, then what was just written.
        self._requests.append(requests_db.request_row(checked, reference, now))
        self._events.append((mutation.id, now))
        self._new.append((checked, reference))
        pending: tuple[str, ...] = ()
        if mutation.attachments:
            self.flush()  # a slot refers to its request's row
            pending = sync_slots.add_slots(self.db, mutation.id, self.client_id, [
                sync_slots.NewSlot(a.id, a.question_id, a.sha256, a.size, a.filename,
                                   a.media_type) for a in mutation.attachments])
        self._created[mutation.id] = Entity(mutation.payload_sha256, reference, pending)
        return Created(reference, pending)

    def keep_conflict(self, mutation: Mutation) -> None:
        self.db.conn.execute(
            "INSERT INTO sync_conflicts (entity_id, client_id, mutation_id, payload,"
            " payload_sha256, at) VALUES (?, ?, ?, ?, ?, ?)",
            [mutation.id, self.client_id, mutation.mutation_id,
             canonical_json(mutation.raw_payload).decode("utf-8"), mutation.payload_sha256,
             now_iso()])

    def record(self, mutation: Mutation, status: str, result: dict[str, Any]) -> None:
        self._results.append((self.client_id, mutation.mutation_id, mutation.id, status,
                              mutation.payload_sha256,
                              canonical_json(result).decode("utf-8"), self._at))
        self._last = mutation.mutation_id

    def flush(self) -> None:
        """Write what waits: requests first, as their events refer to them."""
        requests_db.insert_requests(self.db, self._requests)
        requests_db.add_created_events(self.db, self._events)
        batch.insert_rows(self.db, "INSERT INTO sync_mutations (client_id, mutation_id,"
                          " entity_id, status, payload_sha256, result, at)", self._results)
        if self.on_created is not None and self._new:
            self.on_created(self.db, self._new)  # their notifications, in this transaction
        self._requests.clear()
        self._events.clear()
        self._results.clear()
        self._new = []


def _stored_entities(db: sqlite_utils.Database, entity_ids: Collection[str]
                     ) -> dict[str, tuple[str | None, str, str | None]]:
    """id -> (payload hash, reference, client) of the requests with these ids. A request
    made by a push has its applied mutation, and the client that pushed it; one made
    another way (the web form, same id by chance) has none, its hash and client None."""
    if not entity_ids:
        return {}
    ids = list(entity_ids)
    rows = db.conn.execute(
        "SELECT r.id, m.payload_sha256, r.reference, m.client_id FROM requests r"
        " LEFT JOIN sync_mutations"
        " m ON m.entity_id = r.id AND m.status = 'applied'"
        f" WHERE r.id IN ({', '.join('?' * len(ids))})", ids).fetchall()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def apply_push_in(db: sqlite_utils.Database, push: Push,
                  checks: Mapping[int, requests_db.NewRequest | Rejection],
                  make_reference: Callable[[], str],
                  on_created: OnCreated | None = None) -> dict[str, Any]:
    """`on_created(db, [(request, reference)])` queues what new requests announce (the
    notification package provides it; db does not import it)."""
    ledger = SqliteLedger(db, push.client_id, checks, make_reference,
                          [m.id for m in push.mutations], on_created)
    response = apply_push(ledger, push)
    ledger.flush()
    sync_clients.seen(db, push.client_id, push.app_version, ledger.last_mutation_id())
    return response
