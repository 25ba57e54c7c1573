"""A kiosk sealing and pushing as the browser does (pwa/scripts/kiosk/sealing.js), in
Python: for the tests of the encrypted outbox (issue 13)."""

from __future__ import annotations

import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from server.auth.signed_links import make_sync_token
from server.db import sync_clients
from server.kiosk.keys import unb64url
from server.kiosk.sealing import seal
from sync.canonical import payload_sha256


def public_key(published: dict[str, Any]) -> ec.EllipticCurvePublicKey:
    jwk = published["jwk"]
    x, y = (int.from_bytes(unb64url(jwk[k]), "big") for k in ("x", "y"))
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()


class Kiosk:
    """A kiosk sync client made in the database (enrolment is tested elsewhere), sealing
    to the key the server publishes."""

    def __init__(self, http: Any, store: Any, settings: Any) -> None:
        self.http = http
        client = store.write_sync(sync_clients.register, "kiosk", "test", None)
        self.client_id = client.id
        token = make_sync_token(settings.secret_key, client.id, client.token_version)
        self.auth = {"Authorization": f"Bearer {token}"}

    def key(self) -> dict[str, Any]:
        answer = self.http.get("/kiosk/seal-key.json")
        assert answer.status_code == 200
        published: dict[str, Any] = answer.json()
        return published

    def sealed(self, mutation_id: int, inner: dict[str, Any], item_id: str | None = None,
               key: dict[str, Any] | None = None, form_version: int = 1) -> dict[str, Any]:
        key = key or self.key()
        item_id = item_id or str(uuid.uuid4())
        body = seal(public_key(key), key["kid"], self.client_id, item_id, inner)
        return {"mutation_id": mutation_id, "id": item_id, "op": "create",
                "entity": "sealed_request", "base_version": None,
                "form_version": form_version, "payload": body,
                "payload_sha256": payload_sha256(body), "attachments": []}

    def push(self, *mutations: dict[str, Any]) -> Any:
        return self.http.post("/sync/v1/push", headers=self.auth, json={
            "protocol": 1, "client_id": self.client_id, "app_version": "test",
            "mutations": list(mutations)})

    def results(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        answer = self.push(*mutations)
        assert answer.status_code == 200, answer.text
        found: list[dict[str, Any]] = answer.json()["results"]
        return found
