"""The server's key pairs for kiosk sealing (issue 13): ECDH P-256, each with a key id.

Kept in DATA_DIR/kiosk_keys.json (mode 600), made on first start. `tolbooth
rotate-kiosk-key` makes a new current key; the ones before it are retired but keep
their private half for TOLBOOTH_KIOSK_KEY_GRACE_DAYS, so an item a kiosk sealed before
the rotation, and still holds offline, opens when it arrives. After that the private half
is dropped (the key id stays, so such an item is refused as `key_retired`, not as a key
never heard of).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.db.clock import iso, now_iso, parse_iso

FILE_NAME = "kiosk_keys.json"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KioskKey:
    kid: str
    created_at: str
    retired_at: str | None
    private: ec.EllipticCurvePrivateKey | None  # None once its grace time is over

    def public_jwk(self) -> dict[str, str]:
        assert self.private is not None
        numbers = self.private.public_key().public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")),
                "y": b64url(numbers.y.to_bytes(32, "big"))}


class KeyRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # unknown_key or key_retired


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[KioskKey, ...]  # oldest first; the last is current
    grace: timedelta

    @property
    def current(self) -> KioskKey:
        return self.keys[-1]

    def published(self) -> dict[str, Any]:
        return {"kid": self.current.kid, "alg": "ECDH-ES+HKDF-SHA256+A256GCM",
                "jwk": self.current.public_jwk()}

    def private_for(self, kid: str, now: datetime) -> ec.EllipticCurvePrivateKey:
        found = next((k for k in self.keys if k.kid == kid), None)
        if found is None:
            raise KeyRefused("unknown_key")
        if found.private is None or (
                found.retired_at is not None and parse_iso(found.retired_at) + self.grace < now):
            raise KeyRefused("key_retired")
        return found.private


def _new_key(now: str) -> KioskKey:
    kid = f"k{now[:10].replace('-', '')}-{secrets.token_hex(4)}"
    return KioskKey(kid, now, None, ec.generate_private_key(ec.SECP256R1()))


def _encode(key: KioskKey) -> dict[str, Any]:
    private = None
    if key.private is not None:
        private = b64url(key.private.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    return {"kid": key.kid, "created_at": key.created_at, "retired_at": key.retired_at,
            "private_pkcs8": private}


def _decode(row: dict[str, Any]) -> KioskKey:
    private = None
    if row.get("private_pkcs8"):
        loaded = serialization.load_der_private_key(unb64url(row["private_pkcs8"]), None)
        assert isinstance(loaded, ec.EllipticCurvePrivateKey)
        private = loaded
    return KioskKey(row["kid"], row["created_at"], row.get("retired_at"), private)


def _write(path: Path, keys: tuple[KioskKey, ...]) -> None:
    """Written whole to a new file (mode 600 from the start) and moved into place, so a
    crash leaves the old ring or the new one, never half of one."""
    spare = path.with_suffix(".tmp")
    fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"keys": [_encode(k) for k in keys]}, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(spare, path)


def load_ring(data_dir: Path, grace_days: int) -> KeyRing:
    """The ring, made (with one key) when there is none yet."""
    path = data_dir / FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        _write(path, (_new_key(now_iso()),))
    rows = json.loads(path.read_text())["keys"]
    return KeyRing(tuple(_decode(r) for r in rows), timedelta(days=grace_days))


def rotate(data_dir: Path, grace_days: int, now: datetime) -> KioskKey:
    """A new current key. The one before is retired now; private halves retired longer
    than the grace time are dropped."""
    ring = load_ring(data_dir, grace_days)
    at = iso(now)
    kept = []
    for key in ring.keys:
        retired_at = key.retired_at or at
        over = parse_iso(retired_at) + ring.grace < now
        kept.append(KioskKey(key.kid, key.created_at, retired_at,
                             None if over else key.private))
    fresh = _new_key(at)
    _write(data_dir / FILE_NAME, (*kept, fresh))
    return fresh


class RingFile:
    """The ring as the running server sees it: read again when the file changes, so a
    rotation by the CLI reaches a running server without a restart."""

    def __init__(self, data_dir: Path, grace_days: int) -> None:
        self.data_dir, self.grace_days = data_dir, grace_days
        self._ring = load_ring(data_dir, grace_days)
        self._stamp = self._mtime()

    def _mtime(self) -> int:
        return (self.data_dir / FILE_NAME).stat().st_mtime_ns

    def ring(self) -> KeyRing:
        stamp = self._mtime()
        if stamp != self._stamp:
            self._ring, self._stamp = load_ring(self.data_dir, self.grace_days), stamp
        return self._ring
