"""Canonical JSON: the bytes both ends hash, so the same data always has the same hash.

Keys sorted at every depth, no whitespace, UTF-8 as is (no \\u escapes). The JavaScript
client makes the same bytes with a stringify that sorts keys recursively.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# What json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
# uses, made once: json.dumps builds a new encoder on every call with options.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def payload_sha256(payload: Any) -> str:
    """Lowercase hex SHA-256 of the payload's canonical JSON."""
    return hashlib.sha256(canonical_json(payload)).hexdigest()
