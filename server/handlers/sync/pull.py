"""Sync protocol 2: a field device pulls the changes of its person's scope
(sync/PROTOCOL.md "Pulling"). The decisions are sync/pull.py's; the feed is SQLite's
(server/db/field_feed.py), read in one snapshot."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.auth.sync_clients import authenticate
from server.casework.timeline import field_entry
from server.db import field_devices, field_feed
from server.errors import KindNotAllowed, SyncRefused
from server.rendering import locale_of
from server.web.sync_io import json_response
from sync.cursors import Cursors
from sync.field_messages import PullQuery, parse_pull_query
from sync.messages import ProtocolError
from sync.pull import pull as pull_page


async def field_person(request: Request, client_id: str, kind: str) -> field_devices.Holder:
    """The person whose scope a field device holds: 403 kind_not_allowed for any other
    kind of device, or when its person may no longer do field work."""
    if kind != "field":
        raise KindNotAllowed()
    holder = await request.app.state.store.read(field_devices.holder, client_id)
    if holder is None:
        raise KindNotAllowed()
    return holder


def _page(db: Any, person_id: str, cursors: Cursors, client_id: str, query: PullQuery
          ) -> tuple[dict[str, Any], list[str]]:
    body = pull_page(field_feed.SqliteFeed(db, person_id), cursors, client_id, query)
    sent = sorted({c["case_id"] for c in body["changes"]})
    return body, field_feed.special_cases(db, sent)


async def pull(request: Request) -> Response:
    client = await authenticate(request)
    try:
        query = parse_pull_query(request.query_params.multi_items())
    except ProtocolError as error:
        raise SyncRefused(code=error.reason) from None
    holder = await field_person(request, client.id, client.kind)
    state = request.app.state
    cursors = Cursors(state.settings.secret_key)
    try:
        body, special = await state.store.read(
            field_feed.in_snapshot, _page, holder.person_id, cursors, client.id, query)
    except ProtocolError as error:
        raise SyncRefused(code=error.reason) from None
    code = locale_of(request)
    for change in body["changes"]:  # the back office's timeline, in the person's words
        if change["kind"] == "event" and change["data"] is not None \
                and change["id"].startswith("event-"):
            change["data"] = field_entry(change["data"], code)
    if special:  # every read of a social work record is audited
        await state.store.write(field_devices.audit_pull, holder.person_id, client.id, special)
    response = json_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response
