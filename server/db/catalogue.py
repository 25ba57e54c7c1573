"""Read-only lookups of the council's hubs and services."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from server.db import schema


@dataclass(frozen=True)
class Hub:
    id: str
    name: str
    address: str
    postcode: str
    phone: str
    opening_hours: str


@dataclass(frozen=True)
class Service:
    slug: str
    position: int
    email: str
    special_category: bool


def hubs(db: sqlite_utils.Database) -> list[Hub]:
    rows = db.execute(
        "SELECT id, name, address, postcode, phone, opening_hours FROM hubs ORDER BY name"
    ).fetchall()
    return [Hub(*row) for row in rows]


def services(db: sqlite_utils.Database) -> list[Service]:
    rows = db.execute(
        "SELECT slug, position, email, special_category FROM services ORDER BY position"
    ).fetchall()
    return [Service(r[0], r[1], r[2], bool(r[3])) for r in rows]


@dataclass(frozen=True)
class Health:
    reachable: bool
    migrations_current: bool
    schema_version: int


def health(db: sqlite_utils.Database) -> Health:
    db.execute("SELECT 1").fetchone()
    applied = schema.applied(db)
    return Health(True, schema.is_current(db), applied[-1] if applied else 0)


@dataclass(frozen=True)
class FrontDoor:
    services: list[Service]
    hubs: list[Hub]


def front_door(db: sqlite_utils.Database) -> FrontDoor:
    """What the home page lists, in one trip to the reader pool."""
    return FrontDoor(services(db), hubs(db))
