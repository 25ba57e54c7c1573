"""Signed links and tokens: one helper, one salt per use, so a token made for one use
is worth nothing for another.

- Tracking links: anyone holding one can see a request's public timeline.
- Sync client tokens: name a client and its token version; revoking a client bumps the
  version, so every token it had stops working. Signed, not stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from server.settings import Settings

TRACKING = "tolbooth.track.v1"
SYNC_CLIENT = "tolbooth.sync.client-token"
MAX_TOKEN_LENGTH = 400


def sign(secret_key: str, salt: str, value: Any) -> str:
    return str(URLSafeSerializer(secret_key, salt=salt).dumps(value))


def unsign(secret_key: str, salt: str, token: str) -> Any | None:
    """The signed value, or None when the token is too long, forged or for another use."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        return URLSafeSerializer(secret_key, salt=salt).loads(token)
    except BadSignature:
        return None


def tracking_token(settings: Settings, request_id: str) -> str:
    return sign(settings.secret_key, TRACKING, request_id)


def tracking_url(settings: Settings, request_id: str) -> str:
    return f"{settings.origin}/track/{tracking_token(settings, request_id)}"


def request_id_from_token(settings: Settings, token: str) -> str | None:
    value = unsign(settings.secret_key, TRACKING, token)
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class TokenClaim:
    client_id: str
    version: int


def make_sync_token(secret_key: str, client_id: str, version: int) -> str:
    return sign(secret_key, SYNC_CLIENT, {"c": client_id, "v": version})


def read_sync_token(secret_key: str, token: str) -> TokenClaim | None:
    data = unsign(secret_key, SYNC_CLIENT, token)
    if not isinstance(data, dict) or not isinstance(data.get("c"), str) \
            or not isinstance(data.get("v"), int):
        return None
    return TokenClaim(data["c"], data["v"])
