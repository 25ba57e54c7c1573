"""Who is signed in, kept on the server: the cookie holds only a random session id.

AuthMiddleware looks the id up on every page request and puts the Person (or None) in
`request.state.person`. Staff are signed out after `staff_idle_minutes` without a
request (WCAG 2.2.1: the page warns them first and lets them stay, see timeout.js).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from server.db import people
from server.db.clock import age
from server.db.people import Person
from server.settings import Settings
from server.web import csrf
from server.web import visitor_session as sessions

AUTH_KEY = "auth"
RESIDENT_IDLE = timedelta(days=7)
# Writing last_seen_at on every request would be a write per page view; this often is
# enough, and the page's warning comes early enough to absorb the difference.
TOUCH_EVERY = timedelta(seconds=30)
SKIP_PREFIXES = ("/static/", "/sync/", "/healthz")



def idle_limit(person: Person, staff_idle_minutes: int) -> timedelta:
    return timedelta(minutes=staff_idle_minutes) if person.kind == "staff" else RESIDENT_IDLE


def lifetime(person: Person, settings: Settings) -> timedelta:
    """However active, a session ends this long after signing in: a stolen cookie, or a
    shared computer nobody signed out of, is not good for ever."""
    if person.kind == "staff":
        return timedelta(hours=settings.staff_session_hours)
    return timedelta(days=settings.resident_session_days)


class AuthMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state = scope.setdefault("state", {})
            state["person"] = None
            if not scope["path"].startswith(SKIP_PREFIXES):
                await load_person(scope, state)
        await self.app(scope, receive, send)


async def load_person(scope: Scope, state: dict[str, object]) -> None:
    """The signed-in person into `state`, the idle time-out and the absolute lifetime
    applied. Also for a route the middleware skips that a staff cookie may still
    authorise (handlers/sync/clients.py: a kiosk or field device signed up by staff)."""
    session = scope.get("session")
    auth_id = session.get(AUTH_KEY) if session is not None else None
    if not isinstance(auth_id, str) or session is None:
        return
    app = scope["app"]
    store, settings = app.state.store, app.state.settings
    person = await store.read(people.session_person, auth_id)
    if person is None:
        session.pop(AUTH_KEY, None)
        return
    idle = age(person.last_seen_at)
    expired = age(person.signed_in_at) > lifetime(person, settings)
    if expired or idle > idle_limit(person, settings.staff_idle_minutes):
        await store.write(people.end_session, auth_id, "expired" if expired else "idle")
        session.pop(AUTH_KEY, None)
        state["timed_out"] = True
        return
    if idle > TOUCH_EVERY:
        await store.write(people.touch_session, auth_id)
    state["person"] = person


def current_person(request: Request) -> Person | None:
    person = request.scope.get("state", {}).get("person")
    return person if isinstance(person, Person) else None


async def sign_in(request: Request, kind: str, person_id: str, method: str) -> str | None:
    """Start a signed-in session under fresh ids, so an id planted or seen before
    sign-in is worth nothing after it (session fixation). Drafts move with it.
    Returns the language the person chose on their account, if any: the caller sets the
    language cookie from it (handlers.language.remember_language)."""
    store = request.app.state.store
    old_sid = request.session.get(sessions.KEY)
    new_sid = secrets.token_urlsafe(24)
    previous = request.session.get(AUTH_KEY)

    def start(db: object) -> tuple[str, str | None]:
        if isinstance(previous, str):
            people.end_session(db, previous, "signed_in_again")  # type: ignore[arg-type]
        if isinstance(old_sid, str):
            people.move_session_data(db, sessions.stored_key(old_sid),  # type: ignore[arg-type]
                                     sessions.stored_key(new_sid))
        return (people.start_session(db, kind, person_id, method),  # type: ignore[arg-type]
                people.account_locale(db, kind, person_id))  # type: ignore[arg-type]

    auth_id, account_locale = await store.write(start)
    request.session.clear()
    request.session[sessions.KEY] = new_sid
    request.session[AUTH_KEY] = auth_id
    csrf.csrf_token(request)  # a new CSRF token too: the old one was seen signed out
    return account_locale


async def sign_out(request: Request, reason: str = "signed_out") -> None:
    auth_id = request.session.get(AUTH_KEY)
    if isinstance(auth_id, str):
        await request.app.state.store.write(people.end_session, auth_id, reason)
    request.session.clear()
