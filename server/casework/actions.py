"""What staff and residents do to a request: each change is an event on its timeline,
and each staff action (and every read of a special category record) is audited in the
same transaction."""

from __future__ import annotations

import sqlite_utils

from server.casework.status import OPEN_STATUSES
from server.db import audit
from server.db.requests import StoredRequest, add_event, by_id
from server.notify.notices import Notices


def read_for_staff(db: sqlite_utils.Database, request_id: str, actor: str,
                   allowed: bool) -> StoredRequest | None:
    """The request, with the read audited when it is a special category record. A
    refused read is audited whatever the record (the `allowed` check is the caller's)."""
    found = by_id(db, request_id)
    if found is None:
        return None
    if not allowed:
        audit.record(db, actor, "read_refused", f"request:{request_id}",
                     {"service": found.service, "special_category": found.special_category})
    elif found.special_category:
        audit.record(db, actor, "read_special_category", f"request:{request_id}",
                     {"service": found.service})
    return found


def change_status(db: sqlite_utils.Database, request_id: str, status: str, message: str,
                  actor: str, notices: Notices) -> None:
    """A new status (or the same one with a message: then it is a message), told to the
    resident the ways they chose, in the same transaction."""
    current = by_id(db, request_id)
    assert current is not None
    kind = "message" if status == current.status and message else "status_changed"
    event_id = add_event(db, request_id, kind, status if kind == "status_changed" else None,
                         True, message or None, actor)
    audit.record(db, actor, "status_changed", f"request:{request_id}", {"status": status})
    if status != current.status or message:
        notices.request_event(db, current, event_id, kind, status)


def add_note(db: sqlite_utils.Database, request_id: str, note: str, actor: str) -> None:
    add_event(db, request_id, "note", None, False, note, actor)
    audit.record(db, actor, "note_added", f"request:{request_id}")


def add_information(db: sqlite_utils.Database, request: StoredRequest, message: str,
                    actor: str) -> bool:
    """A resident adds information to their open request; False once it is closed."""
    current = by_id(db, request.id)
    if current is None or current.status not in OPEN_STATUSES:
        return False
    add_event(db, request.id, "information_added", None, True, message, actor)
    if current.special_category:
        audit.record(db, actor, "information_added", f"request:{request.id}")
    return True
