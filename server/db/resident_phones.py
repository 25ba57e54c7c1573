"""A resident's mobile number: the one-time links texted to prove they have it, and the
verified number that "my requests" matches requests' contact_phone against.

A number is written on the resident only when its link is used, so a number typed but
never proven matches nothing. Links are stored hashed, like emailed sign-in links.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

import sqlite_utils

from server.db import audit
from server.db.clock import iso_in, now_iso
from server.db.staff import token_hash

PHONE_LINK_LIFETIME = timedelta(minutes=30)  # texts can arrive later than emails


@dataclass(frozen=True)
class PhoneLink:
    resident_id: str
    phone: str
    expires_at: str


@dataclass(frozen=True)
class ResidentPhone:
    verified: str | None  # E.164, or None
    verified_at: str | None
    waiting: str | None  # a number whose link was sent and is still usable


class LinkUse(Enum):
    VERIFIED = "verified"
    EXPIRED = "expired"  # unknown, used, superseded or out of time
    NOT_YOURS = "not_yours"  # sent to another account: left unused for its owner


def masked(phone: str) -> str:
    """Enough of a number for the audit log to tell two apart, not to call it."""
    return f"…{phone[-3:]}"



def phone_of(db: sqlite_utils.Database, resident_id: str) -> ResidentPhone:
    row = db.execute("SELECT phone, phone_verified_at FROM residents WHERE id = ?",
                     [resident_id]).fetchone()
    waiting = db.execute(
        "SELECT phone FROM phone_links WHERE resident_id = ? AND used_at IS NULL"
        " AND expires_at > ? ORDER BY created_at DESC LIMIT 1",
        [resident_id, now_iso()]).fetchone()
    return ResidentPhone(row[0] if row else None, row[1] if row else None,
                         waiting[0] if waiting else None)


def create_phone_link(db: sqlite_utils.Database, resident_id: str, phone: str) -> str:
    """A new link for this number; any earlier unused link of this resident stops working,
    so only the number asked for last can be verified."""
    now = now_iso()
    db.execute("UPDATE phone_links SET used_at = ? WHERE resident_id = ? AND used_at IS NULL",
               [now, resident_id])
    token = secrets.token_urlsafe(32)
    db.execute(
        "INSERT INTO phone_links (token_hash, resident_id, phone, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [token_hash(token), resident_id, phone, now,
         iso_in(PHONE_LINK_LIFETIME)])
    audit.record(db, f"resident:{resident_id}", "phone_link_sent", f"resident:{resident_id}",
                 {"phone": masked(phone)})
    return token


def phone_link(db: sqlite_utils.Database, token: str) -> PhoneLink | None:
    row = db.execute(
        "SELECT resident_id, phone, expires_at FROM phone_links WHERE token_hash = ?"
        " AND used_at IS NULL AND expires_at > ?", [token_hash(token), now_iso()]).fetchone()
    return PhoneLink(*row) if row else None


def use_phone_link(db: sqlite_utils.Database, token: str, resident_id: str) -> LinkUse:
    """Verify the number for the resident the link was sent to, and only for them."""
    link = phone_link(db, token)
    if link is None:
        return LinkUse.EXPIRED
    if link.resident_id != resident_id:
        audit.record(db, f"resident:{resident_id}", "phone_link_refused",
                     f"resident:{link.resident_id}", {"reason": "another account's link"})
        return LinkUse.NOT_YOURS
    now = now_iso()
    db.execute("UPDATE phone_links SET used_at = ? WHERE token_hash = ?",
               [now, token_hash(token)])
    previous = db.execute("SELECT id FROM residents WHERE phone = ? AND id != ?",
                          [link.phone, resident_id]).fetchone()
    if previous:
        # Numbers are passed on: the person who proves they have it now is its owner.
        db.execute("UPDATE residents SET phone = NULL, phone_verified_at = NULL WHERE id = ?",
                   [previous[0]])
        audit.record(db, f"resident:{resident_id}", "phone_moved", f"resident:{previous[0]}",
                     {"phone": masked(link.phone)})
    db.execute("UPDATE residents SET phone = ?, phone_verified_at = ? WHERE id = ?",
               [link.phone, now, resident_id])
    audit.record(db, f"resident:{resident_id}", "phone_verified", f"resident:{resident_id}",
                 {"phone": masked(link.phone)})
    return LinkUse.VERIFIED


def remove_phone(db: sqlite_utils.Database, resident_id: str) -> bool:
    """Forget the number (and any link still waiting): requests stop matching it."""
    now = now_iso()
    db.execute("UPDATE phone_links SET used_at = ? WHERE resident_id = ? AND used_at IS NULL",
               [now, resident_id])
    row = db.execute("SELECT phone FROM residents WHERE id = ?", [resident_id]).fetchone()
    if not row or row[0] is None:
        return False
    db.execute("UPDATE residents SET phone = NULL, phone_verified_at = NULL WHERE id = ?",
               [resident_id])
    audit.record(db, f"resident:{resident_id}", "phone_removed", f"resident:{resident_id}",
                 {"phone": masked(row[0])})
    return True
