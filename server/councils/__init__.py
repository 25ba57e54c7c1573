"""A council's own data (a TOML file per council, named by TOLBOOTH_COUNCIL): its postcode
districts and neighbours, where its map opens, and what its main website does that this
service does not."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from server.i18n import lazy as _

DATA_DIR = Path(__file__).resolve().parent
FIND_YOUR_COUNCIL = "https://www.gov.uk/find-local-council"


@dataclass(frozen=True)
class Neighbour:
    name: str
    url: str
    districts: tuple[str, ...]


@dataclass(frozen=True)
class Elsewhere:
    title: str  # an English source string, translated where shown
    url: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Council:
    slug: str
    name: str
    map_centre: tuple[float, float]
    in_area: frozenset[str]
    shared: frozenset[str]
    neighbours: tuple[Neighbour, ...]
    elsewhere: tuple[Elsewhere, ...]

    def outside(self, postcode: str) -> Neighbour | None | bool:
        """False when the postcode is in (or may be in) the council's area; else the
        neighbouring council that has it, or None when we do not know whose it is."""
        district = postcode.split(" ")[0].upper()
        if district in self.in_area or district in self.shared:
            return False
        return next((n for n in self.neighbours if district in n.districts), None)


def available() -> list[str]:
    return sorted(p.stem for p in DATA_DIR.glob("*.toml"))


@cache
def load(slug: str) -> Council:
    path = DATA_DIR / f"{slug}.toml"
    if not path.is_file():
        raise ValueError(f"no council data {path.name}; there is {', '.join(available())}")
    data = tomllib.loads(path.read_text("utf-8"))
    postcodes = data["postcodes"]
    lat, lng = data["map_centre"]
    return Council(
        slug, data["name"], (float(lat), float(lng)), frozenset(postcodes["in_area"]),
        frozenset(postcodes.get("shared", [])),
        tuple(Neighbour(n["name"], n["url"], tuple(n["districts"]))
              for n in postcodes.get("neighbours", [])),
        tuple(Elsewhere(e["title"], e["url"], tuple(e["keywords"]))
              for e in data.get("elsewhere", [])))


# The titles in the data files, for the catalogues (extracted from here).
ELSEWHERE_TITLES = (_("Bins, recycling and missed collections"), _("Council Tax"),
                    _("Council housing repairs"), _("Roads, pavements and street lights"))
