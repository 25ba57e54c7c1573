"""The session cookie carries only a random id; what belongs to the session is stored on
the server (db/session_data.py), so nothing personal sits in the browser. The server
keys it by the id's SHA-256 (issue 10): a copy of the database opens nobody's drafts."""

from __future__ import annotations

import hashlib
import secrets

from starlette.requests import Request

KEY = "sid"


def stored_key(cookie_sid: str) -> str:
    """What the database holds for a browser session: never the cookie's id itself."""
    return hashlib.sha256(cookie_sid.encode()).hexdigest()


def session_id(request: Request) -> str:
    """This browser session's key in the database (session data, draft files, passkey
    challenges, continue-later links)."""
    sid = request.session.get(KEY)
    if not isinstance(sid, str) or len(sid) < 20:
        sid = secrets.token_urlsafe(24)
        request.session[KEY] = sid
    return stored_key(sid)
