"""What every page about one sent request shows, to its officer or its resident: a copy
of what was sent exactly as check your answers showed it, the timeline, its status and
outcome, and when the council aims to reply (the service's target in working days)."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from server.casework import calendar
from server.casework.status import OPEN_STATUSES, RECEIVED, outcome_label, quick_exit, status_label
from server.casework.timeline import read_history, sent_files, timeline
from server.db import Store, sync_slots
from server.db.clock import parse_iso
from server.db.requests import StoredRequest
from server.forms.definition import Journey
from server.forms.registry import FormRegistry
from server.journeys.answers_display import sent_contact, summary_sections

COUNCIL_TIME = ZoneInfo("Europe/London")


def first_response_due(journey: Journey, created_at: str) -> date | None:
    """The day the council aims to have replied by: the service's first-response target
    in Scottish working days from the day (in Scotland) the request arrived."""
    if journey.targets is None:
        return None
    arrived = parse_iso(created_at)
    return calendar.add_working_days(arrived.astimezone(COUNCIL_TIME).date(),
                                     journey.targets.first_response_days)


async def request_view(store: Store, forms: FormRegistry, found: StoredRequest, code: str,
                       for_staff: bool = False) -> dict[str, Any]:
    """The template context those pages share."""
    journey = forms.get(found.journey, found.form_version)
    history = await store.read(read_history, found.id, for_staff)
    contact = sent_contact(journey, found.contact_name, found.contact_email,
                           found.contact_phone)
    return {
        "found": found, "journey_title": journey.title,
        "sections": summary_sections(journey, found.answers, contact, code,
                                     sent_files(history), change=False),
        "events": timeline(history, code, for_staff),
        "incomplete": await store.read(sync_slots.is_incomplete, found.id),
        "is_open": found.status in OPEN_STATUSES,
        "status_text": status_label(found.status, code),
        "outcome_text": outcome_label(found.outcome, code) if found.outcome else None,
        # Promised until the council first answers (the status moves on from received).
        "due": first_response_due(journey, found.created_at)
        if found.status == RECEIVED else None,
        "created": parse_iso(found.created_at),
        "quick_exit": quick_exit(found.service),
    }
