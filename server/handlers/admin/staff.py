"""Admin: the staff list and passkey recovery."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.auth.session import current_person
from server.db import passkeys as passkeys_db
from server.db import people, staff, staff_changes
from server.errors import NotFound
from server.handlers.admin.invites import ROLE_LABELS
from server.i18n import lazy as _
from server.rendering import locale_of, renderer

DONE = {
    "deactivated": _("They have been deactivated: signed out everywhere, their passkeys and "
                     "invites revoked. Their name stays on the records they worked on."),
    "role": _("Their role has been changed."),
    "hub": _("Their hub has been saved."),
}


async def staff_list(request: Request) -> Response:
    store = request.app.state.store
    everyone = await store.read(staff.everyone)
    text = i18n.Gettext(locale_of(request))
    done = DONE.get(request.query_params.get("done", ""))
    return renderer(request).render(request, "admin/staff.html", {
        "everyone": everyone, "former": await store.read(staff_changes.deactivated),
        "hubs": await store.read(staff_changes.hubs), "me": current_person(request),
        "done": text.gettext(done) if done else None,
        "role_label": lambda role: text.gettext(ROLE_LABELS.get(role, role))})


async def revoke_and_reinvite(request: Request) -> Response:
    """The recovery path: every passkey and session of the person ends, and a new
    one-time invite is made for the admin to pass on."""
    person = current_person(request)
    assert person is not None
    staff_id = request.path_params["staff_id"]

    def recover(db: object) -> tuple[staff.Staff, str] | None:
        found = staff.by_id(db, staff_id)  # type: ignore[arg-type]
        if found is None:
            return None
        passkeys_db.revoke_all(db, "staff", staff_id, person.actor)  # type: ignore[arg-type]
        people.end_all_sessions(db, "staff", staff_id, person.actor)  # type: ignore[arg-type]
        token = staff.create_invite(db, found.email, found.role, found.name,  # type: ignore[arg-type]
                                    person.actor)
        return found, token

    result = await request.app.state.store.write(recover)
    if result is None:
        raise NotFound()
    found, token = result
    response = renderer(request).render(request, "admin/invite.html", {
        "found": found, "link": f"{request.app.state.settings.origin}/enrol/{token}"})
    return response
