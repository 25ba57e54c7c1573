"""Is an address in the council's area? Checked by postcode district against the
council's own data (server/councils/); outside it, the person is told which council to
contact, and may still go on (addresses on a border)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from server.councils import FIND_YOUR_COUNCIL, Council
from server.forms.definition import Page


@dataclass(frozen=True)
class Outside:
    question_id: str
    postcode: str
    council: str | None  # the neighbour that has this district, when we know it
    url: str  # its website, or GOV.UK's find your local council


def outside_area(council: Council, page: Page, values: Mapping[str, Any],
                 posted: Mapping[str, list[str]]) -> list[Outside]:
    """Addresses on this page outside the council's area that the person has not yet
    said are right (they confirm by sending the page again: {question}-outside-ok)."""
    found = []
    for q in page.questions:
        value = values.get(q.id)
        if q.type != "address" or not isinstance(value, Mapping) or not value.get("postcode"):
            continue
        postcode = str(value["postcode"])
        neighbour = council.outside(postcode)
        if neighbour is False or postcode in posted.get(f"{q.id}-outside-ok", []):
            continue
        found.append(Outside(q.id, postcode, neighbour.name if neighbour else None,
                             neighbour.url if neighbour else FIND_YOUR_COUNCIL))
    return found
