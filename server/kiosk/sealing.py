"""Opening what a kiosk sealed (pwa/scripts/kiosk/sealing.js is the other side).

ECDH P-256 between the kiosk's one-off key (`epk`, the uncompressed point) and the
server's key `kid`; HKDF-SHA256 over the shared secret (salt: the epk's bytes, info:
INFO) gives an AES-256-GCM key; the additional data binds the key id, the kiosk's
client id and the item id (AD below), so a sealed item sent again under another id, or
by another kiosk, does not open. sync/PROTOCOL.md ("Sealed kiosk submissions").
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from server.kiosk.keys import KeyRefused, KeyRing, b64url, unb64url
from sync.canonical import canonical_json

INFO = b"tolbooth kiosk seal v1"
UNREADABLE = "unreadable"


class Unopenable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # unreadable, unknown_key or key_retired


def additional_data(kid: str, client_id: str, item_id: str) -> bytes:
    return canonical_json({"client_id": client_id, "id": item_id, "kid": kid})


def _aes_key(shared: bytes, epk: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=epk, info=INFO).derive(shared)


def seal(public: ec.EllipticCurvePublicKey, kid: str, client_id: str, item_id: str,
         payload: dict[str, Any]) -> dict[str, str]:
    """What the browser does, in Python: for the tests and the examples."""
    mine = ec.generate_private_key(ec.SECP256R1())
    epk = mine.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    iv = os.urandom(12)
    key = _aes_key(mine.exchange(ec.ECDH(), public), epk)
    sealed = AESGCM(key).encrypt(iv, canonical_json(payload),
                                 additional_data(kid, client_id, item_id))
    return {"kid": kid, "epk": b64url(epk), "iv": b64url(iv), "ciphertext": b64url(sealed)}


def open_sealed(ring: KeyRing, sealed: dict[str, str], client_id: str, item_id: str,
                now: datetime) -> dict[str, Any]:
    """The inner payload, or Unopenable with the reason."""
    try:
        private = ring.private_for(sealed["kid"], now)
    except KeyRefused as refused:
        raise Unopenable(refused.reason) from None
    try:
        epk = unb64url(sealed["epk"])
        iv = unb64url(sealed["iv"])
        if len(iv) != 12:
            raise ValueError("iv")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), epk)
        key = _aes_key(private.exchange(ec.ECDH(), public), epk)
        plain = AESGCM(key).decrypt(iv, unb64url(sealed["ciphertext"]),
                                    additional_data(sealed["kid"], client_id, item_id))
        inner = json.loads(plain.decode("utf-8"))
    except (InvalidTag, ValueError, UnicodeError):
        raise Unopenable(UNREADABLE) from None
    if not isinstance(inner, dict):
        raise Unopenable(UNREADABLE)
    return inner
