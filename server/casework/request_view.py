"""What every page about one sent request shows, to its officer or its resident: a copy
of what was sent exactly as check your answers showed it, the timeline, its status and
outcome, and when the council aims to reply (the service's target in working days)."""

from __future__ import annotations

from typing import Any

from server.casework import sla
from server.casework.status import OPEN_STATUSES, RECEIVED, outcome_label, quick_exit, status_label
from server.casework.timeline import read_history, sent_files, timeline
from server.db import Store, sync_slots
from server.db.clock import parse_iso
from server.db.requests import StoredRequest
from server.forms.registry import FormRegistry
from server.journeys.answers_display import sent_contact, summary_sections


async def request_view(store: Store, forms: FormRegistry, found: StoredRequest, code: str,
                       for_staff: bool = False) -> dict[str, Any]:
    """The template context those pages share."""
    journey = forms.get(found.journey, found.form_version)
    history = await store.read(read_history, found.id, for_staff)
    # The working-day clock (holidays, council closures and pauses counted).
    clock = await store.read(sla.for_request, forms, found)
    contact = sent_contact(journey, found.contact_name, found.contact_email,
                           found.contact_phone)
    return {
        "found": found, "journey_title": journey.title,
        "sections": summary_sections(journey, found.answers, contact, code,
                                     sent_files(history), change=False),
        "events": timeline(history, code, for_staff),
        "incomplete": await store.read(sync_slots.is_incomplete, found.id),
        "is_open": found.status in OPEN_STATUSES,
        "status_text": status_label(found.status, code, for_staff),
        "outcome_text": outcome_label(found.outcome, code) if found.outcome else None,
        # Promised until the council first answers (the status moves on from received).
        "due": clock.first_response_due if clock and found.status == RECEIVED else None,
        "clock": clock if for_staff else None,
        "created": parse_iso(found.created_at),
        "quick_exit": quick_exit(found.service),
    }
