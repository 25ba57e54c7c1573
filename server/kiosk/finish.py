"""Finish on a kiosk (issue 13), the server's half: the visitor's session ends and
everything kept for it goes, any sign-in on the kiosk (hub staff in assisted mode) ends,
and the cookie gets a new id and a new CSRF token. The browser's half (storage, caches,
history, offline) is pwa/scripts/kiosk/finish.js and pwa/sw/kiosk.js."""

from __future__ import annotations

from starlette.requests import Request

from server.auth.session import sign_out
from server.db import kiosk_help, session_data
from server.web import csrf
from server.web import visitor_session as sessions


async def finish_visit(request: Request) -> None:
    old = request.session.get(sessions.KEY)
    if isinstance(old, str):
        await request.app.state.store.write(session_data.forget, sessions.stored_key(old))
        # The visit's assisted session ends with it: the next person is nobody's to help.
        await request.app.state.store.write(kiosk_help.end_sessions, sessions.stored_key(old))
    await sign_out(request, "kiosk_finish")  # clears the session, ending any sign-in
    sessions.session_id(request)  # a fresh id: nothing of the last session is reachable
    csrf.csrf_token(request)
