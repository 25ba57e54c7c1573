"""Signing in and out: the sign-in page (passkey, or a one-time link by email), the
emailed link, sign out, sign out everywhere, and "stay signed in"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from server import i18n
from server.auth.session import current_person, sign_in, sign_out
from server.db import people
from server.db.people import EMAIL_LINK_LIFETIME
from server.errors import LinkExpired
from server.forms.formats import email_address
from server.handlers.account.passkeys import landing
from server.handlers.public.language import remember_language
from server.i18n import lazy as _
from server.notify.notices import Notices
from server.rendering import locale_of, renderer
from server.settings import Settings
from server.web import ratelimit

if TYPE_CHECKING:
    from sqlite_utils import Database

DONE = {"signed-out": _("You have signed out."),
        "everywhere": _("You have signed out on every device."),
        "timed-out": _("You were signed out because you had not done anything for a while.")}


def _page(request: Request, email: str = "", error: str | None = None,
          status_code: int = 200) -> Response:
    done = DONE.get(request.query_params.get("done", ""))
    if request.scope.get("state", {}).get("timed_out"):
        done = DONE["timed-out"]
    errors = {"email": {"field": "email", "message": error}} if error else {}
    response = renderer(request).render(request, "auth/sign_in.html", {
        "email": email, "errors": errors, "has_errors": bool(errors),
        "done": done}, status_code=status_code)
    return response


async def sign_in_page(request: Request) -> Response:
    person = current_person(request)
    if person is not None:
        return RedirectResponse(landing(person.kind, person.role), status_code=303)
    return _page(request)


async def email_link_send(request: Request) -> Response:
    form = await request.form()
    typed = str(form.get("email", ""))[:254]
    text = i18n.Gettext(locale_of(request))
    email = email_address(typed)
    if email is None:
        return _page(request, typed.strip(), text.gettext(
            "Enter an email address in the correct format, like name@example.com"))
    ratelimit.check(request, "sign_in_recipient", ratelimit.recipient_key(request, email))
    ratelimit.check(request, "sign_in_address", ratelimit.client_address(request))
    minutes = int(EMAIL_LINK_LIFETIME.total_seconds() // 60)
    await request.app.state.store.write(send_sign_in_link, request.app.state.settings,
                                        request.app.state.notices, email, locale_of(request))
    return renderer(request).render(request, "auth/email_sent.html",
                                    {"email": email, "minutes": minutes})


def send_sign_in_link(db: Database, settings: Settings, notices: Notices, email: str,
                      page_locale: str) -> None:
    """The link and its email in one transaction: no link without its message. Written in
    the language the account chose, when there is one (else the page's)."""
    token = people.create_email_link(db, email)
    notices.one_time_link(
        db, "email", email, "sign_in_link",
        people.resident_locale_for_email(db, email) or page_locale,
        {"link": f"{settings.origin}/sign-in/link/{token}",
         "minutes": int(EMAIL_LINK_LIFETIME.total_seconds() // 60)},
        people.expiry(EMAIL_LINK_LIFETIME))


async def email_link_page(request: Request) -> Response:
    """Opening the link does not use it (mail scanners open links); the button does."""
    token = request.path_params["token"]
    if not await request.app.state.store.read(people.email_link_valid, token):
        raise LinkExpired()
    response = renderer(request).render(request, "auth/email_link.html", {"token": token})
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def email_link_use(request: Request) -> Response:
    store = request.app.state.store

    def use(db: object) -> str | None:
        email = people.use_email_link(db, request.path_params["token"])  # type: ignore[arg-type]
        return people.resident_for_email(db, email) if email else None  # type: ignore[arg-type]

    resident_id = await store.write(use)
    if resident_id is None:
        raise LinkExpired()
    account_locale = await sign_in(request, "resident", resident_id, "email_link")
    response = RedirectResponse("/account/requests", status_code=303)
    remember_language(request, response, account_locale)
    return response


async def sign_out_here(request: Request) -> Response:
    form = await request.form()
    timed_out = form.get("reason") == "timed-out"  # sent by timeout.js
    await sign_out(request, "idle" if timed_out else "signed_out")
    return RedirectResponse(f"/sign-in?done={'timed-out' if timed_out else 'signed-out'}",
                            status_code=303)


async def sign_out_everywhere(request: Request) -> Response:
    person = current_person(request)
    assert person is not None
    await request.app.state.store.write(people.end_all_sessions, person.kind, person.id,
                                        person.actor)
    request.session.clear()
    return RedirectResponse("/sign-in?done=everywhere", status_code=303)


async def keep_alive(request: Request) -> Response:
    person = current_person(request)
    assert person is not None
    await request.app.state.store.write(people.touch_session, person.session_id)
    return JSONResponse({"idle_seconds": request.app.state.settings.staff_idle_minutes * 60})
