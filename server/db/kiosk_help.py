"""Help at a kiosk (issue 13): "Ask for help" requests for a hub's staff, and assisted
sessions (a member of hub staff joins a resident's kiosk session by a short code; the
requests sent in it record who helped, where, and the resident's consent)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlite_utils

from server.db import audit
from server.db import requests as requests_db
from server.db.clock import iso_in, now_iso

# No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B: read aloud or typed from a screen without doubt.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 6
CODE_LIFETIME = timedelta(minutes=15)
HELP_STATUSES = ("open", "on_way", "done")
MADE_WITH_HELP = "made_with_help"  # the request's timeline event (staff only)


@dataclass(frozen=True)
class HelpRequest:
    id: int
    hub_id: str
    client_id: str
    kiosk_label: str
    asked_at: str
    status: str
    staff_name: str | None  # who is on their way


@dataclass(frozen=True)
class AssistedSession:
    id: int
    client_id: str
    hub_id: str
    hub_name: str
    code: str
    expires_at: str
    staff_id: str | None
    staff_name: str | None
    consent: bool | None

    @property
    def joined(self) -> bool:
        return self.staff_id is not None


@dataclass(frozen=True)
class Assistance:
    """A request made with help, as the officer and the hub see it."""
    request_id: str
    reference: str
    staff_id: str
    staff_name: str
    hub_id: str
    hub_name: str
    consent: bool | None
    filled_in: bool
    at: str


def ask_help(db: sqlite_utils.Database, client_id: str, hub_id: str) -> int:
    """A help request from this kiosk; pressing again while one is open asks once."""
    row = db.execute("SELECT id FROM kiosk_help_requests WHERE client_id = ?"
                     " AND status != 'done'", [client_id]).fetchone()
    if row is not None:
        return int(row[0])
    now = now_iso()
    cursor = db.execute(
        "INSERT INTO kiosk_help_requests (hub_id, client_id, asked_at, status, updated_at)"
        " VALUES (?, ?, ?, 'open', ?)", [hub_id, client_id, now, now])
    return int(cursor.lastrowid or 0)


def open_help(db: sqlite_utils.Database, hub_id: str | None) -> list[HelpRequest]:
    """Help requests not yet done, oldest first: one hub's, or every hub's (None)."""
    where, args = ("AND h.hub_id = ?", [hub_id]) if hub_id else ("", [])
    rows = db.execute(
        "SELECT h.id, h.hub_id, h.client_id, COALESCE(c.label, ''), h.asked_at, h.status,"
        " s.name FROM kiosk_help_requests h JOIN sync_clients c ON c.id = h.client_id"
        " LEFT JOIN staff s ON s.id = h.staff_id"
        f" WHERE h.status != 'done' {where} ORDER BY h.asked_at LIMIT 200", args).fetchall()
    return [HelpRequest(*row) for row in rows]


def help_status(db: sqlite_utils.Database, client_id: str) -> HelpRequest | None:
    """This kiosk's help request still open, if any (what the kiosk shows)."""
    row = db.execute(
        "SELECT h.id, h.hub_id, h.client_id, COALESCE(c.label, ''), h.asked_at, h.status,"
        " s.name FROM kiosk_help_requests h JOIN sync_clients c ON c.id = h.client_id"
        " LEFT JOIN staff s ON s.id = h.staff_id"
        " WHERE h.client_id = ? AND h.status != 'done' ORDER BY h.id DESC LIMIT 1",
        [client_id]).fetchone()
    return HelpRequest(*row) if row else None


def answer_help(db: sqlite_utils.Database, help_id: int, hub_id: str | None, status: str,
                staff_id: str) -> bool:
    """On my way / done, by a member of the hub's staff (hub_id None: an admin, any hub).
    False when there is no such open request there."""
    if status not in HELP_STATUSES[1:]:
        return False
    where, args = (" AND hub_id = ?", [hub_id]) if hub_id else ("", [])
    cursor = db.execute(
        "UPDATE kiosk_help_requests SET status = ?, staff_id = ?, updated_at = ?"
        f" WHERE id = ? AND status != 'done'{where}",
        [status, staff_id, now_iso(), help_id, *args])
    if cursor.rowcount != 1:
        return False
    audit.record(db, f"staff:{staff_id}", "kiosk_help_" + status, f"kiosk_help:{help_id}", {})
    return True


# --- assisted sessions -------------------------------------------------------------------

_SESSION_COLUMNS = (
    "SELECT a.id, a.client_id, a.hub_id, h.name, a.code, a.expires_at, a.staff_id, s.name,"
    " a.consent FROM kiosk_assisted_sessions a JOIN hubs h ON h.id = a.hub_id"
    " LEFT JOIN staff s ON s.id = a.staff_id")


def _session(row: tuple | None) -> AssistedSession | None:  # type: ignore[type-arg]
    if row is None:
        return None
    return AssistedSession(*row[:8], None if row[8] is None else bool(row[8]))


def current_session(db: sqlite_utils.Database, session_key: str) -> AssistedSession | None:
    """The visit's assisted session: joined (until the visit ends), or a code not yet
    used and not expired."""
    return _session(db.execute(
        f"{_SESSION_COLUMNS} WHERE a.session_key = ? AND a.ended_at IS NULL"
        " AND (a.staff_id IS NOT NULL OR a.expires_at > ?) ORDER BY a.id DESC LIMIT 1",
        [session_key, now_iso()]).fetchone())


