"""Errors are types that carry their status; one function renders any of them as a page,
an htmx fragment or JSON, in the person's language."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import i18n
from server.i18n import lazy as _
from server.web.access_log import scope_route

log = logging.getLogger("tolbooth.errors")


class ServiceError(Exception):
    status_code = 500
    code = "server_error"
    title = _("Sorry, there is a problem with the service")
    message = _("Try again later. What you entered has not been lost if you saved it.")

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message or self.message)
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        self.headers = headers or {}


class BadRequest(ServiceError):
    status_code = 400
    code = "bad_request"
    title = _("Sorry, we could not understand that")
    message = _("Go back and try again. If it keeps happening, contact us.")


class Forbidden(ServiceError):
    status_code = 403
    code = "forbidden"
    title = _("You cannot see this page")
    message = _("You may need to sign in, or sign in with a different account.")


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    title = _("This form has expired")
    message = _("Go back, reload the page and send the form again. Nothing has been changed.")


class NoHub(Forbidden):
    """Hub staff not yet assigned to a library hub (issue 13: kiosks and help are a
    hub's)."""
    code = "no_hub"
    title = _("You are not assigned to a library hub yet")
    message = _("Ask an administrator to assign you to your library hub, then try again.")


class PasskeyRefused(Forbidden):
    code = "passkey_refused"
    title = _("We could not sign you in with that passkey")
    message = _("Try again, or use another passkey. If none of your passkeys work, ask an "
                "administrator for a new invite, or sign in with a link sent by email.")


class LastPasskey(ServiceError):
    status_code = 409
    code = "last_passkey"
    title = _("You cannot remove your only passkey")
    message = _("Staff sign in only with a passkey. Add another passkey first, then remove "
                "this one. Nothing has been changed.")


class LastAdmin(ServiceError):
    status_code = 409
    code = "last_admin"
    title = _("There must always be an active administrator")
    message = _("Make someone else an administrator first. Nothing has been changed.")


class DeactivateSelf(ServiceError):
    status_code = 409
    code = "deactivate_self"
    title = _("You cannot deactivate yourself")
    message = _("Ask another administrator to do it. Nothing has been changed.")


class OwnAdminRole(ServiceError):
    status_code = 409
    code = "own_admin_role"
    title = _("You cannot remove your own administrator role")
    message = _("Ask another administrator to do it. Nothing has been changed.")


class LinkExpired(ServiceError):
    status_code = 410
    code = "link_expired"
    title = _("This link has expired or has already been used")
    message = _("Links work once and for a short time. Ask for a new one.")


class TrackingLinkStopped(ServiceError):
    status_code = 410
    code = "tracking_link_stopped"
    title = _("This link no longer works")
    message = _("It was stopped, or the request was closed some time ago. You can still "
                "follow your request on the Track a request page, with its reference and "
                "the email address or phone number you gave us.")


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"
    title = _("Page not found")
    message = _("If you typed the web address, check it is correct. If you pasted it, "
                "check you copied the whole address.")


class MethodNotAllowed(ServiceError):
    status_code = 405
    code = "method_not_allowed"
    title = _("Sorry, we could not understand that")
    message = _("Go back and try again. If it keeps happening, contact us.")


class PayloadTooLarge(ServiceError):
    status_code = 413
    code = "too_large"
    title = _("What you sent is too large")
    message = _("Go back and send less, or smaller files.")


class FormUnreadable(BadRequest):
    """A form body the service will not read: more than 1,000 fields or files, a broken
    multipart body, a bad boundary (issue 10: this was an unhandled 500)."""
    code = "form_unreadable"
    title = _("We could not read the form you sent")
    message = _("Go back and send the form again. If you attached files, send fewer at "
                "once. Nothing has been changed.")


class HeadersTooLarge(ServiceError):
    status_code = 431
    code = "headers_too_large"
    title = _("Your browser sent too much with the request")
    message = _("Clear this site's cookies in your browser, then try again.")


class TooManyRequests(ServiceError):
    status_code = 429
    code = "rate_limited"
    title = _("Too many attempts")
    message = _("Wait a few minutes, then try again.")


# --- sync (sync/PROTOCOL.md): rendered as JSON, with a machine reason in `code` ---

class SyncRefused(BadRequest):
    """Malformed JSON, a schema violation, a hash mismatch, an unknown protocol."""
    code = "malformed"
    title = _("The app sent something the service could not read")
    message = _("Nothing has been changed. Your request is still saved on this device. "
                "Update the app, then send it again.")


class SyncUnauthorized(ServiceError):
    status_code = 401
    code = "bad_token"
    title = _("This device is not signed up to send requests")
    message = _("Nothing has been changed. Your request is still saved on this device and "
                "will be sent when the app has signed up again.")

    def __init__(self, code: str = "bad_token") -> None:
        super().__init__(code=code, headers={"WWW-Authenticate": "Bearer"})


class KindNotAllowed(Forbidden):
    code = "kind_not_allowed"
    title = _("Only council staff can set up this kind of device")
    message = _("Sign in as a member of staff with the right role, then try again.")


class SyncTooLarge(PayloadTooLarge):
    message = _("Nothing has been changed. Send fewer requests at once, or a smaller file.")


class SyncRateLimited(TooManyRequests):
    message = _("Nothing has been changed. The app will try again in a few minutes.")


class UploadNotFound(NotFound):
    code = "upload_not_found"


class UploadExpired(ServiceError):
    status_code = 410
    code = "upload_expired"
    title = _("This upload has expired")
    message = _("Start the upload again. The app does this by itself.")


class UploadConflict(ServiceError):
    status_code = 409
    code = "offset_mismatch"
    title = _("The upload is not where the app thought")
    message = _("The app will ask where to carry on from, then continue.")


class ChecksumMismatch(ServiceError):
    status_code = 460
    code = "checksum_mismatch"
    title = _("Part of the file arrived damaged")
    message = _("The app will send that part again.")


class TusVersionRequired(ServiceError):
    status_code = 412
    code = "tus_version"
    title = _("The app sent something the service could not read")
    message = _("Update the app, then try again.")


class WrongContentType(ServiceError):
    status_code = 415
    code = "content_type"
    title = _("The app sent something the service could not read")
    message = _("Update the app, then try again.")


class FileRefused(ServiceError):
    """The finished file is not what its slot declared, or not an allowed file."""
    status_code = 422
    code = "file_refused"
    title = _("We could not accept this file")
    message = _("The selected file must be a JPG, PNG, WebP or PDF")


# --- GOV.UK Notify's callbacks (server/notify/callbacks.py): JSON, for a machine ---

class CallbackUnauthorized(ServiceError):
    status_code = 401
    code = "bad_callback_token"
    title = _("Sorry, we could not understand that")
    message = _("Go back and try again. If it keeps happening, contact us.")

    def __init__(self) -> None:
        super().__init__(headers={"WWW-Authenticate": "Bearer"})


_BY_STATUS: dict[int, type[ServiceError]] = {
    cls.status_code: cls for cls in (BadRequest, Forbidden, NotFound, MethodNotAllowed,
                                     PayloadTooLarge, TooManyRequests)
}


def from_http_exception(exc: HTTPException) -> ServiceError:
    if exc.status_code == 400 and exc.detail:
        # Starlette's form parser says what was wrong with a form body in `detail`: a
        # part over its size is too large, anything else unreadable.
        cls: type[ServiceError] = PayloadTooLarge if "maximum size" in exc.detail \
            else FormUnreadable
        return cls(headers=dict(exc.headers or {}))
    cls = _BY_STATUS.get(exc.status_code, ServiceError)
    return cls(headers=dict(exc.headers or {}))


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith(("/sync/", "/notify/")) or (
        "application/json" in accept and "text/html" not in accept
    )


def error_response(request: Request, error: ServiceError) -> Response:
    text = i18n.Gettext(str(request.scope.get("state", {}).get("locale", "en")))
    title, message = text.gettext(error.title), text.gettext(error.message)
    if wants_json(request):
        return JSONResponse({"error": error.code, "title": title, "message": message},
                            status_code=error.status_code, headers=error.headers)
    renderer = request.app.state.renderer
    response = renderer.render(request, "error.html",
                               {"error": error, "title": title, "message": message},
                               status_code=error.status_code, block="main")
    response.headers.update(error.headers)
    return response


async def handle_service_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    return error_response(request, exc)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, from_http_exception(exc))


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    # The route's template, never the path: a path can carry a token (web/access_log.py).
    log.exception("unhandled error on %s %s", request.method, scope_route(request.scope))
    try:
        return error_response(request, ServiceError())
    except Exception:  # the error page itself failed: still answer something readable
        log.exception("error page failed")
        return Response("Sorry, there is a problem with the service.", 500,
                        media_type="text/plain")


class ErrorPagesMiddleware:
    """Turns any exception from the middleware inside it or the app (a ServiceError, an
    HTTPException, anything unexpected) into its translated page, so every error page
    still gets the security headers: Starlette's own handlers for these sit outside every
    middleware, and an error raised by a middleware (the CSRF check reading a form of
    1,001 fields) went out as a bare 500 with two tracebacks (issue 10)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            await (await _page_for(Request(scope), exc))(scope, receive, send)


async def _page_for(request: Request, exc: Exception) -> Response:
    try:
        if isinstance(exc, ServiceError):
            return error_response(request, exc)
        if isinstance(exc, HTTPException):
            return error_response(request, from_http_exception(exc))
    except Exception as failed:
        exc = failed
    return await handle_unexpected(request, exc)
