"""Admin: the audit log, on a page and as a CSV export (itself audited)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.auth.session import current_person
from server.db import audit, audit_export
from server.i18n import lazy as _
from server.rendering import locale_of, renderer

# What a subject's kind is called when it has no name of its own (issue 15: the log
# showed raw ids).
KINDS = {
    "staff": _("Member of staff"),
    "resident": _("A resident"),
    "passkey": _("A passkey"),
    "sync_client": _("A device"),
    "request": _("A request"),
}

# What each action is called where people read it; an action not named here (a new one)
# shows as its code, as the CSV always does.
ACTIONS = {
    "access_refused": _("Was refused a page"),
    "audit_exported": _("Downloaded the audit log"),
    "information_added": _("Added information to a request"),
    "invite_staff": _("Invited a member of staff"),
    "invites_revoked": _("Ended unused invites"),
    "message_sent": _("Sent a message"),
    "note_added": _("Added a note"),
    "passkey_added": _("Added a passkey"),
    "passkey_removed": _("Removed a passkey"),
    "passkey_refused": _("A passkey was refused"),
    "passkeys_revoked": _("Revoked passkeys"),
    "phone_link_refused": _("A phone confirmation link was refused"),
    "phone_link_sent": _("Sent a phone confirmation link"),
    "phone_moved": _("Moved a phone number to another account"),
    "phone_removed": _("Removed a phone number"),
    "phone_verified": _("Confirmed a phone number"),
    "read_refused": _("Was refused a record"),
    "read_special_category": _("Read a social work record"),
    "resident_update_seen": _("Saw the resident’s update"),
    "signed_in": _("Signed in"),
    "signed_out": _("Signed out"),
    "signed_out_everywhere": _("Signed out everywhere"),
    "signed_out_elsewhere": _("Signed out on other devices"),
    "staff_deactivated": _("Deactivated a member of staff"),
    "staff_hub_assigned": _("Assigned a hub"),
    "staff_role_changed": _("Changed a role"),
    "status_changed": _("Changed the status"),
    "sync_client_registered": _("Set up a device"),
    "sync_client_revoked": _("Revoked a device"),
    "task_done": _("Finished a task"),
    "withdrawn": _("Withdrew a request"),
}


def describe(key: str, name: str | None, gettext: Callable[[str], str]) -> tuple[str, str]:
    """(what to show, what kind it is or "") for an actor or subject: a name where there is
    one, else the kind; anything else (a path, "audit_log") as it is, escaped by the page."""
    kind = key.split(":", 1)[0] if ":" in key else ""
    label = gettext(KINDS[kind]) if kind in KINDS else ""
    if name:
        return name, label if kind == "staff" else ""
    return (label, "") if label else (key, "")


async def audit_log(request: Request) -> Response:
    entries = await request.app.state.store.read(audit.named_entries, 200)
    text = i18n.Gettext(locale_of(request))  # plain strings: the template escapes them
    response = renderer(request).render(request, "admin/audit.html", {
        "entries": entries,
        "describe": lambda key, name: describe(key, name, text.gettext),
        "action_label": lambda code: text.gettext(ACTIONS[code]) if code in ACTIONS else code})
    return response


async def audit_csv(request: Request) -> Response:
    person = current_person(request)
    assert person is not None
    store = request.app.state.store
    await store.write(audit.record, person.actor, "audit_exported", "audit_log")
    body = await store.read(audit_export.as_csv)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'})
