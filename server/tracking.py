"""Signed tracking links: anyone holding one can see a request's public timeline."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from .settings import Settings

SALT = "tolbooth.track.v1"


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt=SALT)


def tracking_token(settings: Settings, request_id: str) -> str:
    return _serializer(settings).dumps(request_id)


def tracking_url(settings: Settings, request_id: str) -> str:
    return f"{settings.origin}/track/{tracking_token(settings, request_id)}"


def request_id_from_token(settings: Settings, token: str) -> str | None:
    if len(token) > 200:
        return None
    try:
        value = _serializer(settings).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None
