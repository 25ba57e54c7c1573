"""Pull cursors: opaque to the app, signed by the server, naming where a client is.

A cursor names the client it was made for, the feed position the client has every
change of its scope up to, the scope generation it was made in, and, while a restore
is under way, how far that has gone. It is signed (HMAC-SHA256 with a key derived from
the server's secret) so an app cannot move it or hand it to another device: a cursor
that is garbled, forged, or another client's is `bad_cursor`. Whether a good cursor is
stale (made before a scope change, or before the feed was compacted or rewound) is the
pull's to decide (sync/pull.py), and its answer is a `reset`, not an error.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from .canonical import canonical_json
from .messages import UUID, ProtocolError

FORMAT = 1
_PURPOSE = b"tolbooth sync pull cursor"  # so no other signed value can pass for a cursor
_TAG_BYTES = 16


@dataclass(frozen=True)
class Restore:
    """A restore under way: the current state of the cases it covers, sent in case id
    order. `since` None covers every case in scope; a number, the cases that came into
    the scope after that generation. `after` is the last case sent ('' before any)."""
    since: int | None
    after: str = ""


@dataclass(frozen=True)
class Cursor:
    client_id: str
    position: int  # every change of the scope up to here has been sent (or restored)
    generation: int  # the scope generation the client's copy matches
    restore: Restore | None = None


def bad_cursor() -> ProtocolError:
    return ProtocolError("bad_cursor", "cursor")


class Cursors:
    """Signs and reads cursors with a key the server passes in (its secret)."""

    def __init__(self, secret: str | bytes) -> None:
        raw = secret.encode("utf-8") if isinstance(secret, str) else secret
        if len(raw) < 16:
            raise ValueError("a cursor key needs at least 16 bytes")
        self._key = hmac.new(raw, _PURPOSE, hashlib.sha256).digest()

    def _tag(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:_TAG_BYTES]

    def sign(self, cursor: Cursor) -> str:
        restore = None if cursor.restore is None \
            else [cursor.restore.since, cursor.restore.after]
        body = canonical_json([FORMAT, cursor.client_id, cursor.position, cursor.generation,
                               restore])
        return f"{_encode(body)}.{_encode(self._tag(body))}"

    def read(self, text: str, client_id: str) -> Cursor:
        """The cursor `text` names, if this server made it for `client_id`."""
        body_text, _, tag_text = text.partition(".")
        try:
            body, tag = _decode(body_text), _decode(tag_text)
        except (binascii.Error, ValueError):
            raise bad_cursor() from None
        if not hmac.compare_digest(tag, self._tag(body)):
            raise bad_cursor()
        cursor = _fields(body)
        # Another device's cursor would hand over that device's scope: refused, and
        # the same way as a forged one, so it tells a prober nothing.
        if cursor.client_id != client_id:
            raise bad_cursor()
        return cursor


def _fields(body: bytes) -> Cursor:
    # Only this server signs cursors, so this never fails unless the key leaked or the
    # format changed; it is checked anyway rather than trusted.
    try:
        value: Any = json.loads(body)
        version, client_id, position, generation, restore = value
    except (ValueError, TypeError):
        raise bad_cursor() from None
    if version != FORMAT or not isinstance(client_id, str) or not UUID.match(client_id) \
            or not _count(position) or not _count(generation):
        raise bad_cursor()
    if restore is None:
        return Cursor(client_id, position, generation)
    if not isinstance(restore, list) or len(restore) != 2:
        raise bad_cursor()
    since, after = restore
    if not (since is None or _count(since)) or not isinstance(after, str) \
            or not (after == "" or UUID.match(after)):
        raise bad_cursor()
    return Cursor(client_id, position, generation, Restore(since, after))


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    if not text:
        raise ValueError("empty")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
