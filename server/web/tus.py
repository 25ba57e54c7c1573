"""The tus 1.0 headers the upload endpoints read and write (https://tus.io/protocols/
resumable-upload): metadata, checksums, lengths and expiry dates. No storage here."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable
from datetime import timedelta
from email.utils import format_datetime

from starlette.requests import Request

from server.db.clock import iso_in, parse_iso
from server.errors import SyncRefused, SyncTooLarge, TusVersionRequired

TUS_VERSION = "1.0.0"
TUS_HEADERS = {"Tus-Resumable": TUS_VERSION}
EXTENSIONS = "creation,checksum,expiration"
CHECKSUMS: dict[str, Callable[[bytes], bytes]] = {
    "sha1": lambda data: hashlib.sha1(data).digest(),
    "sha256": lambda data: hashlib.sha256(data).digest(),
}
OFFSET_STREAM = "application/offset+octet-stream"


def require_tus(request: Request) -> None:
    if request.headers.get("tus-resumable") != TUS_VERSION:
        raise TusVersionRequired(headers={"Tus-Version": TUS_VERSION})


def whole_number(value: str | None, reason: str) -> int:
    if value is None or not value.isdigit() or len(value) > 15:
        raise SyncRefused(code=reason)
    return int(value)


def upload_length(request: Request, largest: int) -> int:
    length = whole_number(request.headers.get("upload-length"), "bad_upload_length")
    if length > largest:
        raise SyncTooLarge(code="upload_too_large")
    return length


def metadata(header: str) -> dict[str, str]:
    """`key base64,key base64`: values decoded as UTF-8; a key may come without a value."""
    found: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _, encoded = pair.partition(" ")
        try:
            found[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise SyncRefused(code="bad_upload_metadata") from None
    return found


def checksum(header: str | None) -> tuple[str, bytes] | None:
    """`Upload-Checksum: <algorithm> <base64 digest>`, or None when not sent."""
    if header is None:
        return None
    algorithm, _, encoded = header.strip().partition(" ")
    if algorithm not in CHECKSUMS:
        raise SyncRefused(code="checksum_algorithm")
    try:
        return algorithm, base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raise SyncRefused(code="bad_checksum") from None


def checksum_matches(expected: tuple[str, bytes], data: bytes) -> bool:
    algorithm, digest = expected
    return hmac.compare_digest(CHECKSUMS[algorithm](data), digest)


def expiry(lifetime: timedelta) -> tuple[str, str]:
    """When an upload made or moved on now expires: (stored ISO time, HTTP date)."""
    stored = iso_in(lifetime)
    return stored, http_date(stored)


def http_date(iso: str) -> str:
    return format_datetime(parse_iso(iso), usegmt=True)
