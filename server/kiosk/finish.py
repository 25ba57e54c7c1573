"""Finish on a kiosk (issue 13), the server's half: the visitor's session ends and
everything kept for it goes, any sign-in on the kiosk (hub staff in assisted mode) ends,
and the cookie gets a new id and a new CSRF token. The browser's half (storage, caches,
history, offline) is pwa/scripts/kiosk/finish.js and pwa/sw/kiosk.js."""

from __future__ import annotations

import sqlite_utils
from starlette.requests import Request

from server.auth.session import sign_out
from server.db import kiosk_help, session_data
from server.web import csrf
from server.web import visitor_session as sessions


async def finish_visit(request: Request) -> None:
    old = request.session.get(sessions.KEY)
    if isinstance(old, str):
        await request.app.state.store.write(_forget_visit, sessions.stored_key(old))
    await sign_out(request, "kiosk_finish")  # clears the session, ending any sign-in
    sessions.session_id(request)  # a fresh id: nothing of the last session is reachable
    csrf.csrf_token(request)


def _forget_visit(db: sqlite_utils.Database, sid: str) -> None:
    """In one transaction: what the session kept, and its assisted session (the next
    person is nobody's to help)."""
    session_data.forget(db, sid)
    kiosk_help.end_sessions(db, sid)
