"""A resident's mobile number: add it, prove it with a texted one-time link, remove it.

Once proven, "my requests" also lists requests made with that number, including ones made
before. The text carries a link, not a code, so nothing has to be copied (WCAG 2.2 3.3.8);
opening it only shows a button, so link scanners in messaging apps cannot use it up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import phonenumbers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.session import current_person
from server.db import people, resident_phones
from server.db.people import Person
from server.db.resident_phones import PHONE_LINK_LIFETIME, LinkUse
from server.errors import Forbidden, LinkExpired
from server.forms.formats import normalise_uk_phone
from server.i18n import lazy as _
from server.rendering import locale_of, renderer
from server.web import ratelimit

if TYPE_CHECKING:
    from sqlite_utils import Database

_MOBILE = {phonenumbers.PhoneNumberType.MOBILE,
           phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
DONE = {"verified": _("Your mobile number is confirmed. Requests made with it are now in "
                      "your requests."),
        "removed": _("Your mobile number has been removed. Requests made only with it are no "
                     "longer in your requests.")}


class PhoneLinkNotYours(Forbidden):
    code = "phone_link_not_yours"
    title = _("This link was sent to a different account")
    message = _("Sign out, then sign in with the account that asked for the text and open "
                "the link again. Nothing has been changed.")


def national(phone: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(phone, None),
                                      phonenumbers.PhoneNumberFormat.NATIONAL)


def uk_mobile(text: str) -> str | None:
    e164 = normalise_uk_phone(text)
    if e164 is None or phonenumbers.number_type(phonenumbers.parse(e164, None)) not in _MOBILE:
        return None
    return e164


def _resident(request: Request) -> Person:
    person = current_person(request)
    assert person is not None and person.kind == "resident"  # routes.py: RESIDENTS only
    return person


async def phone_page(request: Request, typed: str = "", error: str | None = None,
                     status_code: int = 200) -> Response:
    person = _resident(request)
    phone = await request.app.state.store.read(resident_phones.phone_of, person.id)
    errors = {"phone": {"field": "phone", "message": error}} if error else {}
    response = renderer(request).render(request, "account/phone.html", {
        "verified": national(phone.verified) if phone.verified else None,
        "waiting": national(phone.waiting) if phone.waiting else None,
        "minutes": int(PHONE_LINK_LIFETIME.total_seconds() // 60), "typed": typed,
        "errors": errors, "has_errors": bool(errors),
        "done": DONE.get(request.query_params.get("done", ""))}, status_code=status_code)
    return response


async def phone_send(request: Request) -> Response:
    person = _resident(request)
    typed = str((await request.form()).get("phone", "")).strip()[:40]
    phone = uk_mobile(typed)
    if phone is None:
        text = i18n.Gettext(locale_of(request))
        message = text.gettext("Enter your mobile phone number") if not typed else text.gettext(
            "Enter a UK mobile phone number: 11 digits, starting 07")
        return await phone_page(request, typed, message, 400)
    ratelimit.check(request, "phone_link_account", person.id)
    ratelimit.check(request, "phone_link_number", ratelimit.recipient_key(request, phone))
    settings, page_locale = request.app.state.settings, locale_of(request)
    notices = request.app.state.notices

    def link_and_text(db: Database) -> None:  # one transaction: no link without its text
        token = resident_phones.create_phone_link(db, person.id, phone)
        # In the resident's language: their account's, else the page's.
        code = people.account_locale(db, "resident", person.id) or page_locale
        notices.one_time_link(db, "sms", phone, "phone_link", code, {
            "link": f"{settings.origin}/account/phone/verify/{token}",
            "minutes": int(PHONE_LINK_LIFETIME.total_seconds() // 60)},
            people.expiry(PHONE_LINK_LIFETIME))

    await request.app.state.store.write(link_and_text)
    return RedirectResponse("/account/phone", status_code=303)


async def phone_remove(request: Request) -> Response:
    person = _resident(request)
    await request.app.state.store.write(resident_phones.remove_phone, person.id)
    return RedirectResponse("/account/phone?done=removed", status_code=303)


async def phone_link_page(request: Request) -> Response:
    """Open to everyone, so a resident who opens the text signed out is told what to do."""
    person = current_person(request)
    if person is not None and person.kind != "resident":
        raise Forbidden()
    link = await request.app.state.store.read(resident_phones.phone_link,
                                              request.path_params["token"])
    if link is None:
        raise LinkExpired()
    if person is not None and link.resident_id != person.id:
        raise PhoneLinkNotYours()
    response = renderer(request).render(request, "account/phone_link.html", {
        "token": request.path_params["token"], "signed_out": person is None,
        "phone": national(link.phone)})
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def phone_link_use(request: Request) -> Response:
    person = _resident(request)
    used = await request.app.state.store.write(resident_phones.use_phone_link,
                                               request.path_params["token"], person.id)
    if used is LinkUse.NOT_YOURS:
        raise PhoneLinkNotYours()
    if used is LinkUse.EXPIRED:
        raise LinkExpired()
    return RedirectResponse("/account/phone?done=verified", status_code=303)
