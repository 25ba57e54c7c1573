"""Requests people make, and their append-only timelines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.db import batch, case_fields
from server.db.clock import now_iso

CHANNELS = ("web", "offline", "kiosk", "field", "api")
RECEIVED = "received"


@dataclass(frozen=True)
class NewRequest:
    id: str
    journey: str
    service: str
    form_version: int
    answers: dict[str, Any]
    channel: str
    special_category: bool
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    locale: str
    client_created_at: str | None = None
    # How they want updates (email, text, both, none): kept by server/notify, not here.
    updates: str = "none"

    def payload_sha256(self, answers_json: str | None = None) -> str:
        """`answers_json`: json.dumps(answers, sort_keys=True) when the caller has it
        already; the hash is of the same bytes either way."""
        if answers_json is None:
            answers_json = json.dumps(self.answers, sort_keys=True)
        # The bytes json.dumps(sort_keys=True) makes of {journey, form_version, answers,
        # contact}: "answers" sorts first, so its JSON goes in front of the rest's.
        rest = json.dumps({"journey": self.journey, "form_version": self.form_version,
                           "contact": [self.contact_name, self.contact_email,
                                       self.contact_phone]}, sort_keys=True)
        text = f'{{"answers": {answers_json}, {rest[1:]}'
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class StoredRequest:
    id: str
    reference: str
    journey: str
    service: str
    form_version: int
    answers: dict[str, Any]
    channel: str
    status: str
    special_category: bool
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    locale: str
    payload_sha256: str
    created_at: str
    updated_at: str
    outcome: str | None = None  # why it was closed (casework.status.OUTCOMES)
    officer_flag: str | None = None  # what the resident did that an officer must see
    team_id: str | None = None  # the team it is assigned to (db/teams.py)
    assignee: str | None = None  # the staff id of the officer it is assigned to
    priority: str = "normal"  # urgent, high, normal or low
    version: int = 1  # bumped by every change an officer makes (migration 0015)


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    kind: str
    status: str | None
    public: bool
    message: str | None
    actor: str
    outcome: str | None = None


@dataclass(frozen=True)
class Created:
    request: StoredRequest
    duplicate: bool  # the same submission had already been stored


_COLUMNS = ("id, reference, journey, service, form_version, answers, channel, status,"
            " special_category, contact_name, contact_email, contact_phone, locale,"
            " payload_sha256, created_at, updated_at")
# What reads select: the inserted columns and those set later.
_READ = f"{_COLUMNS}, outcome, officer_flag, team_id, assignee, priority, version"


def _row_to_request(row: tuple[Any, ...]) -> StoredRequest:
    values = list(row)
    values[5] = json.loads(values[5])
    values[8] = bool(values[8])
    return StoredRequest(*values)


def create_request(db: sqlite_utils.Database, new: NewRequest,
                   make_reference: Callable[[], str]) -> Created:
    """Store a request once. The same id sent again returns the first result."""
    existing = by_id(db, new.id)
    if existing is not None:
        return Created(existing, duplicate=True)
    insert_request(db, new, make_reference, now_iso())
    add_event(db, new.id, "created", RECEIVED, True, None, "resident")
    stored = by_id(db, new.id)
    assert stored is not None
    return Created(stored, duplicate=False)


_INSERT_INTO = f"INSERT INTO requests ({_COLUMNS}, client_created_at, updates)"


def request_row(new: NewRequest, reference: str, now: str) -> tuple[Any, ...]:
    """A new request's values in _INSERT_INTO's order: status received, no event yet."""
    answers = json.dumps(new.answers, sort_keys=True)
    return (new.id, reference, new.journey, new.service, new.form_version, answers,
            new.channel, RECEIVED, int(new.special_category), new.contact_name,
            new.contact_email, new.contact_phone, new.locale, new.payload_sha256(answers),
            now, now, new.client_created_at, new.updates)


def insert_request(db: sqlite_utils.Database, new: NewRequest,
                   make_reference: Callable[[], str], now: str) -> str:
    """Insert a new request (status received, no event yet) and return its reference."""
    [reference] = free_references(db, make_reference, 1)
    batch.insert_rows(db, _INSERT_INTO, [request_row(new, reference, now)])
    return reference


def insert_requests(db: sqlite_utils.Database, rows: Sequence[Sequence[Any]]) -> None:
    """Rows made by request_row, in one statement: their references must be free (see
    free_references), since a clash undoes them all."""
    batch.insert_rows(db, _INSERT_INTO, rows)


def free_references(db: sqlite_utils.Database, make_reference: Callable[[], str],
                    count: int) -> list[str]:
    """`count` references no request has and no two alike: drawn, checked in one query,
    and those already taken drawn again. The web path and the sync path both come here;
    they run in a write transaction on the single writer, so nothing takes one meanwhile."""
    free: set[str] = set()
    for _attempt in range(10):
        drawn = {make_reference() for _ in range(count - len(free))} - free
        free |= drawn - _taken_references(db, drawn)
        if len(free) == count:
            return sorted(free)
    # 31^7 references make this practically impossible
    raise RuntimeError("could not find free references")  # pragma: no cover


def _taken_references(db: sqlite_utils.Database, references: Collection[str]) -> set[str]:
    if not references:
        return set()
    found = db.conn.execute(
        f"SELECT reference FROM requests WHERE reference IN ({', '.join('?' * len(references))})",
        list(references)).fetchall()
    return {row[0] for row in found}


def add_created_events(db: sqlite_utils.Database, created: Sequence[tuple[str, str]]) -> None:
    """The `created` event of each (request id, at) inserted with `at` as its updated_at:
    what add_event writes, without its UPDATE, which would set the status and
    updated_at the row already has."""
    batch.insert_rows(
        db, "INSERT INTO request_events (request_id, at, kind, status, public, message, actor)",
        [(request_id, at, "created", RECEIVED, 1, None, "resident")
         for request_id, at in created])


def add_event(db: sqlite_utils.Database, request_id: str, kind: str, status: str | None,
              public: bool, message: str | None, actor: str,
              outcome: str | None = None, writer: str = case_fields.OFFICE) -> int:
    """Append an event (its id returned); one with a status sets the request's status,
    and its outcome (None unless the status closes it). `writer`: who changed the case,
    for the field devices' merge (a device's client id, or the office)."""
    now = now_iso()
    cursor = db.execute(
        "INSERT INTO request_events (request_id, at, kind, status, public, message, actor,"
        " outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [request_id, now, kind, status, int(public), message, actor, outcome],
    )
    if status is not None:
        before = db.execute("SELECT status FROM requests WHERE id = ?",
                            [request_id]).fetchone()
        db.execute("UPDATE requests SET status = ?, outcome = ?, updated_at = ? WHERE id = ?",
                   [status, outcome, now, request_id])
        if before is not None and before[0] != status:
            case_fields.status_changed(db, request_id, before[0], writer)
    return int(cursor.lastrowid)


def set_officer_flag(db: sqlite_utils.Database, request_id: str, flag: str | None) -> None:
    db.execute("UPDATE requests SET officer_flag = ? WHERE id = ?", [flag, request_id])


def by_id(db: sqlite_utils.Database, request_id: str) -> StoredRequest | None:
    row = db.execute(f"SELECT {_READ} FROM requests WHERE id = ?", [request_id]).fetchone()
    return _row_to_request(row) if row else None


def by_reference(db: sqlite_utils.Database, reference: str) -> StoredRequest | None:
    row = db.execute(f"SELECT {_READ} FROM requests WHERE reference = ?",
                     [reference]).fetchone()
    return _row_to_request(row) if row else None


def find_for_tracking(db: sqlite_utils.Database, reference: str, email: str | None,
                      phone: str | None) -> StoredRequest | None:
    """The request with this reference, only if the email or phone matches the one given
    with it. Never says which of the two was wrong."""
    found = by_reference(db, reference)
    if found is None:
        return None
    if email and found.contact_email and found.contact_email.lower() == email.lower():
        return found
    if phone and found.contact_phone and found.contact_phone == phone:
        return found
    return None


def public_events(db: sqlite_utils.Database, request_id: str) -> list[Event]:
    rows = db.execute(
        f"SELECT {_EVENT} FROM request_events WHERE request_id = ? AND public = 1 ORDER BY id",
        [request_id],
    ).fetchall()
    return [_row_to_event(r) for r in rows]


@dataclass(frozen=True)
class InboxPage:
    rows: list[StoredRequest]
    total: int  # every request the filter matches, not only this page's


def for_service(db: sqlite_utils.Database, service: str | None,
                status: str | None = None, limit: int = 200,
                special_category: bool = False, offset: int = 0) -> InboxPage:
    """A service's requests, newest first; every service's when `service` is None.
    Special category (social work) records only when `special_category` is True: the
    caller passes it for the roles that may read them (auth/access.py), and the filter
    is in the query, so counts and pages never include what the reader may not see."""
    where, params = [], []
    if service is not None:
        where.append("service = ?")
        params.append(service)
    if status:
        where.append("status = ?")
        params.append(status)
    if not special_category:
        where.append("special_category = 0")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = db.execute(f"SELECT COUNT(*) FROM requests {clause}", params).fetchone()[0]
    rows = db.execute(f"SELECT {_READ} FROM requests {clause}"
                      " ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                      [*params, limit, offset]).fetchall()
    return InboxPage([_row_to_request(r) for r in rows], int(total))


def for_resident(db: sqlite_utils.Database, email: str,
                 phone: str | None) -> list[StoredRequest]:
    """Requests made with the resident's email, or with their phone once it is verified
    (the caller passes only a verified number)."""
    rows = db.execute(f"SELECT {_READ} FROM requests WHERE contact_email = ?"
                      " OR (? IS NOT NULL AND contact_phone = ?)"
                      " ORDER BY created_at DESC", [email, phone, phone]).fetchall()
    return [_row_to_request(r) for r in rows]


def belongs_to(found: StoredRequest, email: str, phone: str | None) -> bool:
    return (found.contact_email or "").lower() == email.lower() or (
        phone is not None and found.contact_phone == phone)


def all_events(db: sqlite_utils.Database, request_id: str) -> list[Event]:
    rows = db.execute(
        f"SELECT {_EVENT} FROM request_events WHERE request_id = ? ORDER BY id",
        [request_id]).fetchall()
    return [_row_to_event(r) for r in rows]


_EVENT = "id, at, kind, status, public, message, actor, outcome"


def _row_to_event(r: tuple[Any, ...]) -> Event:
    return Event(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7])


@dataclass(frozen=True)
class ClockEvent:
    at: str
    kind: str  # created, status_changed, message, withdrawn
    status: str | None


def clock_events(db: sqlite_utils.Database, request_ids: Collection[str]
                 ) -> dict[str, list[ClockEvent]]:
    """Each request's events that move its working-day clock (a status, or a message to
    the resident: a first response), in order (server/casework/sla.py). One query per
    500 requests, for a page of an inbox."""
    found: dict[str, list[ClockEvent]] = {i: [] for i in request_ids}
    ids = list(found)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = db.execute(
            "SELECT request_id, at, kind, status FROM request_events"
            f" WHERE request_id IN ({', '.join('?' * len(chunk))})"
            " AND (status IS NOT NULL OR kind = 'message') ORDER BY id", chunk).fetchall()
        for request_id, at, kind, status in rows:
            found[request_id].append(ClockEvent(at, kind, status))
    return found
