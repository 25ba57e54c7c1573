"""Admin: deactivate a leaver, change a person's role, assign hub staff to a hub. The first
two ask to be confirmed; all three are audited (db/staff_changes.py)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth import roles
from server.auth.session import current_person
from server.db import staff_changes
from server.db.people import Person
from server.db.staff import Staff
from server.errors import BadRequest, DeactivateSelf, LastAdmin, NotFound, OwnAdminRole
from server.forms.one_page import parse_one_page_form
from server.forms.validate import validate_page
from server.handlers.admin.invites import ROLE_LABELS
from server.i18n import lazy as _
from server.journeys.answers_display import fields_from_post
from server.rendering import locale_of, renderer

ROLE_FORM = parse_one_page_form({"id": "change-role", "page": {
    "id": "role", "title": _("Change their role"), "questions": [
        {"id": "role", "type": "radios", "label": _("New role"),
         "hint": _("What they can see and do. Give the least they need."),
         "options": [{"value": role.replace("_", "-"), "label": ROLE_LABELS[role]}
                     for role in roles.STAFF_ROLES],
         "errors": {"required": _("Choose their role")}},
    ]}})
ROLE_PAGE = ROLE_FORM.page


async def _target(request: Request) -> tuple[Person, Staff]:
    person = current_person(request)
    assert person is not None
    found = await request.app.state.store.read(staff_changes.active,
                                               request.path_params["staff_id"])
    if found is None:
        raise NotFound()
    return person, found


def _refusal(db: Any, person: Person, found: Staff, new_role: str | None) -> Exception | None:
    """new_role None: deactivating."""
    if found.id == person.id and new_role is None:
        return DeactivateSelf()
    if found.id == person.id and new_role != roles.ADMIN and found.role == roles.ADMIN:
        return OwnAdminRole()
    if staff_changes.would_leave_no_admin(db, found, new_role):
        return LastAdmin()
    return None


def _role_label(request: Request, role: str) -> str:
    return i18n.Gettext(locale_of(request)).gettext(ROLE_LABELS.get(role, role))


async def deactivate_confirm(request: Request) -> Response:
    person, found = await _target(request)
    refused = await request.app.state.store.read(_refusal, person, found, None)
    return renderer(request).render(request, "admin/deactivate.html", {
        "found": found, "role": _role_label(request, found.role), "refused": refused})


async def deactivate(request: Request) -> Response:
    person, found = await _target(request)

    def leave(db: Any) -> None:
        refused = _refusal(db, person, found, None)
        if refused is not None:
            raise refused
        staff_changes.deactivate(db, found.id, person.actor)

    await request.app.state.store.write(leave)
    return RedirectResponse("/admin/staff?done=deactivated", status_code=303)


def _role_form(request: Request, found: Staff, fields: dict[str, Any],
               errors: dict[str, str]) -> Response:
    return renderer(request).render(request, "admin/role_form.html", {
        "found": found, "role_questions": ROLE_PAGE.questions, "fields": fields,
        "errors": {k: {"field": ROLE_PAGE.questions[0].first_field, "message": v}
                   for k, v in errors.items()},
        "has_errors": bool(errors)}, status_code=400 if errors else 200)


async def role_form(request: Request) -> Response:
    _person, found = await _target(request)
    return _role_form(request, found, {"role": [found.role.replace("_", "-")]}, {})


async def role_change(request: Request) -> Response:
    """Posted once from the form (shows the confirm page), then again confirmed."""
    person, found = await _target(request)
    form = await request.form()
    posted = {"role": [str(v)[:100] for v in form.getlist("role") if isinstance(v, str)]}
    result = validate_page(ROLE_FORM, ROLE_PAGE, posted, {})
    if result.errors:
        text = i18n.Gettext(locale_of(request))
        return _role_form(request, found, fields_from_post(posted, ROLE_PAGE.questions),
                          {k: e.text(text.gettext) for k, e in result.errors.items()})
    new_role = result.values["role"].replace("-", "_")
    store = request.app.state.store
    refused = await store.read(_refusal, person, found, new_role)
    if refused is not None:
        raise refused
    if form.get("confirm") != "yes":
        return renderer(request).render(request, "admin/role_confirm.html", {
            "found": found, "new_role": new_role, "role_value": result.values["role"],
            "old_label": _role_label(request, found.role),
            "new_label": _role_label(request, new_role)})

    def change(db: Any) -> None:
        refused = _refusal(db, person, found, new_role)  # again, inside the transaction
        if refused is not None:
            raise refused
        staff_changes.change_role(db, found.id, new_role, person.actor)

    await store.write(change)
    return RedirectResponse("/admin/staff?done=role", status_code=303)


async def hub_assign(request: Request) -> Response:
    person, found = await _target(request)
    form = await request.form()
    hub_id = str(form.get("hub") or "") or None
    store = request.app.state.store
    hubs = {h.id for h in await store.read(staff_changes.hubs)}
    if found.role != roles.HUB_STAFF or (hub_id is not None and hub_id not in hubs):
        raise BadRequest()
    await store.write(staff_changes.assign_hub, found.id, hub_id, person.actor)
    return RedirectResponse("/admin/staff?done=hub", status_code=303)
