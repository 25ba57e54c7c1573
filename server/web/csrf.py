"""CSRF protection for every state-changing request.

Two checks, both required for browsers: the Origin (or, failing that, Referer) must be
ours, and the form field `csrf_token` (or header `X-CSRF-Token`, which htmx sends) must
match the token kept in the person's session.

A page never carries the session's token itself but a fresh masking of it (a random pad,
then the token XORed with the pad), different on every response: beside reflected input
in a compressed page, a token that never repeats cannot be read a byte at a time from
response sizes (BREACH, issue 10). Any masking of the session's token is accepted; the
bare token is not.

Sync endpoints are exempt: they authenticate with a client token in a header, never a
cookie, so another site cannot ride them.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from urllib.parse import parse_qs

from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import (
    BadRequest,
    CsrfFailed,
    FormUnreadable,
    PayloadTooLarge,
    ServiceError,
    error_response,
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Also GOV.UK Notify's callbacks (a bearer token, checked by the handler) and stopping
# updates (RFC 8058: mail apps POST the one-click stop with neither cookie nor token;
# the signed link in the path is the secret, and a stop is all it can do).
EXEMPT_PREFIXES = ("/sync/", "/notify/callbacks/", "/updates/stop/")
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SESSION_KEY = "csrf"
MAX_FIELDS = 1000  # as Starlette's form parser, which reads the body after this check


def csrf_token(request: Request) -> str:
    """A new masking of the session's token (the token made on first use)."""
    session = request.scope.get("session")
    if session is None:
        return ""
    token = session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return mask(str(token))


def mask(token: str) -> str:
    raw = token.encode()
    pad = secrets.token_bytes(len(raw))
    return base64.urlsafe_b64encode(pad + bytes(a ^ b for a, b in zip(raw, pad, strict=True))
                                    ).decode().rstrip("=")


def unmask(sent: str) -> bytes | None:
    try:
        both = base64.urlsafe_b64decode(sent + "=" * (-len(sent) % 4))
    except (binascii.Error, ValueError):
        return None
    half = len(both) // 2
    if not half or len(both) % 2:
        return None
    return bytes(a ^ b for a, b in zip(both[:half], both[half:], strict=True))


class CsrfMiddleware:
    def __init__(self, app: ASGIApp, origin: str, max_body_bytes: int) -> None:
        self.app = app
        self.origin = origin
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            self._check_origin(headers)
            body = await self._read_body(headers, receive)
            self._check_token(scope, headers, body)
        except ServiceError as error:
            await error_response(Request(scope), error)(scope, receive, send)
            return

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _check_origin(self, headers: Headers) -> None:
        origin = headers.get("origin")
        if origin is not None:
            if origin != self.origin:
                raise CsrfFailed(code="csrf_origin")
            return
        referer = headers.get("referer")
        if referer is not None and not (referer == self.origin or
                                        referer.startswith(self.origin + "/")):
            raise CsrfFailed(code="csrf_origin")

    async def _read_body(self, headers: Headers, receive: Receive) -> bytes:
        declared = headers.get("content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_body_bytes:
                    raise PayloadTooLarge()
            except ValueError:
                raise BadRequest(code="bad_content_length") from None
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise BadRequest(code="client_disconnected")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise PayloadTooLarge()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _check_token(self, scope: Scope, headers: Headers, body: bytes) -> None:
        _check_sent((scope.get("session") or {}).get(SESSION_KEY),
                    headers.get(HEADER) or _form_token(headers, body))


def _check_sent(expected: object, sent: str | None) -> None:
    """`sent` must be a masking of the session's token (every page carries a fresh one)."""
    token = unmask(sent) if sent else None
    if not expected or token is None or not hmac.compare_digest(str(expected).encode(), token):
        raise CsrfFailed()


def check_cookie_call(request: Request, origin: str) -> None:
    """Both checks, in the handler of an exempt route that a session cookie may still
    authorise (a kiosk or field device signed up by staff, handlers/sync/clients.py):
    the Origin must be ours (a fetch always sends it) and `X-CSRF-Token` the session's."""
    if request.headers.get("origin") != origin:
        raise CsrfFailed(code="csrf_origin")
    _check_sent(request.session.get(SESSION_KEY), request.headers.get(HEADER))


def _form_token(headers: Headers, body: bytes) -> str | None:
    content_type, params = parse_options_header(headers.get("content-type", ""))
    if content_type == b"application/x-www-form-urlencoded":
        try:
            values = parse_qs(body.decode("latin-1"), max_num_fields=MAX_FIELDS).get(FIELD)
        except ValueError:  # over MAX_FIELDS: was an unhandled 500 (issue 10)
            raise FormUnreadable(code="too_many_fields") from None
        return values[0] if values else None
    if content_type == b"multipart/form-data":
        return _multipart_field(body, params.get(b"boundary", b""), FIELD)
    return None


def _multipart_field(body: bytes, boundary: bytes, name: str) -> str | None:
    """Find one small text field in a multipart body without parsing the files."""
    if not boundary:
        return None
    marker = f'name="{name}"'.encode()
    for part in body.split(b"--" + boundary):
        head, sep, value = part.partition(b"\r\n\r\n")
        if sep and marker in head and b"filename=" not in head:
            return value.rstrip(b"\r\n").decode("utf-8", "replace")
    return None
