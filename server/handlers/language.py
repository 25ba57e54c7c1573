"""The language switcher: a plain link that remembers the choice in a cookie."""

from starlette.requests import Request
from starlette.responses import RedirectResponse

from .. import i18n
from ..errors import NotFound


def safe_next(value: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def choose_language(request: Request) -> RedirectResponse:
    code = request.path_params["code"]
    if code not in i18n.OFFERED_CODES:
        raise NotFound()
    response = RedirectResponse(safe_next(request.query_params.get("next")), 303)
    response.set_cookie(i18n.COOKIE, code, max_age=365 * 24 * 3600, httponly=True,
                        samesite="lax", secure=request.app.state.settings.https)
    return response
