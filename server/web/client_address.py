"""Who is asking: the socket's peer, or behind a trusted proxy, the address it names.

An https origin needs a TLS proxy in front, and then every request comes from the
proxy's address: rate limits keyed on it were one limit for the whole council (issue
10). `X-Forwarded-For` is believed only when the socket's peer is one of
TOLBOOTH_TRUSTED_PROXIES, and then only up to the rightmost hop that is not itself a
trusted proxy (anything left of that was written by the client and proves nothing).
This sets `scope["client"]`, so every rate limit and the access log see the same address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address: object, trusted: Sequence[Network]) -> bool:
    return isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address) and any(
        address.version == net.version and address in net for net in trusted)


def client_address(peer: str | None, forwarded_for: list[str],
                   trusted: Sequence[Network]) -> str | None:
    """The client's address for a request from `peer` carrying these X-Forwarded-For
    headers."""
    if peer is None or not trusted or not _trusted(_address(peer), trusted):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    client = peer
    for hop in reversed([h for h in hops if h]):
        address = _address(hop)
        if address is None:
            break  # garbage: the last good hop is as far as anything can be believed
        client = str(address)
        if not _trusted(address, trusted):
            break
    return client


class ClientAddressMiddleware:
    def __init__(self, app: ASGIApp, trusted: Sequence[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted and scope.get("client"):
            peer, port = scope["client"]
            forwarded = [v.decode("latin-1") for k, v in scope["headers"]
                         if k == b"x-forwarded-for"]
            address = client_address(peer, forwarded, self.trusted)
            if address != peer:
                scope["client"] = (address, 0)
        await self.app(scope, receive, send)
