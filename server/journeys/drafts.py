"""A person's draft of a journey, kept on the server under the session id, so a reload,
the back button or a lost connection loses nothing. It carries a submission id made
with it: sending twice (a double click, a retry after a dropped response) stores one
request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from server.db import session_data
from server.forms.definition import Journey
from server.forms.registry import FormRegistry

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
