"""The notification outbox (server/notify/ writes and sends it): rows queued in the
transaction of what they announce, claimed by the one sender, and marked with what
happened (accepted, delivered, retried, refused, given up)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from server.db import batch
from server.db.clock import now_iso
from server.db.closures import closure_days

DONE = ("sent", "delivered", "failed", "expired", "suppressed")


@dataclass(frozen=True)
class NewNotification:
    id: str
    channel: str  # 'email' | 'sms'
    recipient: str
    template: str
    locale: str
    request_id: str | None = None
    event_id: int | None = None
    params: dict[str, Any] | None = None
    send_before: str | None = None


@dataclass(frozen=True)
class Claimed:
    """A notification being sent, with what its words are made from."""
    id: str
    channel: str
    recipient: str
    template: str
    locale: str
    request_id: str | None
    event_id: int | None
    params: dict[str, Any]
    attempts: int
    created_at: str
    send_before: str | None
    stopped: bool  # the person stopped these updates after it was queued
    unreachable: bool  # the address or number was refused for good before
    reference: str | None = None
    journey: str | None = None
    form_version: int | None = None
    service: str | None = None
    request_created_at: str | None = None
    event_status: str | None = None
    event_message: str | None = None
    tracking_public_id: str | None = None  # the request's tracking link (auth/signed_links)
    tracking_generation: int = 0
    # The council's closures, read with the batch: the dates its words promise skip them.
    closures: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Outcome:
    id: str
    status: str  # sent | failed | expired | suppressed | queued (try again)
    provider_id: str | None = None
    error: str | None = None
    retry_at: str | None = None
    unreachable: bool = False  # refused for good: do not try this address again
    task: str | None = None  # a task for the request's officer, when one is needed


_INSERT = ("INSERT INTO notifications (id, channel, recipient, template, locale, request_id,"
           " event_id, params, created_at, next_attempt_at, send_before)")


def queue(db: sqlite_utils.Database, notices: Sequence[NewNotification]) -> None:
    """Queue notifications, due now: one statement for them all."""
    now = now_iso()
    batch.insert_rows(db, _INSERT, [
        (n.id, n.channel, n.recipient, n.template, n.locale, n.request_id, n.event_id,
         json.dumps(n.params) if n.params else None, now, now, n.send_before)
        for n in notices])


_CLAIM_COLUMNS = (
    "n.id, n.channel, n.recipient, n.template, n.locale, n.request_id, n.event_id,"
    " n.params, n.attempts, n.created_at, n.send_before,"
    # Stops and refusals hold back updates about requests only: a link the person has
    # just asked for (sign-in, phone) is always tried. A stop counts when it came after
    # the person's latest choice for the request (choosing texts again starts them).
    " n.request_id IS NOT NULL AND EXISTS (SELECT 1 FROM update_stops s"
    "   WHERE s.channel = n.channel AND s.recipient = n.recipient"
    "   AND (s.request_id IS NULL OR s.request_id = n.request_id)"
    "   AND s.at >= COALESCE((SELECT c.changed_at FROM update_choices c"
    "                         WHERE c.request_id = n.request_id), r.created_at)),"
    " n.request_id IS NOT NULL AND EXISTS (SELECT 1 FROM unreachable_contacts u"
    "   WHERE u.channel = n.channel AND u.recipient = n.recipient),"
    " r.reference, r.journey, r.form_version, r.service, r.created_at, e.status, e.message,"
    " t.public_id, COALESCE(t.generation, 0)")


def claim_due(db: sqlite_utils.Database, limit: int) -> list[Claimed]:
    """Up to `limit` notifications due now, marked 'sending' so nothing else takes
    them. A sender that dies leaves them 'sending'; `release_claims` at the next start
    puts them back (one process sends, as one process writes)."""
    rows = db.conn.execute(
        f"SELECT {_CLAIM_COLUMNS} FROM notifications n"
        " LEFT JOIN requests r ON r.id = n.request_id"
        " LEFT JOIN request_events e ON e.id = n.event_id"
        " LEFT JOIN tracking_links t ON t.request_id = n.request_id"
        " WHERE n.status = 'queued' AND n.next_attempt_at <= ?"
        " ORDER BY n.next_attempt_at, n.rowid LIMIT ?", [now_iso(), limit]).fetchall()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    db.conn.execute(f"UPDATE notifications SET status = 'sending' WHERE id IN"
                    f" ({', '.join('?' * len(ids))})", ids)
    closures = closure_days(db)
    return [Claimed(*row[:7], json.loads(row[7]) if row[7] else {}, *row[8:11],
                    bool(row[11]), bool(row[12]), *row[13:], closures=closures)
            for row in rows]


def release_claims(db: sqlite_utils.Database) -> int:
    """At start: what a previous sender had claimed is due again (sent at most twice,
    with the same Message-ID or Notify reference)."""
    return int(db.execute("UPDATE notifications SET status = 'queued', next_attempt_at = ?"
                          " WHERE status = 'sending'", [now_iso()]).rowcount)


def next_due_at(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT MIN(next_attempt_at) FROM notifications"
                     " WHERE status = 'queued'").fetchone()
    return str(row[0]) if row and row[0] else None


def record(db: sqlite_utils.Database, outcomes: Sequence[Outcome]) -> None:
    """What the sender did with a batch, in one transaction. A message that is done
    (sent, refused, given up) loses its params: they may hold a one-time link."""
    now = now_iso()
    for o in outcomes:
        if o.status == "queued":
            db.conn.execute("UPDATE notifications SET status = 'queued', attempts ="
                            " attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                            [o.retry_at, (o.error or "")[:500], o.id])
            continue
        db.conn.execute(
            "UPDATE notifications SET status = ?, attempts = attempts + ?, params = NULL,"
            " provider_id = COALESCE(?, provider_id), last_error = ?, done_at = ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
            [o.status, 0 if o.status == "suppressed" else 1, o.provider_id,
             o.error[:500] if o.error else None, now, o.status, now, o.id])
        if o.unreachable or o.task:
            _consequences(db, o.id, o.error or o.status, o.unreachable, o.task)


def _consequences(db: sqlite_utils.Database, notification_id: str, reason: str,
                  unreachable: bool, task: str | None) -> None:
    row = db.conn.execute("SELECT channel, recipient, request_id FROM notifications"
                          " WHERE id = ?", [notification_id]).fetchone()
    if row is None:
        return
    if unreachable:
        db.conn.execute("INSERT OR REPLACE INTO unreachable_contacts (channel, recipient,"
                        " reason, at) VALUES (?, ?, ?, ?)", [row[0], row[1], reason[:200],
                                                             now_iso()])
    if task and row[2]:
        add_task(db, row[2], task, row[0])


def add_task(db: sqlite_utils.Database, request_id: str, kind: str, detail: str) -> None:
    """One open task of a kind per request: a second failure does not add another."""
    if db.conn.execute("SELECT 1 FROM request_tasks WHERE request_id = ? AND kind = ?"
                       " AND done_at IS NULL", [request_id, kind]).fetchone():
        return
    db.conn.execute("INSERT INTO request_tasks (request_id, kind, detail, created_at)"
                    " VALUES (?, ?, ?, ?)", [request_id, kind, detail, now_iso()])


@dataclass(frozen=True)
class Receipt:
    found: bool
    request_id: str | None = None
    channel: str | None = None
    recipient: str | None = None
    template: str | None = None


def by_provider_id(db: sqlite_utils.Database, provider_id: str,
                   reference: str | None) -> Receipt:
    """The notification Notify knows by `provider_id` (and, when Notify sends it, our
    reference, which is our id): both must agree."""
    row = db.conn.execute("SELECT id, request_id, channel, recipient, template FROM"
                          " notifications WHERE provider_id = ?", [provider_id]).fetchone()
    if row is None or (reference is not None and reference != row[0]):
        return Receipt(False)
    return Receipt(True, row[1], row[2], row[3], row[4])


def mark_delivery(db: sqlite_utils.Database, provider_id: str, delivered: bool,
                  error: str | None, unreachable: bool, task: str | None) -> None:
    """A delivery receipt. The same receipt twice changes nothing the second time;
    a failure never overwrites a delivery already recorded."""
    row = db.conn.execute("SELECT id, status FROM notifications WHERE provider_id = ?",
                          [provider_id]).fetchone()
    if row is None or row[1] == "delivered" or (row[1] == "failed" and not delivered):
        return
    db.conn.execute("UPDATE notifications SET status = ?, last_error = ?, done_at = ?"
                    " WHERE id = ?", ["delivered" if delivered else "failed", error,
                                      now_iso(), row[0]])
    if not delivered:
        _consequences(db, row[0], error or "failed", unreachable, task)


@dataclass(frozen=True)
class Delivery:
    id: str
    channel: str
    status: str
    event_id: int | None
    template: str
    last_error: str | None


def for_request(db: sqlite_utils.Database, request_id: str) -> list[Delivery]:
    rows = db.conn.execute("SELECT id, channel, status, event_id, template, last_error FROM"
                           " notifications WHERE request_id = ? ORDER BY rowid",
                           [request_id]).fetchall()
    return [Delivery(*row) for row in rows]


def status_of(db: sqlite_utils.Database, notification_id: str) -> tuple[str, int, str | None]:
    """(status, attempts, last error) of one notification."""
    row = db.execute("SELECT status, attempts, last_error FROM notifications WHERE id = ?",
                     [notification_id]).fetchone()
    return (str(row[0]), int(row[1]), row[2]) if row else ("unknown", 0, None)


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many notifications are in each status (tests and the benchmarks)."""
    return {row[0]: int(row[1]) for row in db.execute(
        "SELECT status, COUNT(*) FROM notifications GROUP BY status")}
