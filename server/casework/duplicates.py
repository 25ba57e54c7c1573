"""Possible duplicates: on arrival, a request of the same service within 50 m of
another (when both have a location) or at the same address (normalised), made within
14 days, is linked to it. An officer merges the two (the newer is closed as a
duplicate, and each resident is told) or dismisses the link; each is on both timelines."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import sqlite_utils

from server import i18n
from server.casework import actions
from server.casework.status import OPEN_STATUSES, WITHDRAWN_STATUS
from server.db import audit
from server.db import duplicates as duplicates_db
from server.db.clock import iso, parse_iso
from server.db.duplicates import Link
from server.db.requests import StoredRequest, add_event, by_id
from server.i18n import lazy as _
from server.notify.notices import Notices

WITHIN = timedelta(days=14)
NEAR_METRES = 50.0
# Links made for one new request, the most recent first: twenty reports of one burst
# pipe would otherwise link each to every other (and write two events per link).
MAX_LINKS = 3
LINKED = "duplicate_linked"
MERGED = "duplicate_merged"
DISMISSED = "duplicate_dismissed"
REASONS = {"distance": _("Within 50 metres"), "address": _("The same address")}
# What each resident is told, in their own language.
CLOSED_AS_DUPLICATE = _("This is about the same thing as request %(reference)s, which we "
                        "are dealing with, so we have closed this one.")
JOINED = _("Another report about the same thing has been joined to your request. We are "
           "dealing with them together.")


def _places(answers: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for value in answers.values():
        if isinstance(value, dict):
            yield value


def locations(answers: dict[str, Any]) -> list[tuple[float, float]]:
    return [(float(v["lat"]), float(v["lng"])) for v in _places(answers)
            if isinstance(v.get("lat"), int | float) and isinstance(v.get("lng"), int | float)]


def addresses(answers: dict[str, Any]) -> set[str]:
    """Each address answer as one key: its first line and postcode, lower case, with no
    punctuation or extra spaces ("12 High St." and "12  high st" are the same)."""
    found = set()
    for v in _places(answers):
        if "line1" not in v:
            continue
        line = re.sub(r"[^\w ]+", " ", str(v.get("line1") or "").casefold())
        postcode = re.sub(r"\W+", "", str(v.get("postcode") or "").casefold())
        line = " ".join(line.split())
        if line and postcode:
            found.add(f"{line}|{postcode}")
    return found


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance on a 6371 km sphere: plenty for 50 m."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2)
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def why_same(new: dict[str, Any], old: dict[str, Any]) -> str | None:
    here, there = locations(new), locations(old)
    if any(metres(a, b) <= NEAR_METRES for a in here for b in there):
        return "distance"
    if addresses(new) & addresses(old):
        return "address"
    return None


def link_possible_duplicates(db: sqlite_utils.Database, found: StoredRequest) -> list[str]:
    """Links made for a request that has just arrived (the ids of the others)."""
    if not locations(found.answers) and not addresses(found.answers):
        return []
    since = iso(parse_iso(found.created_at) - WITHIN)
    linked = []
    for other in duplicates_db.candidates(db, found.id, found.service, since,
                                          duplicates_db.area_of(db, found.id),
                                          bool(locations(found.answers))):
        if len(linked) >= MAX_LINKS:
            break
        reason = why_same(found.answers, other.answers)
        if reason and duplicates_db.add_link(db, found.id, other.id, reason):
            for one, two in ((found.id, other.reference), (other.id, found.reference)):
                add_event(db, one, LINKED, None, False, two, "system")
            linked.append(other.id)
    return linked


def links_view(db: sqlite_utils.Database, request_id: str) -> list[Link]:
    return duplicates_db.links_of(db, request_id)


def merge(db: sqlite_utils.Database, link_id: int, actor: str, notices: Notices) -> bool:
    """The newer closed with outcome duplicate, its resident told it is the same as the
    older; the older's resident told another report was joined. False when the link is
    gone or already decided."""
    link = duplicates_db.link_by_id(db, link_id)
    if link is None or not duplicates_db.decide(db, link_id, "merged", actor):
        return False
    newer, older = by_id(db, link.request_id), by_id(db, link.other_id)
    assert newer is not None and older is not None
    if newer.status in OPEN_STATUSES:
        told = i18n.Gettext(newer.locale).gettext(CLOSED_AS_DUPLICATE,
                                                  reference=older.reference)
        actions.change_status(db, newer.id, WITHDRAWN_STATUS, told, actor, notices,
                              outcome="duplicate")
    add_event(db, older.id, MERGED, None, False, newer.reference, actor)
    event_id = add_event(db, older.id, "message", None, True,
                         i18n.Gettext(older.locale).gettext(JOINED), actor)
    notices.request_event(db, older, event_id, "message", older.status)
    audit.record(db, actor, "duplicate_merged", f"request:{newer.id}", {"into": older.id})
    return True


def dismiss(db: sqlite_utils.Database, link_id: int, actor: str) -> bool:
    link = duplicates_db.link_by_id(db, link_id)
    if link is None or not duplicates_db.decide(db, link_id, "dismissed", actor):
        return False
    add_event(db, link.request_id, DISMISSED, None, False, link.other_reference, actor)
    newer = by_id(db, link.request_id)
    assert newer is not None
    add_event(db, link.other_id, DISMISSED, None, False, newer.reference, actor)
    audit.record(db, actor, "duplicate_dismissed", f"request:{link.request_id}",
                 {"other": link.other_id})
    return True
