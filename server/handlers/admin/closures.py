"""Admin: the council's own closures (local holidays), which are not working days for
any service's targets; Scottish public holidays are counted without being listed."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.session import current_person
from server.db import audit
from server.db import closures as closures_db
from server.errors import NotFound
from server.forms.normalise import clean_text
from server.i18n import lazy as _
from server.rendering import locale_of, renderer

NAME_MAX = 100
ENTER_DATE = _("Enter the date, for example 27/3/2027")
ENTER_NAME = _("Enter a name for the closure, for example Dalkeith local holiday")
ALREADY = _("That day is already a closure")
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_day(text: str) -> date | None:
    """A date as typed (27/3/2027) or as a date picker sends it (2027-03-27)."""
    text = text.strip()
    try:
        if found := DAY_MONTH_YEAR.match(text):
            return date(int(found[3]), int(found[2]), int(found[1]))
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


async def closures_page(request: Request, errors: dict[str, Any] | None = None,
                        posted: dict[str, str] | None = None, status_code: int = 200
                        ) -> Response:
    found = await request.app.state.store.read(closures_db.all_closures)
    return renderer(request).render(request, "admin/closures.html", {
        "closures": found, "errors": errors or {}, "has_errors": bool(errors),
        "posted": posted or {}, "done": request.query_params.get("done", "")},
        status_code=status_code)


async def add_closure(request: Request) -> Response:
    person = current_person(request)
    assert person is not None
    form = await request.form()
    day_text = str(form.get("day", ""))[:40]
    name = clean_text(str(form.get("name", "")))[:NAME_MAX]
    day = parse_day(day_text)
    text = i18n.Gettext(locale_of(request))
    errors = {field: {"field": field, "message": text.gettext(message)}
              for field, message in (("day", ENTER_DATE if day is None else None),
                                     ("name", None if name else ENTER_NAME)) if message}

    def add(db: Any) -> bool:
        assert day is not None
        if not closures_db.add_closure(db, day, name, person.actor):
            return False
        audit.record(db, person.actor, "closure_added", f"closure:{day.isoformat()}",
                     {"name": name})
        return True

    if not errors and not await request.app.state.store.write(add):
        errors = {"day": {"field": "day", "message": text.gettext(ALREADY)}}
    if errors:
        return await closures_page(request, errors, {"day": day_text, "name": name}, 400)
    return RedirectResponse("/admin/closures?done=added", status_code=303)


async def remove_closure(request: Request) -> Response:
    person = current_person(request)
    assert person is not None
    day = parse_day(request.path_params["day"])
    if day is None:
        raise NotFound()

    def remove(db: Any) -> bool:
        assert day is not None
        if not closures_db.remove_closure(db, day):
            return False
        audit.record(db, person.actor, "closure_removed", f"closure:{day.isoformat()}")
        return True

    if not await request.app.state.store.write(remove):
        raise NotFound()
    return RedirectResponse("/admin/closures?done=removed", status_code=303)
