"""What every sync call goes through first: rate limits, the client token, and reading a
body no larger than allowed."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import ClientDisconnect, Request

from .db import sync_clients
from .db.sync_clients import SyncClient
from .ratelimit import RateLimiter, client_address
from .settings import Settings
from .sync_errors import SyncRateLimited, SyncRefused, SyncTooLarge, SyncUnauthorized
from .sync_tokens import read_token


@dataclass(frozen=True)
class SyncLimits:
    per_client: RateLimiter
    per_address: RateLimiter


def limits(request: Request) -> SyncLimits:
    """One pair of limiters per app, made on first use from its settings."""
    state = request.app.state
    found = getattr(state, "sync_limits", None)
    if found is None:
        settings: Settings = state.settings
        found = SyncLimits(RateLimiter(settings.sync_rate_per_client, 60),
                           RateLimiter(settings.sync_rate_per_address, 60))
        state.sync_limits = found
    return found


def _check(limiter: RateLimiter, key: str, reason: str) -> None:
    wait = limiter.check(key)
    if wait:
        raise SyncRateLimited(code=reason, headers={"Retry-After": str(wait)})


def limit_address(request: Request) -> None:
    _check(limits(request).per_address, client_address(request.client), "rate_limited_address")


async def authenticate(request: Request) -> SyncClient:
    """The client whose token this is: 401 when missing, forged, stale or revoked.
    Also counts the call against the address's and the client's rate limits."""
    limit_address(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SyncUnauthorized("missing_token")
    claim = read_token(request.app.state.settings.secret_key, token.strip())
    if claim is None:
        raise SyncUnauthorized("bad_token")
    client = await request.app.state.store.read(sync_clients.by_id, claim.client_id)
    if client is None or client.token_version != claim.version or client.revoked:
        raise SyncUnauthorized("revoked_token" if client else "bad_token")
    _check(limits(request).per_client, client.id, "rate_limited_client")
    return client


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing it (413) as soon as it is larger than `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise SyncRefused(code="bad_content_length")
        if int(declared) > limit:
            raise SyncTooLarge(code="body_too_large")
    body, dropped = await read_capped(request, limit, "body_too_large")
    if dropped:
        raise SyncRefused(code="client_disconnected")
    return body


async def read_capped(request: Request, limit: int, code: str) -> tuple[bytes, bool]:
    """What arrives, refused with 413 `code` once past `limit`; and whether the
    connection dropped before the end (a push is then refused, a tus PATCH keeps it)."""
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise SyncTooLarge(code=code)
            chunks.append(chunk)
    except ClientDisconnect:
        return b"".join(chunks), True
    return b"".join(chunks), False
