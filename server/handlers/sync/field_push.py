"""Sync protocol 2's push: a field device's visits, notes and case updates (and any new
requests), decided by sync/field_apply.py on the SQLite ledger (server/db/field_ledger.py)."""

from __future__ import annotations

import sqlite_utils
from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.casework import actions
from server.casework.status import CLOSING_STATUSES
from server.db import field_ledger
from server.forms.references import reference_maker
from server.handlers.sync.pull import field_person
from server.i18n import lazy as _
from server.journeys.sync_check import check_submission
from server.web.sync_io import json_response
from sync.field_messages import CaseMutation, FieldPush

# A case in one of these is closed: notes and visits on it are late, updates conflicts.
# ("closed" is the protocol's generic word, used by its examples.)
CLOSED = (*CLOSING_STATUSES, "closed")

# Why a piece of case work was refused, in the words the worker reads on the device.
REFUSALS = {
    "unknown_case": _("This case is not one of yours, or it no longer exists."),
    "unknown_version": _("This case has no such version. Download your cases again."),
    "unknown_field": _("The case has no such detail."),
    "read_only": _("This detail can only be changed in the office."),
    "invalid_value": _("This value cannot be kept for this detail. Check it and send it again."),
}


def explain(code: str, locale: str) -> str:
    message = REFUSALS.get(code, REFUSALS["invalid_value"])
    return i18n.Gettext(locale).gettext(message)


async def field_push(request: Request, client_kind: str, pushed: FieldPush) -> Response:
    holder = await field_person(request, pushed.client_id, client_kind)
    state = request.app.state
    checks = {m.mutation_id: check_submission(state.forms, m,
                                              state.settings.sync_max_upload_bytes)
              for m in pushed.mutations if not isinstance(m, CaseMutation)}
    make_reference = reference_maker(state.settings.council_prefix, max(len(checks), 1))
    notices = state.notices

    def set_status(db: sqlite_utils.Database, case_id: str, status: str, writer: str,
                   actor: str) -> None:
        # As an officer's update with no message: on the timeline, audited, the
        # resident told of the new status the ways they chose.
        actions.change_status(db, case_id, status, "", actor, notices, writer=writer)

    response = await state.store.write(
        field_ledger.apply_field_push_in, pushed, holder, checks, make_reference,
        CLOSED, explain, state.arrivals.requests_created, set_status)
    return json_response(response)
