"""Loads the accessibility statement's data file (accessibility/statement.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

STATEMENT_FILE = Path(__file__).resolve().parent / "statement.toml"
COMPLIANCE = ("full", "partial", "non")


@dataclass(frozen=True)
class Issue:
    text: str
    criterion: str | None
    fix_by: date | None


@dataclass(frozen=True)
class Statement:
    last_reviewed: date
    last_tested: date
    compliance: str
    wcag_version: str
    non_compliant: tuple[Issue, ...]
    disproportionate_burden: tuple[Issue, ...]
    outside_scope: tuple[Issue, ...]


def _issues(entries: list[dict[str, str]]) -> tuple[Issue, ...]:
    return tuple(
        Issue(e["text"], e.get("criterion"),
              date.fromisoformat(e["fix_by"]) if e.get("fix_by") else None)
        for e in entries if e.get("text")
    )


def load_statement(path: Path = STATEMENT_FILE) -> Statement:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if data["compliance"] not in COMPLIANCE:
        raise ValueError(f"{path}: compliance must be one of {COMPLIANCE}")
    return Statement(
        last_reviewed=date.fromisoformat(data["last_reviewed"]),
        last_tested=date.fromisoformat(data["last_tested"]),
        compliance=data["compliance"],
        wcag_version=data["wcag_version"],
        non_compliant=_issues(data.get("non_compliant", [])),
        disproportionate_burden=_issues(data.get("disproportionate_burden", [])),
        outside_scope=_issues(data.get("outside_scope", [])),
    )


def extract_statement(fileobj, keywords, comment_tags, options):  # type: ignore[no-untyped-def]
    """Babel extraction method: the statement's texts are message ids (locales/babel.cfg)."""
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    for section in ("non_compliant", "disproportionate_burden", "outside_scope"):
        for position, entry in enumerate(data.get(section, [])):
            if entry.get("text"):
                yield (0, None, entry["text"], [f"accessibility statement: {section}[{position}]"])
