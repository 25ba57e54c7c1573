"""A software passkey authenticator for HTTP-level tests: makes real WebAuthn responses
(P-256, "none" attestation) that py_webauthn verifies, and can be told to lie (another
origin, a lower sign count) to prove the server refuses each lie."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support import csrf


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftPasskey:
    rp_id: str
    user_handle: bytes = b""
    credential_id: bytes = field(default_factory=lambda: os.urandom(16))
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    sign_count: int = 0

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def _cose(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})

    def _auth_data(self, flags: int, attested: bool) -> bytes:
        data = hashlib.sha256(self.rp_id.encode()).digest() + bytes([flags])
        data += struct.pack(">I", self.sign_count)
        if attested:
            data += bytes(16) + struct.pack(">H", len(self.credential_id))
            data += self.credential_id + self._cose()
        return data

    def create(self, options: dict[str, Any], origin: str) -> dict[str, Any]:
        self.user_handle = unb64url(options["user"]["id"])
        client_data = json.dumps({"type": "webauthn.create", "challenge": options["challenge"],
                                  "origin": origin, "crossOrigin": False}).encode()
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {},
                                   "authData": self._auth_data(0x45, attested=True)})
        return {"id": self.id, "rawId": self.id, "type": "public-key",
                "clientExtensionResults": {}, "authenticatorAttachment": "platform",
                "response": {"clientDataJSON": b64url(client_data),
                             "attestationObject": b64url(attestation),
                             "transports": ["internal"]}}

    def get(self, options: dict[str, Any], origin: str, count: int | None = None
            ) -> dict[str, Any]:
        self.sign_count = self.sign_count + 1 if count is None else count
        client_data = json.dumps({"type": "webauthn.get", "challenge": options["challenge"],
                                  "origin": origin, "crossOrigin": False}).encode()
        auth_data = self._auth_data(0x05, attested=False)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(),
                                  ec.ECDSA(hashes.SHA256()))
        return {"id": self.id, "rawId": self.id, "type": "public-key",
                "clientExtensionResults": {}, "authenticatorAttachment": "platform",
                "response": {"clientDataJSON": b64url(client_data),
                             "authenticatorData": b64url(auth_data),
                             "signature": b64url(signature),
                             "userHandle": b64url(self.user_handle)}}




class Browserless:
    """Drives the passkey endpoints the way passkeys.js does, over a TestClient."""

    def __init__(self, client: Any, origin: str) -> None:
        self.client = client
        self.origin = origin

    def token(self, path: str = "/sign-in") -> str:
        return csrf(self.client.get(path).text)

    def post_json(self, path: str, body: dict[str, Any], token: str) -> Any:
        return self.client.post(path, json=body, headers={
            "Origin": self.origin, "X-CSRF-Token": token, "Accept": "application/json"})

    def post_form(self, path: str, data: dict[str, str] | None = None,
                  page: str = "/account") -> Any:
        token = self.token(page)
        return self.client.post(path, data={"csrf_token": token, **(data or {})},
                                headers={"Origin": self.origin}, follow_redirects=False)

    def register(self, passkey: SoftPasskey, purpose: str, page: str, name: str = "",
                 origin: str | None = None) -> Any:
        token = self.token(page)
        options = self.post_json("/auth/passkeys/register/options", {"purpose": purpose},
                                 token)
        assert options.status_code == 200, options.text
        credential = passkey.create(options.json(), origin or self.origin)
        return self.post_json("/auth/passkeys/register/verify",
                              {"purpose": purpose, "name": name, "credential": credential},
                              token)

    def options(self) -> tuple[dict[str, Any], str]:
        token = self.token("/sign-in")
        response = self.post_json("/auth/passkeys/authenticate/options", {}, token)
        assert response.status_code == 200, response.text
        return response.json(), token

    def sign_in(self, passkey: SoftPasskey, origin: str | None = None,
                count: int | None = None) -> Any:
        options, token = self.options()
        credential = passkey.get(options, origin or self.origin, count)
        return self.post_json("/auth/passkeys/authenticate/verify",
                              {"credential": credential}, token)


# --- people and requests for access tests ----------------------------------------------

def staff_id(store: Any, email: str) -> str:
    from server.db.staff import everyone
    return next(s.id for s in store.read_sync(everyone) if s.email == email)


def sign_in_with_new_passkey(client: Any, store: Any, origin: str, kind: str,
                             person_id: str) -> SoftPasskey:
    """Give the person a passkey (straight into the database) and sign in with it."""
    from server.db import passkeys
    key = SoftPasskey(rp_id="localhost", user_handle=person_id.encode())
    store.write_sync(passkeys.add, key.id, kind, person_id, "test", key._cose(), 0, [])
    response = Browserless(client, origin).sign_in(key)
    assert response.status_code == 200, response.text
    return key


def resident(store: Any, email: str) -> str:
    from server.db.people import resident_for_email
    return str(store.write_sync(resident_for_email, email))


def make_request(store: Any, service: str, email: str | None, journey: str = "noise-complaint",
                 special: bool = False) -> str:
    import itertools
    import uuid

    from server.db import requests as requests_db
    new = requests_db.NewRequest(
        id=str(uuid.uuid4()), journey=journey, service=service, form_version=1,
        answers={"details": "Loud music"}, channel="web", special_category=special,
        contact_name="Test Person", contact_email=email, contact_phone=None, locale="en")
    counter = itertools.count()
    created = store.write_sync(requests_db.create_request, new,
                               lambda: f"MLC-{uuid.uuid4().hex[:4].upper()}-{next(counter)}")
    return created.request.id
