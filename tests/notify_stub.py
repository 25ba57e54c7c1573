"""A stand-in for GOV.UK Notify's POST /v2/notifications/sms on a free localhost port,
checking what Notify's API documentation requires and answering in its shapes:

- Authorization: Bearer <JWT>, signed HS256 with the API key's secret, `iss` = the
  service id, `iat` within 30 seconds of now; otherwise 403 AuthError (401 when absent);
- a JSON body with phone_number and template_id (personalisation and reference
  optional), the template's ((placeholders)) all given; otherwise 400 ValidationError /
  BadRequestError;
- 201 with id, reference, content {body, from_number}, uri, template {id, version, uri}.

Tests can make the next answers fail (`fail_next`) and read what was accepted.

It also makes Notify's callbacks, as Notify documents them: a POST with
`Authorization: Bearer <the token set in Notify>` and a JSON body, for a delivery receipt
{id, reference, to, status, created_at, completed_at, sent_at, notification_type,
template_id, template_version} and for a received text {id, source_number,
destination_number, message, date_received}. `post_receipt` and `post_received_text`
send them through any HTTP client (a TestClient, or httpx to a live server).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support import LiveServer, free_socket

CLOCK_BOUND = 30
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}\Z")
_PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")


@dataclass
class SentText:
    phone_number: str
    template_id: str
    personalisation: dict[str, Any]
    reference: str | None
    body: str
    claims: dict[str, Any]
    id: str = ""
    created_at: str = ""


INBOUND_NUMBER = "07700900000"  # the service's own number, as Notify shows it


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())


@dataclass
class NotifyStub:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    template_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    template: str = "((body))"
    accepted: list[SentText] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)  # every status sent, in order
    _failures: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    @property
    def api_key(self) -> str:
        return f"tolbooth_test-{self.service_id}-{self.secret}"

    def fail_next(self, count: int, status: int = 500) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def wait_for(self, phone_number: str, timeout: float = 15) -> SentText:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for text in reversed(self.accepted):
                    if text.phone_number == phone_number:
                        return text
            time.sleep(0.05)
        raise AssertionError(f"no text to {phone_number}; answers so far: {self.answered}")

    def texts_to(self, phone_number: str) -> list[SentText]:
        with self._lock:
            return [t for t in self.accepted if t.phone_number == phone_number]

    # --- callbacks ------------------------------------------------------------------------

    def receipt(self, text: SentText, status: str = "delivered") -> dict[str, Any]:
        return {"id": text.id, "reference": text.reference, "to": text.phone_number,
                "status": status, "created_at": text.created_at, "completed_at": _now(),
                "sent_at": text.created_at, "notification_type": "sms",
                "template_id": self.template_id, "template_version": 1}

    @staticmethod
    def received_text(source_number: str, message: str) -> dict[str, Any]:
        """`source_number` as Notify gives it: 447700912345, no plus."""
        return {"id": str(uuid.uuid4()), "source_number": source_number,
                "destination_number": INBOUND_NUMBER, "message": message,
                "date_received": _now()}

    @staticmethod
    def post_callback(http: Any, path: str, body: dict[str, Any], token: str) -> Any:
        return http.post(path, json=body, headers={"Authorization": f"Bearer {token}"})

    def post_receipt(self, http: Any, text: SentText, token: str,
                     status: str = "delivered") -> Any:
        return self.post_callback(http, "/notify/callbacks/delivery",
                                  self.receipt(text, status), token)

    def post_received_text(self, http: Any, source_number: str, message: str,
                           token: str) -> Any:
        return self.post_callback(http, "/notify/callbacks/received-text",
                                  self.received_text(source_number, message), token)

    def link_in(self, phone_number: str, timeout: float = 15) -> str:
        """The newest phone link sent to the number. Other texts (a request's
        acknowledgement) may reach it first or after: wait for the link itself."""
        link = re.compile(r"https?://\S+/account/phone/verify/[A-Za-z0-9_-]+")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for text in reversed(self.texts_to(phone_number)):
                if found := link.search(text.body):
                    return found.group(0)
            time.sleep(0.05)
        raise AssertionError(f"no phone link to {phone_number}: {self.texts_to(phone_number)}")

    # --- the API --------------------------------------------------------------------------

    def _answer(self, status: int, body: dict[str, Any]) -> JSONResponse:
        with self._lock:
            self.answered.append(status)
        return JSONResponse(body, status_code=status)

    def _error(self, status: int, error: str, message: str) -> JSONResponse:
        return self._answer(status, {"status_code": status,
                                     "errors": [{"error": error, "message": message}]})

    def _claims(self, request: Request) -> dict[str, Any] | JSONResponse:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or not token:
            return self._error(401, "AuthError",
                               "Unauthorized: authentication token must be provided")
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            return self._error(403, "AuthError", "Invalid token: signature, api token not found")
        if header.get("alg") != "HS256":
            return self._error(403, "AuthError", "Invalid token: algorithm used is not HS256")
        if unverified.get("iss") != self.service_id:
            return self._error(403, "AuthError", "Invalid token: service not found")
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"],
                                options={"verify_iat": False})
        except jwt.PyJWTError:
            return self._error(403, "AuthError", "Invalid token: signature, api token not found")
        iat = claims.get("iat")
        if not isinstance(iat, int) or abs(time.time() - iat) > CLOCK_BOUND:
            return self._error(403, "AuthError",
                               "Error: Your system clock must be accurate to within 30 seconds")
        return dict(claims)

    async def send_sms(self, request: Request) -> JSONResponse:
        claims = self._claims(request)
        if isinstance(claims, JSONResponse):
            return claims
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return self._error(failure, "Exception", "Internal server error")
        try:
            body = await request.json()
        except ValueError:
            return self._error(400, "ValidationError", "Invalid JSON supplied in POST data")
        problem = self._validate(body)
        if problem is not None:
            return problem
        personalisation = body.get("personalisation") or {}
        missing = [p for p in _PLACEHOLDER.findall(self.template) if p not in personalisation]
        if missing:
            return self._error(400, "BadRequestError",
                               f"Missing personalisation: {', '.join(missing)}")
        text = _PLACEHOLDER.sub(lambda m: str(personalisation[m.group(1)]), self.template)
        notification_id = str(uuid.uuid4())
        with self._lock:
            self.accepted.append(SentText(body["phone_number"], body["template_id"],
                                          personalisation, body.get("reference"), text,
                                          claims, notification_id, _now()))
        return self._answer(201, {
            "id": notification_id, "reference": body.get("reference"),
            "content": {"body": text, "from_number": "Tolbooth"},
            "uri": f"{self.url}/v2/notifications/{notification_id}",
            "template": {"id": self.template_id, "version": 1,
                         "uri": f"{self.url}/v2/template/{self.template_id}"},
            "scheduled_for": None})

    def _validate(self, body: Any) -> JSONResponse | None:
        if not isinstance(body, dict):
            return self._error(400, "ValidationError", "Invalid JSON supplied in POST data")
        for name in ("phone_number", "template_id"):
            if name not in body:
                return self._error(400, "ValidationError", f"{name} is a required property")
        if not isinstance(body["template_id"], str) or not _UUID.match(body["template_id"]):
            return self._error(400, "ValidationError", "template_id is not a valid UUID")
        if not isinstance(body["phone_number"], str) or not _UK_MOBILE.match(
                re.sub(r"[\s()-]", "", body["phone_number"])):
            return self._error(400, "ValidationError", "phone_number Not a UK mobile number")
        if "personalisation" in body and not isinstance(body["personalisation"], dict):
            return self._error(400, "ValidationError",
                               "personalisation is not of type object")
        if "reference" in body and not isinstance(body["reference"], str):
            return self._error(400, "ValidationError", "reference is not of type string")
        if body["template_id"] != self.template_id:
            return self._error(400, "BadRequestError", "Template not found")
        return None

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v2/notifications/sms", self.send_sms,
                                       methods=["POST"])])


def start_notify() -> tuple[NotifyStub, LiveServer]:
    stub = NotifyStub()
    server = LiveServer(stub.app(), free_socket())
    stub.url = server.url
    server.start()
    return stub, server
