"""The language switcher: a plain link that remembers the choice in a cookie for this
browser; signed in, a form that also keeps it on the account (their next sign-in, on any
device, sets the cookie from it, and emails and texts to them are written in it).

A GET changes nothing stored (issue 10: a link or an image on another site could change
someone's account language): only the POST, behind the CSRF check, writes the account."""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.session import current_person
from server.db import people
from server.errors import NotFound


def safe_next(value: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _offered(request: Request) -> str:
    code = str(request.path_params["code"])
    if code not in i18n.OFFERED_CODES:
        raise NotFound()
    return code


async def choose_language(request: Request) -> RedirectResponse:
    code = _offered(request)
    response = RedirectResponse(safe_next(request.query_params.get("next")), 303)
    remember_language(request, response, code)
    return response


async def save_language(request: Request) -> RedirectResponse:
    code = _offered(request)
    person = current_person(request)
    if person is not None:
        await request.app.state.store.write(people.set_account_locale, person.kind,
                                            person.id, code)
    form = await request.form()
    response = RedirectResponse(safe_next(str(form.get("next") or "")), 303)
    remember_language(request, response, code)
    return response


def remember_language(request: Request, response: Response, code: str | None) -> None:
    if code in i18n.OFFERED_CODES:
        response.set_cookie(i18n.COOKIE, str(code), max_age=365 * 24 * 3600, httponly=True,
                            samesite="lax", secure=request.app.state.settings.https)
