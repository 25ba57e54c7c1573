"""Client tokens: signed, not stored. A token names its client and the client's token
version; revoking a client bumps the version, so every token it had stops working."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "tolbooth.sync.client-token"


@dataclass(frozen=True)
class TokenClaim:
    client_id: str
    version: int


def make_token(secret_key: str, client_id: str, version: int) -> str:
    return str(URLSafeSerializer(secret_key, salt=SALT).dumps({"c": client_id, "v": version}))


def read_token(secret_key: str, token: str) -> TokenClaim | None:
    try:
        data = URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str) \
            or not isinstance(data.get("v"), int):
        return None
    return TokenClaim(data["c"], data["v"])
