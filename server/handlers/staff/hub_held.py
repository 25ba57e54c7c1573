"""/staff/hub/held (issue 13): what the hub's kiosks sent that needs its staff. Sealed
items that did not open are listed with why; a submission that needs attention opens with
the person's answers and what was wrong, for a member of staff to correct and send as the
person. Every look at the answers is in the audit log."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.db import kiosk_held
from server.errors import NotFound
from server.forms.normalise import council_today
from server.forms.references import reference_maker
from server.handlers.kiosk.scope import hub_scope
from server.journeys import answers_display
from server.journeys.question_page import counter_messages, date_examples
from server.kiosk import held
from server.rendering import locale_of, renderer


async def held_list(request: Request) -> Response:
    _person, hub_id = await hub_scope(request)
    items = await request.app.state.store.read(kiosk_held.open_items, hub_id)
    return renderer(request).render(request, "staff/hub_held.html", {
        "items": items, "sent": request.query_params.get("sent", "")[:20]})


async def _item(request: Request) -> tuple[Any, kiosk_held.HeldItem, Any]:
    person, hub_id = await hub_scope(request)
    try:
        item_id = int(request.path_params["item_id"])
    except ValueError:
        raise NotFound() from None
    item = await request.app.state.store.read(kiosk_held.held_item, item_id, hub_id)
    if item is None or item.kind != "needs_attention" or item.payload is None \
            or item.resolved_at is not None:
        raise NotFound()
    try:
        journey = request.app.state.forms.get(item.payload["journey"], item.form_version)
    except KeyError:
        raise NotFound() from None
    return person, item, journey


def _page(request: Request, item: kiosk_held.HeldItem, journey: Any, fields: dict[str, Any],
          errors: dict[str, Any], status_code: int = 200) -> Response:
    answers = item.payload.get("answers") if item.payload else {}
    shown = held.questions(journey, answers or {})
    text = i18n.Gettext(locale_of(request))
    # What the journeys' question macros read, as on a question page.
    return renderer(request).render(request, "staff/hub_held_item.html", {
        "item": item, "journey": journey, "held_questions": shown, "fields": fields,
        "errors": errors, "has_errors": bool(errors), "yes_no": answers_display.YES_NO,
        "counter_messages": counter_messages(text),
        "date_examples": date_examples(shown, council_today())}, status_code=status_code)


async def held_page(request: Request) -> Response:
    person, item, journey = await _item(request)
    await request.app.state.store.write(kiosk_held.record_read, person.id, item)
    assert item.payload is not None
    return _page(request, item, journey, held.prefill(journey, item.payload),
                 held.stored_errors(item.errors))


async def held_send(request: Request) -> Response:
    person, item, journey = await _item(request)
    form = await request.form()
    posted = {k: [str(v) for v in form.getlist(k)] for k in form if k != "csrf_token"}
    correction = held.correct(journey, posted)
    if correction.errors:
        text = i18n.Gettext(locale_of(request))
        errors = {k: {"field": e.field, "message": e.text(text.gettext)}
                  for k, e in correction.errors.items()}
        return _page(request, item, journey, posted, errors, 400)
    assert item.payload is not None
    new = held.as_request(journey, correction, item.entity_id, item.payload)
    state = request.app.state
    reference = await state.store.write(
        kiosk_held.send_corrected, item.id, person.id, new,
        reference_maker(state.settings.council_prefix, 1), state.arrivals.requests_created)
    if reference is None:
        raise NotFound()  # sent by someone else meanwhile
    return RedirectResponse(f"/staff/hub/held?sent={reference}", 303)
