"""Who is signed in: residents, signed-in sessions, emailed one-time sign-in links, and
the language each person chose."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

import sqlite_utils

from server.db import audit
from server.db.clock import iso_in, now_iso
from server.db.staff import token_hash

EMAIL_LINK_LIFETIME = timedelta(minutes=15)


@dataclass(frozen=True)
class Person:
    kind: str  # 'staff' or 'resident'
    id: str
    email: str
    name: str
    role: str
    session_id: str
    last_seen_at: str
    phone: str | None = None  # residents: their verified mobile number (E.164), if any
    signed_in_at: str = ""  # when this session began: sessions have an absolute lifetime

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.id}"



def expiry(lifetime: timedelta) -> str:
    """The moment, `lifetime` from now, as stored."""
    return iso_in(lifetime)


def resident_for_email(db: sqlite_utils.Database, email: str) -> str:
    """The resident id for a verified email address, made on first sign-in."""
    row = db.execute("SELECT id FROM residents WHERE email = ?", [email]).fetchone()
    if row:
        return str(row[0])
    resident_id = str(uuid.uuid4())
    db.execute("INSERT INTO residents (id, email, verified_at, created_at) VALUES (?, ?, ?, ?)",
               [resident_id, email, now_iso(), now_iso()])
    return resident_id


# auth_sessions.id is the SHA-256 of the id in the cookie: a copy of the database (a
# backup, a replica) signs nobody in. Every function here takes the cookie's id.
def start_session(db: sqlite_utils.Database, kind: str, person_id: str, method: str) -> str:
    session_id = secrets.token_urlsafe(32)
    now = now_iso()
    db.execute(
        "INSERT INTO auth_sessions (id, person_kind, person_id, method, created_at,"
        " last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
        [token_hash(session_id), kind, person_id, method, now, now])
    audit.record(db, f"{kind}:{person_id}", "signed_in", f"{kind}:{person_id}",
                 {"method": method})
    return session_id


def session_person(db: sqlite_utils.Database, session_id: str) -> Person | None:
    row = db.execute(
        "SELECT s.person_kind, s.person_id, s.last_seen_at,"
        " COALESCE(st.email, r.email), COALESCE(st.name, r.email),"
        " COALESCE(st.role, 'resident'), r.phone, s.created_at"
        " FROM auth_sessions s"
        " LEFT JOIN staff st ON s.person_kind = 'staff' AND st.id = s.person_id"
        "   AND st.disabled_at IS NULL"
        " LEFT JOIN residents r ON s.person_kind = 'resident' AND r.id = s.person_id"
        " WHERE s.id = ? AND s.ended_at IS NULL", [token_hash(session_id)]).fetchone()
    if row is None or row[3] is None:
        return None
    return Person(row[0], row[1], row[3], row[4], row[5], session_id, row[2], row[6], row[7])


def touch_session(db: sqlite_utils.Database, session_id: str) -> None:
    db.execute("UPDATE auth_sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL",
               [now_iso(), token_hash(session_id)])


def end_session(db: sqlite_utils.Database, session_id: str, reason: str) -> None:
    key = token_hash(session_id)
    row = db.execute("SELECT person_kind, person_id FROM auth_sessions WHERE id = ?"
                     " AND ended_at IS NULL", [key]).fetchone()
    if row is None:
        return
    db.execute("UPDATE auth_sessions SET ended_at = ? WHERE id = ?", [now_iso(), key])
    audit.record(db, f"{row[0]}:{row[1]}", "signed_out", f"{row[0]}:{row[1]}",
                 {"reason": reason})


def end_other_sessions(db: sqlite_utils.Database, kind: str, person_id: str,
                       keep_session_id: str, reason: str) -> int:
    """Sign a person out everywhere but here: after removing a passkey, a browser signed
    in with it (perhaps a lost phone) must not stay signed in."""
    ended = db.execute(
        "UPDATE auth_sessions SET ended_at = ? WHERE person_kind = ? AND person_id = ?"
        " AND id != ? AND ended_at IS NULL",
        [now_iso(), kind, person_id, token_hash(keep_session_id)]).rowcount
    audit.record(db, f"{kind}:{person_id}", "signed_out_elsewhere", f"{kind}:{person_id}",
                 {"count": ended, "reason": reason})
    return int(ended)


def end_all_sessions(db: sqlite_utils.Database, kind: str, person_id: str, actor: str) -> int:
    ended = db.execute(
        "UPDATE auth_sessions SET ended_at = ? WHERE person_kind = ? AND person_id = ?"
        " AND ended_at IS NULL", [now_iso(), kind, person_id]).rowcount
    audit.record(db, actor, "signed_out_everywhere", f"{kind}:{person_id}", {"count": ended})
    return int(ended)


def move_session_data(db: sqlite_utils.Database, old_sid: str, new_sid: str) -> None:
    """A new browser session id on sign-in keeps the drafts made before it."""
    db.execute("UPDATE session_data SET sid = ? WHERE sid = ?", [new_sid, old_sid])
    db.execute("UPDATE attachments SET sid = ? WHERE sid = ?", [new_sid, old_sid])
    db.execute("UPDATE webauthn_challenges SET sid = ? WHERE sid = ?", [new_sid, old_sid])


def create_email_link(db: sqlite_utils.Database, email: str) -> str:
    token = secrets.token_urlsafe(32)
    db.execute(
        "INSERT INTO email_links (token_hash, email, created_at, expires_at)"
        " VALUES (?, ?, ?, ?)",
        [token_hash(token), email, now_iso(), iso_in(EMAIL_LINK_LIFETIME)])
    return token


def email_link_valid(db: sqlite_utils.Database, token: str) -> bool:
    row = db.execute("SELECT 1 FROM email_links WHERE token_hash = ? AND used_at IS NULL"
                     " AND expires_at > ?", [token_hash(token), now_iso()]).fetchone()
    return row is not None


def use_email_link(db: sqlite_utils.Database, token: str) -> str | None:
    """The email the link was sent to, once: the link is spent by this call."""
    row = db.execute("SELECT email FROM email_links WHERE token_hash = ? AND used_at IS NULL"
                     " AND expires_at > ?", [token_hash(token), now_iso()]).fetchone()
    if row is None:
        return None
    db.execute("UPDATE email_links SET used_at = ? WHERE token_hash = ?",
               [now_iso(), token_hash(token)])
    return str(row[0])


_ACCOUNT_TABLES = {"staff": "staff", "resident": "residents"}


def account_locale(db: sqlite_utils.Database, kind: str, person_id: str) -> str | None:
    """The language this person last chose with the switcher, if they ever did."""
    row = db.execute(f"SELECT locale FROM {_ACCOUNT_TABLES[kind]} WHERE id = ?",
                     [person_id]).fetchone()
    return str(row[0]) if row and row[0] else None


def set_account_locale(db: sqlite_utils.Database, kind: str, person_id: str,
                       code: str) -> None:
    db.execute(f"UPDATE {_ACCOUNT_TABLES[kind]} SET locale = ? WHERE id = ?", [code, person_id])


def resident_locale_for_email(db: sqlite_utils.Database, email: str) -> str | None:
    row = db.execute("SELECT locale FROM residents WHERE email = ?", [email]).fetchone()
    return str(row[0]) if row and row[0] else None