def new_code(db: sqlite_utils.Database, client_id: str, hub_id: str,
             session_key: str) -> AssistedSession:
    """A code for this visit (the one still valid, if there is one)."""
    found = current_session(db, session_key)
    if found is not None:
        return found
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        clash = db.execute("SELECT 1 FROM kiosk_assisted_sessions WHERE code = ?"
                           " AND ended_at IS NULL AND expires_at > ?",
                           [code, now_iso()]).fetchone()
        if clash is None:
            break
    db.execute(
        "INSERT INTO kiosk_assisted_sessions (client_id, hub_id, session_key, code,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        [client_id, hub_id, session_key, code, now_iso(), iso_in(CODE_LIFETIME)])
    created = current_session(db, session_key)
    assert created is not None
    return created


def normal_code(typed: str) -> str:
    """What a person typed as a code: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())[:CODE_LENGTH * 2]


def join(db: sqlite_utils.Database, code: str, staff_id: str,
         hub_id: str | None) -> AssistedSession | None:
    """The member of staff joins the session with this code: unused, unexpired, and at
    their hub (hub_id None: an admin, any hub). None when no such code (audited either
    way: a wrong code may be someone guessing)."""
    now = now_iso()
    where, args = (" AND hub_id = ?", [hub_id]) if hub_id else ("", [])
    row = db.execute(
        "SELECT id FROM kiosk_assisted_sessions WHERE code = ? AND staff_id IS NULL"
        f" AND ended_at IS NULL AND expires_at > ?{where}", [code, now, *args]).fetchone()
    if row is None:
        audit.record(db, f"staff:{staff_id}", "kiosk_assist_code_refused", "kiosk_assist",
                     {"code_length": len(code)})
        return None
    db.execute("UPDATE kiosk_assisted_sessions SET staff_id = ?, joined_at = ? WHERE id = ?",
               [staff_id, now, row[0]])
    audit.record(db, f"staff:{staff_id}", "kiosk_assist_joined",
                 f"kiosk_assist:{row[0]}", {})
    return _session(db.execute(f"{_SESSION_COLUMNS} WHERE a.id = ?", [row[0]]).fetchone())


def give_consent(db: sqlite_utils.Database, session_key: str, consent: bool) -> bool:
    """The resident's answer: may the member of staff fill in answers for them."""
    cursor = db.execute(
        "UPDATE kiosk_assisted_sessions SET consent = ?, consent_at = ? WHERE session_key = ?"
        " AND staff_id IS NOT NULL AND ended_at IS NULL", [int(consent), now_iso(), session_key])
    return cursor.rowcount > 0


def end_sessions(db: sqlite_utils.Database, session_key: str) -> None:
    """The visit is over (Finish, time-out): its assisted session ends with it."""
    db.execute("UPDATE kiosk_assisted_sessions SET ended_at = ? WHERE session_key = ?"
               " AND ended_at IS NULL", [now_iso(), session_key])


def record_assistance(db: sqlite_utils.Database, session_key: str, request_id: str) -> bool:
    """Called as a request is stored: when its visit was helped, the request records who
    helped, where and the consent (audited, and an event on its staff timeline). Inside
    the submission's transaction."""
    helped = current_session(db, session_key)
    if helped is None or helped.staff_id is None:
        return False
    filled_in = bool(helped.consent)
    db.execute(
        "INSERT OR IGNORE INTO request_assistance (request_id, staff_id, hub_id, consent,"
        " filled_in, at) VALUES (?, ?, ?, ?, ?, ?)",
        [request_id, helped.staff_id, helped.hub_id,
         None if helped.consent is None else int(helped.consent), int(filled_in), now_iso()])
    detail = {"hub": helped.hub_name, "consent": helped.consent, "filled_in": filled_in}
    requests_db.add_event(db, request_id, MADE_WITH_HELP, None, False,
                          json.dumps(detail, sort_keys=True), f"staff:{helped.staff_id}")
    audit.record(db, f"staff:{helped.staff_id}", "request_made_with_help",
                 f"request:{request_id}", {"hub": helped.hub_id, "consent": helped.consent})
    return True


_ASSISTANCE = (
    "SELECT a.request_id, r.reference, a.staff_id, s.name, a.hub_id, h.name, a.consent,"
    " a.filled_in, a.at FROM request_assistance a JOIN requests r ON r.id = a.request_id"
    " JOIN staff s ON s.id = a.staff_id JOIN hubs h ON h.id = a.hub_id")


def _assistance(row: tuple) -> Assistance:  # type: ignore[type-arg]
    return Assistance(*row[:6], None if row[6] is None else bool(row[6]), bool(row[7]), row[8])


def assistance(db: sqlite_utils.Database, request_id: str) -> Assistance | None:
    row = db.execute(f"{_ASSISTANCE} WHERE a.request_id = ?", [request_id]).fetchone()
    return _assistance(row) if row else None


def assisted_since(db: sqlite_utils.Database, hub_id: str | None,
                   since: str) -> list[Assistance]:
    """Requests made with help at a hub (None: every hub) since a moment, newest first."""
    where, args = (" AND a.hub_id = ?", [hub_id]) if hub_id else ("", [])
    rows = db.execute(f"{_ASSISTANCE} WHERE a.at >= ?{where} ORDER BY a.at DESC LIMIT 200",
                      [since, *args]).fetchall()
    return [_assistance(row) for row in rows]
