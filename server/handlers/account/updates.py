"""A resident's default answer to "How would you like to get updates?", offered on the
contact page of each new request."""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.session import current_person
from server.db import update_choices
from server.db.people import Person
from server.i18n import lazy as _
from server.journeys.contact import CONTACT
from server.rendering import locale_of, renderer

# The contact page's question; here the answer is the point of the page, so not optional.
QUESTION = replace(next(q for q in CONTACT.pages[0].questions if q.id == "updates"),
                   optional=False, hint=None)
CHOOSE = _("Select how you would like to get updates")
SAVED = _("Your choice is saved. We will offer it when you make a request.")


def _resident(request: Request) -> Person:
    person = current_person(request)
    assert person is not None and person.kind == "resident"  # routes.py: RESIDENTS only
    return person


async def updates_page(request: Request, error: str | None = None) -> Response:
    person = _resident(request)
    choice = await request.app.state.store.read(update_choices.resident_default, person.id)
    errors = {"updates": {"field": QUESTION.first_field, "message": error}} if error else {}
    return renderer(request).render(request, "account/updates.html", {
        "updates_question": QUESTION, "fields": {"updates": [choice] if choice else []},
        "errors": errors, "has_errors": bool(errors),
        "done": SAVED if request.query_params.get("done") == "saved" else None},
        status_code=400 if error else 200)


async def updates_save(request: Request) -> Response:
    person = _resident(request)
    choice = (await request.form()).get("updates")
    if choice not in update_choices.CHOICES:
        text = i18n.Gettext(locale_of(request))
        return await updates_page(request, text.gettext(CHOOSE))
    await request.app.state.store.write(update_choices.set_resident_default, person.id,
                                        str(choice))
    return RedirectResponse("/account/updates?done=saved", status_code=303)
