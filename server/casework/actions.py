"""What staff and residents do to a request: each change is an event on its timeline,
and each staff action (and every read of a special category record) is audited in the
same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from server.casework.status import (
    OPEN_STATUSES,
    STATUSES,
    WITHDRAWN,
    WITHDRAWN_STATUS,
    closing_outcome,
)
from server.db import attachments, audit
from server.db.case_fields import OFFICE
from server.db.requests import StoredRequest, add_event, by_id, set_officer_flag
from server.i18n import lazy as _
from server.journeys.files import CleanFile
from server.notify.notices import Notices

INFORMATION_ADDED = "information_added"

# What an officer is told, by tell_officer's `what`: on the request page, and as a tag
# in the inbox.
FLAG_NOTICES = {WITHDRAWN: _("The resident withdrew this request. Their reason is on the "
                             "timeline."),
                INFORMATION_ADDED: _("The resident added information. It is on the timeline.")}
FLAG_TAGS = {WITHDRAWN: _("Withdrawn by the resident"), INFORMATION_ADDED: _("New information")}


def read_for_staff(db: sqlite_utils.Database, request_id: str, actor: str,
                   allowed: bool, file_id: str | None = None) -> StoredRequest | None:
    """The request, with the read audited when it is a special category record. A
    refused read is audited whatever the record (the `allowed` check is the caller's).
    `file_id`: the read is of one of its files (or a file's preview)."""
    found = by_id(db, request_id)
    if found is None:
        return None
    detail = {"service": found.service} | ({"file": file_id} if file_id else {})
    if not allowed:
        audit.record(db, actor, "read_refused", f"request:{request_id}",
                     detail | {"special_category": found.special_category})
    elif found.special_category:
        audit.record(db, actor, "read_special_category", f"request:{request_id}", detail)
    return found


def read_by_resident(db: sqlite_utils.Database, found: StoredRequest, actor: str,
                     file_id: str | None = None) -> None:
    """A resident's read of their special category record (the copy of what they sent,
    a file) is audited like a member of staff's."""
    if found.special_category:
        audit.record(db, actor, "read_special_category", f"request:{found.id}",
                     {"service": found.service} | ({"file": file_id} if file_id else {}))


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


CHOOSE_STATUS = _("Choose a new status")
CHOOSE_OUTCOME = _("Choose the outcome, to close the request")
NOTHING_CHANGED = _("Choose a different status, or write a message to the resident")


def status_change_problem(current: str, status: str, outcome: str,
                          message: str) -> Problem | None:
    """What is wrong with an officer's update, if anything. Keeping the status and
    writing a message is a message, not a status change. A closing status needs an
    outcome that fits it (implied when it has only one: "resolved" is dealt with)."""
    if status not in STATUSES:
        return Problem("status", CHOOSE_STATUS)
    if status == current:
        return None if message else Problem("status", NOTHING_CHANGED)
    if STATUSES[status].outcomes and closing_outcome(status, outcome) is None:
        return Problem("outcome", CHOOSE_OUTCOME)
    return None


def change_status(db: sqlite_utils.Database, request_id: str, status: str, message: str,
                  actor: str, notices: Notices, outcome: str | None = None,
                  writer: str = OFFICE) -> None:
    """An officer's update (checked by status_change_problem): a new status, with its
    outcome when it closes the request, or a message with the status kept; told to the
    resident the ways they chose, in the same transaction. `writer`: a field device's
    client id when the change came from one (the merge's own history)."""
    current = by_id(db, request_id)
    assert current is not None
    if current.status == status and message:
        event_id = add_event(db, request_id, "message", None, True, message, actor)
        audit.record(db, actor, "message_sent", f"request:{request_id}")
        notices.request_event(db, current, event_id, "message", status)
        return
    outcome = closing_outcome(status, outcome or "")
    event_id = add_event(db, request_id, "status_changed", status, True, message or None,
                         actor, outcome, writer)
    audit.record(db, actor, "status_changed", f"request:{request_id}",
                 {"status": status} | ({"outcome": outcome} if outcome else {}))
    if status != current.status:
        notices.request_event(db, current, event_id, "status_changed", status)


def add_note(db: sqlite_utils.Database, request_id: str, note: str, actor: str) -> None:
    add_event(db, request_id, "note", None, False, note, actor)
    audit.record(db, actor, "note_added", f"request:{request_id}")


def tell_officer(db: sqlite_utils.Database, request: StoredRequest, what: str) -> None:
    """THE place where the officer dealing with a request is told what its resident did
    (`what`: WITHDRAWN or INFORMATION_ADDED). For now a flag on the request, shown in the
    inbox and on the request page until an officer marks it seen; the notification
    outbox hooks in here, in the same transaction."""
    set_officer_flag(db, request.id, what)


def mark_seen(db: sqlite_utils.Database, request_id: str, actor: str) -> None:
    set_officer_flag(db, request_id, None)
    audit.record(db, actor, "resident_update_seen", f"request:{request_id}")


def add_information(db: sqlite_utils.Database, request: StoredRequest, message: str,
                    actor: str, files: Sequence[CleanFile] = ()) -> bool:
    """A resident adds information, photos or documents (checked by the caller with
    journeys.files.clean_upload) to their open request; False once it is closed."""
    current = by_id(db, request.id)
    if current is None or current.status not in OPEN_STATUSES:
        return False
    event_id = add_event(db, request.id, INFORMATION_ADDED, None, True, message or None,
                         actor)
    for f in files:
        attachments.add_request_file(db, request.id, current.journey, f.filename,
                                     f.media_type, f.data, event_id)
    tell_officer(db, current, INFORMATION_ADDED)
    if current.special_category:
        audit.record(db, actor, INFORMATION_ADDED, f"request:{request.id}",
                     {"files": len(files)})
    return True


def withdraw(db: sqlite_utils.Database, request: StoredRequest, reason: str,
             actor: str) -> bool:
    """A resident withdraws their open request, with their reason: it is closed with the
    outcome "withdrawn" and the officer is told. False once it is closed."""
    current = by_id(db, request.id)
    if current is None or current.status not in OPEN_STATUSES:
        return False
    add_event(db, request.id, "withdrawn", WITHDRAWN_STATUS, True, reason, actor, WITHDRAWN)
    tell_officer(db, current, WITHDRAWN)
    if current.special_category:
        audit.record(db, actor, "withdrawn", f"request:{request.id}")
    return True
