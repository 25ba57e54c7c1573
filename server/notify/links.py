"""Every link a message carries, made in one place.

- The request's page: the tracking link (server/auth/signed_links.py makes it; this is
  the only call, so a change to how tracking links are made needs no change here).
- Short links for texts, `/r/<code>` (to the request's page) and `/survey/<code>`: a
  full tracking link is about 110 characters, most of a 160-character text. The code is
  the reference without its dashes and 12 characters (60 bits) of an HMAC of the
  request's id, so it cannot be guessed from the reference.
- Stop links in emails (`List-Unsubscribe` too): signed request id and channel.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from server.auth import signed_links
from server.db.tracking_links import TrackingLink
from server.settings import Settings

SHORT_TRACKING = "tolbooth.notify.track.v1"
SURVEY = "tolbooth.notify.survey.v1"
STOP = "tolbooth.notify.stop.v1"
MAC_LENGTH = 12
_CODE = re.compile(r"^([A-Z]{2,4})([2-9A-Z]{8})([A-Z2-7]{12})\Z")


def request_page(settings: Settings, link: TrackingLink) -> str:
    """Where a resident sees their request, adds information and replies."""
    return signed_links.tracking_url(settings, link)


def short_subject(link: TrackingLink) -> str:
    """What a short link's MAC covers: stopping the tracking links (a new generation)
    stops the short links too. Generation 0 is the bare id, as short links were made
    before links could be stopped."""
    return link.request_id if link.generation == 0 else f"{link.request_id}:{link.generation}"


def _mac(settings: Settings, salt: str, request_id: str) -> str:
    digest = hmac.new(settings.secret_key.encode(), f"{salt}\0{request_id}".encode(),
                      hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:MAC_LENGTH]


def _code(settings: Settings, salt: str, reference: str, request_id: str) -> str:
    return reference.replace("-", "") + _mac(settings, salt, request_id)


def short_request_link(settings: Settings, reference: str, link: TrackingLink) -> str:
    return f"{settings.origin}/r/{_code(settings, SHORT_TRACKING, reference, short_subject(link))}"


def survey_link(settings: Settings, reference: str, request_id: str) -> str:
    return f"{settings.origin}/survey/{_code(settings, SURVEY, reference, request_id)}"


def survey_code(settings: Settings, reference: str, request_id: str) -> str:
    return _code(settings, SURVEY, reference, request_id)


@dataclass(frozen=True)
class ShortCode:
    reference: str
    mac: str

    def matches(self, settings: Settings, salt: str, request_id: str) -> bool:
        return hmac.compare_digest(self.mac, _mac(settings, salt, request_id))


def read_code(code: str) -> ShortCode | None:
    """The reference a code names (to look the request up) and its MAC (to check)."""
    found = _CODE.match(code.strip().upper()) if len(code) <= 40 else None
    if found is None:
        return None
    prefix, body, mac = found.groups()
    return ShortCode(f"{prefix}-{body[:4]}-{body[4:]}", mac)


def stop_link(settings: Settings, request_id: str, channel: str) -> str:
    token = signed_links.sign(settings.secret_key, STOP, [request_id, channel])
    return f"{settings.origin}/updates/stop/{token}"


def read_stop_token(settings: Settings, token: str) -> tuple[str, str] | None:
    value = signed_links.unsign(settings.secret_key, STOP, token)
    if (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
            and value[1] in ("email", "sms")):
        return value[0], value[1]
    return None
