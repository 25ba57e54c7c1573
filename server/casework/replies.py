"""Templated replies: what an officer starts a message from, per service and status, in
the resident's language, with its placeholders filled ({reference}, {due_date},
{service}); the officer edits it before sending. The seed templates are
reply_templates.json beside this file (loaded by server/db/seed.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlite_utils

from server import i18n
from server.casework.sla import Clock
from server.casework.status import STATUSES
from server.db import reply_templates as templates_db
from server.db.requests import StoredRequest

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Reply:
    id: str
    title: str  # in the officer's language
    status: str
    text: str  # in the resident's language, filled in


def fill(body: str, values: dict[str, str]) -> str:
    """Placeholders replaced by their values; an unknown one stays as written, for the
    officer to see and change (never str.format: a template is not code)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def _in(texts: dict[str, str], code: str) -> str:
    return texts.get(code) or texts.get(i18n.DEFAULT_LOCALE) or next(iter(texts.values()), "")


def replies_for(db: sqlite_utils.Database, found: StoredRequest, service_title: str,
                clock: Clock | None, code: str) -> list[Reply]:
    """The templates an officer of the request's service may use, filled for it.
    `service_title`: the request's service in the resident's language."""
    due = (i18n.format_date(clock.resolution_due, found.locale, "long")
           if clock is not None else "")
    values = {"reference": found.reference, "due_date": due, "service": service_title}
    return [Reply(t.id, _in(t.titles, code), t.status,
                  fill(_in(t.bodies, found.locale), values))
            for t in templates_db.for_service(db, found.service) if t.status in STATUSES]


PLACEHOLDERS = ("reference", "due_date", "service")


def unknown_placeholders(body: str) -> list[str]:
    """Placeholders a body names that no request fills (a typo the resident would read)."""
    return [p for p in PLACEHOLDER.findall(body) if p not in PLACEHOLDERS]
