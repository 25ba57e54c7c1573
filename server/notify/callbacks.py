"""GOV.UK Notify's callbacks: delivery receipts and texts residents send back.

Notify POSTs JSON with `Authorization: Bearer <token>`, the token set in its callback
settings (ours: TOLBOOTH_NOTIFY_CALLBACK_TOKEN). A delivery receipt carries `id` (Notify's
id for the message: we keep it), `reference` (ours), `to`, `status` (delivered,
permanent-failure, temporary-failure, technical-failure), `notification_type` and times.
A received text carries `id`, `source_number` (447700912345), `destination_number`,
`message` and `date_received`.

Forged or broken callbacks change nothing and get a 4xx; the same callback twice is
harmless (a receipt sets what it already set; a text is known by its id).
"""

from __future__ import annotations

import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

import phonenumbers
import sqlite_utils

from server.casework.status import OPEN_STATUSES
from server.db import notify_outbox, received_texts, update_choices
from server.db.requests import add_event
from server.forms.normalise import clean_text
from server.notify.compose import TEMPLATES
from server.notify.sender import CONTACT_FAILED

MAX_BODY = 16 * 1024
MAX_TEXT = 2000  # Notify allows 918 characters in a received text; some room
DELIVERY_STATUSES = ("delivered", "permanent-failure", "temporary-failure",
                     "technical-failure")
# Our texts say "Reply STOP" in every language; people also write these (STAD: Gaelic).
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "STAD"})
_UUID = re.compile(r"^[0-9a-fA-F-]{1,64}\Z")
TEXT_ACTOR = "resident:text"


class BadCallback(ValueError):
    """The callback is not one Notify would send; the reason names what was wrong."""


def token_ok(expected: str | None, authorization: str | None) -> bool:
    if not expected or not authorization:
        return False
    scheme, _, token = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(),
                                                              expected.encode())


def _object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadCallback("not JSON") from None
    if not isinstance(value, dict):
        raise BadCallback("not a JSON object")
    return value


def _string(value: dict[str, Any], key: str, pattern: re.Pattern[str] | None = None,
            optional: bool = False, max_length: int = 200) -> str | None:
    found = value.get(key)
    if found is None and optional:
        return None
    if not isinstance(found, str) or not found or len(found) > max_length or (
            pattern is not None and not pattern.match(found)):
        raise BadCallback(f"{key} is missing or not valid")
    return found


@dataclass(frozen=True)
class DeliveryReceipt:
    provider_id: str
    reference: str | None
    status: str


def parse_delivery(body: bytes) -> DeliveryReceipt:
    value = _object(body)
    provider_id = _string(value, "id", _UUID)
    reference = _string(value, "reference", optional=True)
    status = _string(value, "status")
    if status not in DELIVERY_STATUSES:
        raise BadCallback("status is not one Notify sends")
    assert provider_id is not None and status is not None
    return DeliveryReceipt(provider_id, reference, status)


def apply_delivery(db: sqlite_utils.Database, receipt: DeliveryReceipt) -> bool:
    """Record a receipt; False when no message of ours has that id (and reference)."""
    found = notify_outbox.by_provider_id(db, receipt.provider_id, receipt.reference)
    if not found.found:
        return False
    delivered = receipt.status == "delivered"
    update = found.template in TEMPLATES and TEMPLATES[found.template].update
    notify_outbox.mark_delivery(
        db, receipt.provider_id, delivered, None if delivered else receipt.status,
        # Only a permanent failure says the number itself does not work.
        unreachable=receipt.status == "permanent-failure" and update,
        task=CONTACT_FAILED if update and not delivered else None)
    return True


@dataclass(frozen=True)
class ReceivedText:
    provider_id: str
    phone: str  # E.164
    message: str


def parse_received_text(body: bytes) -> ReceivedText:
    value = _object(body)
    provider_id = _string(value, "id", _UUID)
    source = _string(value, "source_number", max_length=30)
    message = value.get("message")
    if not isinstance(message, str) or len(message) > MAX_TEXT:
        raise BadCallback("message is missing or too long")
    assert provider_id is not None and source is not None
    digits = source.strip()
    try:
        number = phonenumbers.parse(digits if digits.startswith("+") else f"+{digits}", None)
    except phonenumbers.NumberParseException:
        raise BadCallback("source_number is not a phone number") from None
    if not phonenumbers.is_possible_number(number):
        raise BadCallback("source_number is not a phone number")
    return ReceivedText(provider_id, phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164), clean_text(message, multiline=True))


def apply_received_text(db: sqlite_utils.Database, text: ReceivedText) -> str:
    """STOP stops texts to the number; other words go on the number's newest open
    request, as information from the resident. Returns what happened."""
    if received_texts.seen(db, text.provider_id):
        return "repeated"
    if text.message.upper().strip(" .!") in STOP_WORDS:
        update_choices.stop(db, "sms", text.phone, None, "stop_text")
        received_texts.record(db, text.provider_id, text.phone, None, "stop")
        return "stop"
    request_id = received_texts.open_request_for(db, text.phone, OPEN_STATUSES)
    if request_id is None or not text.message:
        received_texts.record(db, text.provider_id, text.phone, None, "unmatched")
        return "unmatched"
    add_event(db, request_id, "information_added", None, True, text.message, TEXT_ACTOR)
    received_texts.record(db, text.provider_id, text.phone, request_id, "information")
    return "information"
