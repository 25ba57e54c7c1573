"""The council's data (library hubs, the three services) and the demo staff.

`seed_council` runs on every start; `seed` adds the demo staff, an admin among them, and
runs only when asked for (TOLBOOTH_DEMO=1, `tolbooth seed --demo`, `make run`, the tests):
a production database never gets accounts whose names anyone can read here.
Seeding is idempotent: running it twice leaves the same rows. The hubs are real
Midlothian library towns; addresses and hours are demo values, not the council's.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from server.db import reply_templates
from server.db import rules as rules_db
from server.db.staff import upsert_staff

# Data, not code: the templated replies officers start from (server/casework/replies.py).
REPLY_TEMPLATES = Path(__file__).resolve().parent.parent / "casework" / "reply_templates.json"
# And the automation rules a council starts with (server/casework/rules.py).
RULES = Path(__file__).resolve().parent.parent / "casework" / "rules.json"

HUBS = (
    ("dalkeith", "Dalkeith Library", "2 White Hart Street, Dalkeith", "EH22 1AE",
     "0131 663 2083", "Mon–Fri 9:30–19:00, Sat 9:30–13:00"),
    ("penicuik", "Penicuik Library", "Penicuik Town Hall, 4 Bellman's Road, Penicuik",
     "EH26 0AB", "01968 664 050", "Mon–Fri 9:30–19:00, Sat 9:30–13:00"),
    ("bonnyrigg", "Bonnyrigg Library", "Polton Street, Bonnyrigg", "EH19 3HB",
     "0131 663 6762", "Mon–Fri 9:30–19:00, Sat 9:30–13:00"),
    ("loanhead", "Loanhead Library", "Loanhead Centre, George Avenue, Loanhead", "EH20 9LA",
     "0131 440 0824", "Mon–Fri 9:30–17:00"),
    ("gorebridge", "Gorebridge Library", "Gorebridge Leisure Centre, Hunterfield Road",
     "EH23 4TT", "01875 820 630", "Mon–Fri 9:30–17:00"),
    ("newtongrange", "Newtongrange Library", "St David's, Newtongrange", "EH22 4LG",
     "0131 663 1816", "Mon–Fri 9:30–17:00, Sat 9:30–13:00"),
)

# slug, position, email, special category (social work records are)
SERVICES = (
    ("planning", 1, "planning@midlothian.gov.uk", 0),
    ("environmental-health", 2, "envhealth@midlothian.gov.uk", 0),
    ("social-work", 3, "socialwork@midlothian.gov.uk", 1),
)

# Role names as auth/roles.py spells them (the db layer imports nothing above it).
STAFF = (
    ("hub.staff@midlothian.example", "Morag Hub", "hub_staff", "dalkeith"),
    ("planning.officer@midlothian.example", "Iain Planner", "planning_officer", None),
    ("eh.officer@midlothian.example", "Ailsa Health", "environmental_health_officer", None),
    ("sw.officer@midlothian.example", "Fiona Social", "social_work_officer", None),
    ("field.worker@midlothian.example", "Callum Field", "field_worker", None),
    ("admin@midlothian.example", "Kirsty Admin", "admin", None),
    ("planning.manager@midlothian.example", "Graham Planning", "planning_manager", None),
    ("eh.manager@midlothian.example", "Shona Health", "environmental_health_manager", None),
    ("sw.manager@midlothian.example", "Euan Social", "social_work_manager", None),
)

# Teams of each service (issue 12): id, service, name (casework/teams.py translates it).
TEAMS = (
    ("planning-enforcement", "planning", "Planning enforcement"),
    ("development-management", "planning", "Development management"),
    ("food-safety", "environmental-health", "Food safety"),
    ("pest-control-north", "environmental-health", "Pest control (north)"),
    ("pest-control-south", "environmental-health", "Pest control (south)"),
    ("noise", "environmental-health", "Noise"),
    ("adult-duty", "social-work", "Adult duty team"),
    ("children-duty", "social-work", "Children's duty team"),
)
# Which team each demo officer and manager is in.
TEAM_MEMBERS = (
    ("planning.officer@midlothian.example", "planning-enforcement"),
    ("planning.manager@midlothian.example", "planning-enforcement"),
    ("eh.officer@midlothian.example", "food-safety"),
    ("eh.manager@midlothian.example", "food-safety"),
    ("sw.officer@midlothian.example", "adult-duty"),
    ("sw.manager@midlothian.example", "adult-duty"),
)


def seed(db: sqlite_utils.Database) -> None:
    """The council's data and the demo staff."""
    seed_council(db)
    for email, name, role, hub in STAFF:
        upsert_staff(db, email, name, role, hub)
    seed_teams(db)  # again, now that the demo staff are there to join them


def seed_council(db: sqlite_utils.Database) -> None:
    seed_hubs(db)
    for service in SERVICES:
        db.execute(
            "INSERT INTO services (slug, position, email, special_category) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(slug) DO UPDATE SET position = excluded.position,"
            " email = excluded.email, special_category = excluded.special_category",
            list(service),
        )
    seed_reply_templates(db)
    seed_teams(db)
    seed_rules(db)


def seed_rules(db: sqlite_utils.Database) -> None:
    """Each seed rule once (by its key): a council's edits to it, or turning it off, are
    kept across restarts."""
    for seed in json.loads(RULES.read_text(encoding="utf-8")):
        if not rules_db.has_seed(db, seed["key"]):
            rules_db.add_rule(db, seed["name"], seed.get("service"), seed["conditions"],
                              seed["actions"], seed.get("enabled", True), seed["key"],
                              seed.get("on_event", "created"))


def seed_hubs(db: sqlite_utils.Database) -> None:
    for hub in HUBS:
        db.execute(
            "INSERT INTO hubs (id, name, address, postcode, phone, opening_hours)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
            " address = excluded.address, postcode = excluded.postcode,"
            " phone = excluded.phone, opening_hours = excluded.opening_hours",
            list(hub),
        )


def seed_reply_templates(db: sqlite_utils.Database) -> None:
    reply_templates.upsert(db, json.loads(REPLY_TEMPLATES.read_text(encoding="utf-8")))


def seed_reply_templates_if_none(db: sqlite_utils.Database) -> None:
    """A database from before templated replies gets the seed ones; a council's own
    are never overwritten."""
    if not reply_templates.count(db):
        seed_reply_templates(db)


def seed_teams(db: sqlite_utils.Database) -> None:
    for position, (team_id, service, name) in enumerate(TEAMS):
        db.execute("INSERT INTO teams (id, service, name, position) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT(id) DO UPDATE SET service = excluded.service,"
                   " name = excluded.name, position = excluded.position",
                   [team_id, service, name, position])
    for email, team_id in TEAM_MEMBERS:
        db.execute("INSERT OR IGNORE INTO team_members (team_id, staff_id)"
                   " SELECT ?, id FROM staff WHERE email = ?", [team_id, email])


def seed_hubs_if_none(db: sqlite_utils.Database) -> None:
    """A database seeded before hubs mattered still gets the library hubs, so hub staff
    can be assigned to one (issue 15); a council's own hubs are never touched."""
    if not db.execute("SELECT COUNT(*) FROM hubs").fetchone()[0]:
        seed_hubs(db)


def seed_teams_if_none(db: sqlite_utils.Database) -> None:
    """A database seeded before teams existed (issue 12) gets the demo teams once."""
    if not db.execute("SELECT COUNT(*) FROM teams").fetchone()[0]:
        seed_teams(db)


def is_seeded(db: sqlite_utils.Database) -> bool:
    return bool(db.execute("SELECT COUNT(*) FROM services").fetchone()[0])
