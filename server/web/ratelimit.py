"""Rate limits: sliding windows per key (a client address, a reference, an account, a
recipient), in memory, one set per app on `app.state.rate_limits`.

One process serves a council (see DESIGN.md), so memory is the right place; a restart
forgets the counts, which errs on the side of letting people in.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections import deque
from dataclasses import dataclass

import phonenumbers
from starlette.requests import Request

from server.errors import TooManyRequests
from server.settings import Settings


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str, now: float | None = None, cost: int = 1) -> int:
        """Record `cost` hits, all or none. Returns 0 if allowed, else the seconds to
        wait (the whole window when `cost` is over the limit: it never fits)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            over = len(hits) + cost - self.limit
            if cost > self.limit:
                return max(1, math.ceil(self.window))
            if over > 0:
                return max(1, math.ceil(hits[over - 1] + self.window - now))
            hits.extend([now] * cost)
            if len(self._hits) > self.max_keys:
                self._forget_idle(now)
            return 0

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
            del self._hits[key]


@dataclass(frozen=True)
class Limit:
    count: int
    window_seconds: float


def limits_for(settings: Settings) -> dict[str, Limit]:
    """Every limit the service applies, by name: the one list to read or tune."""
    return {
        # Guessing the email or phone for a reference is the attack: a few tries per
        # reference from one address is plenty for a person. Keyed on the reference alone,
        # ten wrong guesses locked its owner out (issue 10): that ceiling is generous.
        # Per address the ceiling is wider, because a library hub's kiosks share one.
        "track_reference_address": Limit(10, 600),
        "track_reference": Limit(50, 3600),
        "track_address": Limit(100, 600),
        # What sends an email or a text is limited mainly per recipient (recipient_key),
        # so it is not a way to flood someone; per client address the ceiling is looser,
        # since behind a council's proxy or a library's network many people share one.
        "sign_in_recipient": Limit(3, 600),
        "sign_in_address": Limit(30, 600),
        "phone_link_account": Limit(3, 3600),
        "phone_link_number": Limit(3, 3600),
        "continue_link_address": Limit(30, 3600),
        "continue_link_destination": Limit(3, 3600),
        "feedback_address": Limit(30, 3600),
        # Kiosks (issue 13): "Ask for help" alerts a hub's staff, so a kiosk cannot flood
        # them; assisted-session codes are six characters, so guesses are few per member
        # of staff and per hub (a code is good for 15 minutes).
        "kiosk_help": Limit(10, 600),
        "kiosk_code_new": Limit(20, 900),
        "assist_code_staff": Limit(10, 900),
        "assist_code_hub": Limit(30, 900),
        # A receipt emailed or texted from a kiosk: per recipient, and per kiosk.
        "receipt_recipient": Limit(3, 3600),
        "receipt_kiosk": Limit(30, 3600),
        "sync_client": Limit(settings.sync_rate_per_client, 60),
        "sync_address": Limit(settings.sync_rate_per_address, 60),
        # A script that signs up a client per push and floods the staff inbox (issue 10):
        # sign-ups per address, and new requests per client, per hour.
        "sync_register_address": Limit(settings.sync_registrations_per_address_hour, 3600),
        "sync_creates": Limit(settings.sync_creates_per_client_hour, 3600),
    }


class RateLimits:
    def __init__(self, settings: Settings) -> None:
        self._limiters = {name: RateLimiter(limit.count, limit.window_seconds)
                          for name, limit in limits_for(settings).items()}

    def wait(self, name: str, key: str, cost: int = 1) -> int:
        """Record `cost` hits on limit `name` for `key`: 0 if allowed, else seconds to
        wait."""
        return self._limiters[name].check(key, cost=cost)


def check(request: Request, name: str, *keys: str,
          error: type[TooManyRequests] = TooManyRequests, code: str | None = None,
          cost: int = 1) -> None:
    """Count `cost` hits against limit `name` for each key; refuse with `error` (and
    Retry-After) as soon as one of them is over."""
    limits: RateLimits = request.app.state.rate_limits
    for key in keys:
        wait = limits.wait(name, key, cost)
        if wait:
            raise error(code=code, headers={"Retry-After": str(wait)})


def client_address(request: Request) -> str:
    """The client's address: behind a trusted proxy, the one it names
    (web/client_address.py)."""
    return request.client.host if request.client else "unknown"


def recipient_key(request: Request, address: str) -> str:
    """An email address or phone number as a limit's key: one key however it was written
    (`07911 123456`, `+447911123456`), keyed-hashed so the counts in memory hold no one's
    address."""
    normal = address.strip().lower()
    if "@" not in normal:
        try:
            number = phonenumbers.parse(normal, "GB")
            normal = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            pass
    secret = request.app.state.settings.secret_key.encode()
    return hmac.new(secret, normal.encode(), hashlib.sha256).hexdigest()[:32]
