"""The SQLite side of sync/sealed.py: a kiosk's push, sealed items among its mutations.

The same one write transaction as a plain push (server/db/sync_ledger.py); besides, an
item that does not open or needs attention is kept for hub staff (kiosk_held_items),
and each request a kiosk creates keeps its local receipt code (receipt_aliases).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import sqlite_utils

from server.db import requests as requests_db
from server.db import sync_clients
from server.db.clock import now_iso
from server.db.sync_ledger import OnCreated, SqliteLedger
from sync.apply import Created, Rejection, Stop, apply_mutation, run_batch
from sync.messages import PROTOCOL, Mutation, Push
from sync.sealed import SealedMutation, Unopened, apply_sealed


class KioskLedger(SqliteLedger):
    def keep_unopened(self, mutation: SealedMutation, reason: str) -> None:
        self.flush()
        self.db.conn.execute(
            "INSERT INTO kiosk_held_items (entity_id, client_id, mutation_id, kind, reason,"
            " sealed, form_version, at) VALUES (?, ?, ?, 'unopened', ?, ?, ?, ?)",
            [mutation.id, self.client_id, mutation.mutation_id, reason,
             json.dumps(mutation.sealed, sort_keys=True), mutation.form_version, now_iso()])

    def hold(self, mutation: Mutation, rejection: Rejection) -> None:
        self.flush()
        self.db.conn.execute(
            "INSERT INTO kiosk_held_items (entity_id, client_id, mutation_id, kind, reason,"
            " form_version, payload, errors, receipt, at)"
            " VALUES (?, ?, ?, 'needs_attention', ?, ?, ?, ?, ?, ?)",
            [mutation.id, self.client_id, mutation.mutation_id, rejection.reason,
             mutation.form_version, json.dumps(mutation.raw_payload, ensure_ascii=False),
             json.dumps(list(rejection.errors), ensure_ascii=False),
             mutation.payload.receipt, now_iso()])

    def create(self, mutation: Mutation) -> Created:
        created = super().create(mutation)
        self.flush()  # the alias refers to the request's row
        add_alias(self.db, mutation.payload.receipt, mutation.id)
        return created


def add_alias(db: sqlite_utils.Database, receipt: str, request_id: str) -> None:
    """A receipt code already taken (a clash of two random codes) keeps its first request:
    its holder still has their reference once it is sent."""
    db.conn.execute("INSERT OR IGNORE INTO receipt_aliases (receipt, request_id, at)"
                    " VALUES (?, ?, ?)", [receipt.upper(), request_id, now_iso()])


def apply_kiosk_push_in(db: sqlite_utils.Database, push: Push,
                        opened: Mapping[int, Mutation | Unopened],
                        checks: Mapping[int, requests_db.NewRequest | Rejection],
                        make_reference: Callable[[], str],
                        on_created: OnCreated | None = None) -> dict[str, Any]:
    """`opened`: per sealed mutation id, its inner request create or why it did not
    open; `checks` are keyed the same way, for the inner ones and any plain ones."""
    ledger = KioskLedger(db, push.client_id, checks, make_reference,
                         [m.id for m in push.mutations], on_created)

    def one(mutation: Any) -> dict[str, Any] | Stop:
        if isinstance(mutation, SealedMutation):
            return apply_sealed(ledger, mutation, opened[mutation.mutation_id])
        return apply_mutation(ledger, mutation)

    results, stopped = run_batch(push.mutations, one)
    ledger.flush()
    sync_clients.seen(db, push.client_id, push.app_version, ledger.last_mutation_id())
    return {"protocol": PROTOCOL, "client_id": push.client_id,
            "last_mutation_id": ledger.last_mutation_id(), "results": results,
            "stopped": stopped.as_json() if stopped else None}


RECEIPT = re.compile(r"^LOCAL-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\Z")


def normalise_receipt(typed: str) -> str | None:
    """A local receipt code as typed (any case, spaces or dashes), or None."""
    letters = re.sub(r"[\s\-\u2010-\u2015]+", "", typed.upper())
    code = f"{letters[:5]}-{letters[5:9]}-{letters[9:]}"
    return code if RECEIPT.match(code) else None


def reference_for_receipt(db: sqlite_utils.Database, receipt: str) -> str | None:
    row = db.execute("SELECT r.reference FROM receipt_aliases a JOIN requests r"
                     " ON r.id = a.request_id WHERE a.receipt = ?", [receipt]).fetchone()
    return row[0] if row else None
