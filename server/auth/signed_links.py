"""Signed links and tokens: one helper, one salt per use, so a token made for one use
is worth nothing for another.

- Tracking links: anyone holding one can see a request's public timeline. Since issue 10
  a link is `<public_id>.<mac>`: a random id (no request id inside) and a MAC over it and
  the link's generation (db/tracking_links.py). Stopping the links bumps the generation;
  a closed request's links expire TRACKING_LINK_AFTER_CLOSE after it closed. Links made
  before (the signed request id) work until the request's links are first stopped.
- Sync client tokens: name a client and its token version; revoking a client bumps the
  version, so every token it had stops working. Signed, not stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from server.db.clock import age
from server.db.tracking_links import TrackingLink
from server.settings import Settings

TRACKING = "tolbooth.track.v1"  # links made before issue 10: the signed request id
TRACKING_V2 = "tolbooth.track.v2"
# Long enough to see the outcome and come back to it; not for ever.
TRACKING_LINK_AFTER_CLOSE = timedelta(days=90)
_TRACKING_TOKEN = re.compile(r"^([0-9a-f]{32})\.([a-z2-7]{26})\Z")
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


def _tracking_mac(settings: Settings, public_id: str, generation: int) -> str:
    digest = hmac.new(settings.secret_key.encode(),
                      f"{TRACKING_V2}\0{public_id}\0{generation}".encode(), hashlib.sha256)
    return base64.b32encode(digest.digest()).decode().lower()[:26]


def tracking_token(settings: Settings, link: TrackingLink) -> str:
    return f"{link.public_id}.{_tracking_mac(settings, link.public_id, link.generation)}"


def tracking_url(settings: Settings, link: TrackingLink) -> str:
    return f"{settings.origin}/track/{tracking_token(settings, link)}"


def tracking_public_id(token: str) -> str | None:
    """The public id a current-style token names (to look its link up), else None."""
    found = _TRACKING_TOKEN.match(token) if len(token) < 80 else None
    return found.group(1) if found else None


def legacy_request_id(settings: Settings, token: str) -> str | None:
    """The request a link made before issue 10 names."""
    value = unsign(settings.secret_key, TRACKING, token)
    return value if isinstance(value, str) else None


def tracking_link_works(settings: Settings, link: TrackingLink, token: str) -> bool:
    """This token is the link's current one (or, for a link never stopped, one made
    before issue 10), and the request has not been closed too long."""
    if link.closed_at is not None and age(link.closed_at) > TRACKING_LINK_AFTER_CLOSE:
        return False
    if tracking_public_id(token) is not None:
        return hmac.compare_digest(token, tracking_token(settings, link))
    return link.generation == 0 and legacy_request_id(settings, token) == link.request_id


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
