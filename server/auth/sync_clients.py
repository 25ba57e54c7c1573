"""What every sync call goes through first: rate limits and the client token."""

from __future__ import annotations

from starlette.requests import Request

from server.auth.signed_links import read_sync_token
from server.db import sync_clients
from server.db.sync_clients import SyncClient
from server.errors import SyncRateLimited, SyncUnauthorized
from server.web import ratelimit
from sync.field_messages import CaseMutation, FieldPush
from sync.messages import Push


def limit_address(request: Request) -> None:
    ratelimit.check(request, "sync_address", ratelimit.client_address(request),
                    error=SyncRateLimited, code="rate_limited_address")


async def authenticate(request: Request) -> SyncClient:
    """The client whose token this is: 401 when missing, forged, stale or revoked.
    Also counts the call against the address's and the client's rate limits."""
    limit_address(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SyncUnauthorized("missing_token")
    claim = read_sync_token(request.app.state.settings.secret_key, token.strip())
    if claim is None:
        raise SyncUnauthorized("bad_token")
    client = await request.app.state.store.read(sync_clients.by_id, claim.client_id)
    if client is None or client.token_version != claim.version or client.revoked:
        raise SyncUnauthorized("revoked_token" if client else "bad_token")
    ratelimit.check(request, "sync_client", client.id, error=SyncRateLimited,
                    code="rate_limited_client")
    return client


def new_mutations(last: int, pushed: Push | FieldPush) -> int:
    """How many new requests the push would create now: the run after `last` (replays
    are not new; the batch stops at a gap). A field device's case work is not counted."""
    expected, fresh = last + 1, 0
    for mutation in pushed.mutations:
        if mutation.mutation_id == expected:
            expected += 1
            fresh += not isinstance(mutation, CaseMutation)
        elif mutation.mutation_id > expected:
            break
    return fresh


def limit_creates(request: Request, client_id: str, last: int,
                  pushed: Push | FieldPush) -> None:
    """New requests per client per hour (issue 10: one script pushed 100 in 0.04 s and
    buried the inbox). Counted before the write, all or none, so a push over the cap is
    refused whole (429 rate_limited_creates) and nothing in it is applied."""
    fresh = new_mutations(last, pushed)
    if fresh:
        ratelimit.check(request, "sync_creates", client_id, error=SyncRateLimited,
                        code="rate_limited_creates", cost=fresh)
