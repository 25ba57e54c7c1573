"""A person's way through a journey: their draft, where to go next, and sending it.

The draft lives on the server under the session id, so a reload, the back button or a
lost connection loses nothing. The check page carries a submission id made with the
draft: sending twice (a double click, a retry after a dropped response) stores one
request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from .contact import PAGE_ID as CONTACT_PAGE
from .contact import contact_fields
from .db import attachments, session_data
from .db import requests as requests_db
from .forms.conditions import visible_pages
from .forms.definition import Journey, Page
from .forms.registry import FormRegistry

CHECK_PAGE = "check"
RESERVED_PAGE_IDS = {CONTACT_PAGE, CHECK_PAGE, "done"}
SENT_KEY = "sent"
CONTACT_KEY = "contact"


@dataclass
class Draft:
    journey: str
    version: int
    submission_id: str
    answers: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "submission_id": self.submission_id,
                "answers": self.answers, "contact": self.contact}


def draft_key(slug: str) -> str:
    return f"draft:{slug}"


def load_draft(db: sqlite_utils.Database, sid: str, journey: Journey) -> Draft:
    saved = session_data.get(db, sid, draft_key(journey.journey))
    if not saved:
        return Draft(journey.journey, journey.version, str(uuid.uuid4()))
    return Draft(journey.journey, saved["version"], saved["submission_id"],
                 saved.get("answers") or {}, saved.get("contact"))


def has_draft(db: sqlite_utils.Database, sid: str, slug: str) -> bool:
    return session_data.get(db, sid, draft_key(slug)) is not None


def save_draft(db: sqlite_utils.Database, sid: str, draft: Draft) -> None:
    session_data.put(db, sid, draft_key(draft.journey), draft.to_json())


def journey_for_draft(forms: FormRegistry, slug: str, draft: Draft) -> Journey:
    """A draft carries on with the version it started on, even after a new one is out."""
    return forms.get(slug, draft.version)


def page_by_id(journey: Journey, page_id: str) -> Page | None:
    return next((p for p in journey.pages if p.id == page_id), None)


def flow(journey: Journey, answers: dict[str, Any]) -> list[str]:
    """Page ids in order for these answers, ending with contact and check."""
    return [p.id for p in visible_pages(journey, answers)] + [CONTACT_PAGE, CHECK_PAGE]


def next_step(journey: Journey, page_id: str, draft: Draft, returning: bool) -> str:
    steps = flow(journey, draft.answers)
    if returning:
        # Back to the summary, unless the change opened a page not yet answered.
        for step in steps:
            if step == CHECK_PAGE:
                break
            if step == CONTACT_PAGE:
                if draft.contact is None:
                    return CONTACT_PAGE
                continue
            page = page_by_id(journey, step)
            if page and not any(q.id in draft.answers for q in page.questions):
                return step
        return CHECK_PAGE
    position = steps.index(page_id) if page_id in steps else -1
    return steps[position + 1] if position + 1 < len(steps) else CHECK_PAGE


def previous_step(journey: Journey, page_id: str, answers: dict[str, Any]) -> str | None:
    steps = flow(journey, answers)
    if page_id not in steps:
        return None
    position = steps.index(page_id)
    return steps[position - 1] if position > 0 else None


@dataclass(frozen=True)
class Submitted:
    request: requests_db.StoredRequest
    duplicate: bool


def submit(db: sqlite_utils.Database, sid: str, journey: Journey, draft: Draft,
           cleaned: dict[str, Any], locale: str, make_reference: Any) -> Submitted:
    """Store the request, its files and its first event, and close the draft: one
    transaction (the store's writer runs this whole function in one)."""
    contact = contact_fields(draft.contact or {})
    created = requests_db.create_request(db, requests_db.NewRequest(
        id=draft.submission_id, journey=journey.journey, service=journey.service,
        form_version=journey.version, answers=cleaned, channel="web",
        special_category=journey.special_category, contact_name=contact["name"],
        contact_email=contact["email"], contact_phone=contact["phone"], locale=locale,
    ), make_reference)
    file_ids = [i for q in _file_questions(journey) for i in cleaned.get(q, [])]
    attachments.attach_to_request(db, sid, journey.journey, created.request.id, file_ids)
    session_data.delete(db, sid, draft_key(journey.journey))
    sent = session_data.get(db, sid, SENT_KEY) or []
    sent = [s for s in sent if s["id"] != created.request.id][-19:]
    sent.append({"id": created.request.id, "journey": journey.journey,
                 "reference": created.request.reference})
    session_data.put(db, sid, SENT_KEY, sent)
    return Submitted(created.request, created.duplicate)


def _file_questions(journey: Journey) -> list[str]:
    return [q.id for p in journey.pages for q in p.questions if q.type == "file"]


def last_sent(db: sqlite_utils.Database, sid: str, slug: str) -> str | None:
    """The id of the request this session last sent on this journey."""
    sent = session_data.get(db, sid, SENT_KEY) or []
    matching = [s["id"] for s in sent if s["journey"] == slug]
    return matching[-1] if matching else None


def was_sent(db: sqlite_utils.Database, sid: str, submission_id: str) -> bool:
    sent = session_data.get(db, sid, SENT_KEY) or []
    return any(s["id"] == submission_id for s in sent)
