"""Admins invite a new member of staff: name, email and role in, a one-time enrolment
link out (the same invite the `tolbooth invite-staff` command makes)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.auth import roles
from server.auth.roles import STAFF_ROLES
from server.auth.session import current_person
from server.db import staff, staff_changes
from server.db.people import expiry
from server.forms.one_page import parse_one_page_form
from server.forms.validate import validate_page
from server.i18n import lazy as _
from server.journeys.answers_display import fields_from_post
from server.rendering import locale_of, renderer

INVITE_LIFETIME = timedelta(days=3)
ROLE_LABELS = roles.LABELS  # (the timeline names staff by role too)
ALREADY_STAFF = _("There is already a member of staff with this email address. To give "
                  "them a new link, use “Revoke passkeys and re-invite” on the staff list.")

INVITE_FORM = parse_one_page_form({"id": "invite-staff", "page": {
    "id": "invite", "title": _("Invite a member of staff"), "questions": [
        {"id": "name", "type": "text", "label": _("Full name"), "max_length": 100,
         "autocomplete": "off", "errors": {"required": _("Enter their full name")}},
        {"id": "email", "type": "email", "label": _("Work email address"),
         "errors": {"required": _("Enter their work email address")}},
        {"id": "role", "type": "radios", "label": _("Role"),
         "hint": _("What they can see and do. Give the least they need."),
         # Option values are kebab-case in form definitions; roles are snake_case.
         "options": [{"value": role.replace("_", "-"), "label": ROLE_LABELS[role]}
                     for role in STAFF_ROLES],
         "errors": {"required": _("Choose their role")}},
    ]}})
PAGE = INVITE_FORM.page
FIELD_IDS = {q.id: q.first_field for q in PAGE.questions}


def _form(request: Request, fields: dict[str, Any], errors: dict[str, str]) -> Response:
    response = renderer(request).render(request, "admin/invite_form.html", {
        "invite_questions": PAGE.questions, "fields": fields,
        "errors": {k: {"field": FIELD_IDS.get(k, k), "message": v} for k, v in errors.items()},
        "has_errors": bool(errors)}, status_code=400 if errors else 200)
    return response


async def invite_form(request: Request) -> Response:
    return _form(request, {}, {})


async def invite_send(request: Request) -> Response:
    person = current_person(request)
    assert person is not None
    form = await request.form()
    posted = {k: [str(v)[:300] for v in form.getlist(k) if isinstance(v, str)]
              for k in ("name", "email", "role")}
    result = validate_page(INVITE_FORM, PAGE, posted, {})
    text = i18n.Gettext(locale_of(request))
    errors = {qid: e.text(text.gettext) for qid, e in result.errors.items()}
    fields = fields_from_post(posted, PAGE.questions)
    if errors:
        return _form(request, fields, errors)
    values = {**result.values, "role": result.values["role"].replace("-", "_")}

    origin, notices = request.app.state.settings.origin, request.app.state.notices

    def invite(db: Any) -> str | None:
        # A leaver (deactivated) may be invited again: that is how they come back.
        if staff_changes.active_by_email(db, values["email"]) is not None:
            return None
        token = staff.create_invite(db, values["email"], values["role"], values["name"],
                                    person.actor, INVITE_LIFETIME)
        # Emailed too (in the admin's language: the new member has not chosen one yet).
        notices.one_time_link(db, "email", values["email"], "staff_invite", locale_of(request),
                              {"link": f"{origin}/enrol/{token}", "days": INVITE_LIFETIME.days,
                               "role": ROLE_LABELS[values["role"]]},
                              expiry(INVITE_LIFETIME))
        return token

    token = await request.app.state.store.write(invite)
    if token is None:
        return _form(request, fields, {"email": text.gettext(ALREADY_STAFF)})
    role_label = ROLE_LABELS[values["role"]]  # (a literal inside gettext() would be extracted)
    response = renderer(request).render(request, "admin/invited.html", {
        "name": values["name"], "role": text.gettext(role_label),
        "link": f"{request.app.state.settings.origin}/enrol/{token}"})
    return response

