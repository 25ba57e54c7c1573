"""Sending a journey: the request, its files and its first event stored, and the draft
closed, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import sqlite_utils

from server.db import attachments, kiosk_help, session_data
from server.db import requests as requests_db
from server.db.clock import age, now_iso
from server.forms.definition import Journey
from server.journeys.contact import contact_fields, with_update_choice
from server.journeys.drafts import CONTACT_KEY, Draft, draft_key


class OnArrival(Protocol):
    """What queues a new request's acknowledgement and runs what its arrival sets off
    (server/casework/arrival.py's Arrivals; a bare Notices only acknowledges)."""

    def requests_created(self, db: sqlite_utils.Database,
                         created: Sequence[tuple[requests_db.NewRequest, str]]) -> None: ...


SENT_KEY = "sent"
# Back after sending says "already sent" (issue 15) this long, and names nothing: on a
# shared computer the next person may be the one pressing Back (issue 10).
SENT_NOTICE_FOR = timedelta(minutes=30)


def build_request(journey: Journey, answers: dict[str, Any], contact: dict[str, Any], *,
                  request_id: str, channel: str, locale: str,
                  client_created_at: str | None = None) -> requests_db.NewRequest:
    """The one way a request is made from a journey's cleaned answers and contact page,
    whichever way it came (the web form, an app's queue)."""
    fields = contact_fields(contact)
    return requests_db.NewRequest(
        id=request_id, journey=journey.journey, service=journey.service,
        form_version=journey.version, answers=answers, channel=channel,
        special_category=journey.special_category, contact_name=fields["name"],
        contact_email=fields["email"], contact_phone=fields["phone"], locale=locale,
        client_created_at=client_created_at, updates=fields["updates"] or "none")


@dataclass(frozen=True)
class Submitted:
    request: requests_db.StoredRequest
    duplicate: bool


def submit(db: sqlite_utils.Database, sid: str, journey: Journey, draft: Draft,
           cleaned: dict[str, Any], locale: str, make_reference: Any,
           notices: OnArrival, signed_in: bool = False, channel: str = "web") -> Submitted:
    """Store the request, its files, its first event and its acknowledgement, and close
    the draft: one transaction (the store's writer runs this whole function in one).
    Signed out, the contact details kept to offer again go too: the browser may be a
    library's or a friend's, and the next person must not be offered them (issue 10).
    On a kiosk (`channel` "kiosk") a visit a member of hub staff joined records their
    help on the request (issue 13)."""
    new = build_request(journey, cleaned, with_update_choice(draft.contact or {}),
                        request_id=draft.submission_id, channel=channel, locale=locale)
    created = requests_db.create_request(db, new, make_reference)
    if not created.duplicate:
        notices.requests_created(db, [(new, created.request.reference)])
        if channel == "kiosk":
            kiosk_help.record_assistance(db, sid, created.request.id)
    file_ids = [i for q in _file_questions(journey) for i in cleaned.get(q, [])]
    attachments.attach_to_request(db, sid, journey.journey, created.request.id, file_ids)
    session_data.delete(db, sid, draft_key(journey.journey))
    if not signed_in:
        session_data.delete(db, sid, CONTACT_KEY)
    sent = session_data.get(db, sid, SENT_KEY) or []
    sent = [s for s in sent if s["id"] != created.request.id][-19:]
    sent.append({"id": created.request.id, "journey": journey.journey,
                 "reference": created.request.reference, "at": now_iso(), "shown": False})
    session_data.put(db, sid, SENT_KEY, sent)
    return Submitted(created.request, created.duplicate)


def _file_questions(journey: Journey) -> list[str]:
    return [q.id for p in journey.pages for q in p.questions if q.type == "file"]


def take_confirmation(db: sqlite_utils.Database, sid: str, slug: str) -> str | None:
    """The id of the request this session last sent on this journey, once: the
    confirmation page, with its reference and tracking link, is for the person who sent
    it, right after sending, not for whoever opens the page next on this browser."""
    sent = session_data.get(db, sid, SENT_KEY) or []
    matching = [s for s in sent if s["journey"] == slug]
    if not matching or matching[-1].get("shown", True):
        return None
    matching[-1]["shown"] = True
    session_data.put(db, sid, SENT_KEY, sent)
    return str(matching[-1]["id"])


def was_sent(db: sqlite_utils.Database, sid: str, submission_id: str) -> bool:
    """Sent already (a double click, a retry after the answer was lost): the confirmation
    is shown once more, since whoever posts this draft's id had its check page."""
    sent = session_data.get(db, sid, SENT_KEY) or []
    found = [s for s in sent if s["id"] == submission_id]
    if not found:
        return False
    found[-1]["shown"] = False
    session_data.put(db, sid, SENT_KEY, sent)
    return True


@dataclass(frozen=True)
class AlreadySent:
    request_id: str
    reference: str


def sent_and_no_new_draft(db: sqlite_utils.Database, sid: str, slug: str) -> AlreadySent | None:
    """The request this session last sent on this journey, when it has not started another
    one since: going back after sending then shows that, not an empty form inviting the
    same request twice (issue 15)."""
    if session_data.get(db, sid, draft_key(slug)) is not None:
        return None
    sent = [s for s in session_data.get(db, sid, SENT_KEY) or [] if s["journey"] == slug
            and "at" in s and age(s["at"]) < SENT_NOTICE_FOR]
    return AlreadySent(sent[-1]["id"], sent[-1]["reference"]) if sent else None
