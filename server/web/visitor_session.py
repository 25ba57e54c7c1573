"""The session cookie carries only a random id; what belongs to the session is stored on
the server (db/session_data.py), so nothing personal sits in the browser."""

from __future__ import annotations

import secrets

from starlette.requests import Request

KEY = "sid"


def session_id(request: Request) -> str:
    sid = request.session.get(KEY)
    if not isinstance(sid, str) or len(sid) < 20:
        sid = secrets.token_urlsafe(24)
        request.session[KEY] = sid
    return sid
