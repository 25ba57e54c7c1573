"""Where a person goes next in a journey: its pages in order for their answers, then the
contact page and check your answers."""

from __future__ import annotations

from typing import Any

from server.forms.conditions import visible_pages
from server.forms.definition import Form, Journey, Page
from server.journeys.contact import PAGE_ID as CONTACT_PAGE
from server.journeys.drafts import Draft

CHECK_PAGE = "check"
RESERVED_PAGE_IDS = {CONTACT_PAGE, CHECK_PAGE, "done", "save"}


def page_by_id(form: Form, page_id: str) -> Page | None:
    return next((p for p in form.pages if p.id == page_id), None)


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


def step_url(journey: Journey, step: str | None, change: bool = False) -> str:
    if step is None:
        return f"/services/{journey.journey}"
    return f"/services/{journey.journey}/{step}" + ("?change=1" if change else "")
