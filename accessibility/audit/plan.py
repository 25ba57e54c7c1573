"""The audit list (accessibility/routes.toml) and the visits it expands to."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROUTES_TOML = Path(__file__).resolve().parent.parent / "routes.toml"

STATES = ("empty", "errors", "htmx", "check", "confirmation", "js_off", "offline")
KINDS = ("page", "redirect", "data")
SIGNED_IN = ("resident", "admin", "social_work")
TOKENS = ("email-link", "staff-invite", "continue-link", "stop-link", "survey-code")
# Routes the audit list need not carry: static files, the JSON health check.
NOT_AUDITED = {"/healthz": "JSON health check for monitoring, not a page"}
NOT_AUDITED_MOUNTS = {"/static": "static files (CSS, JS, images), not pages"}


class PlanError(ValueError):
    """routes.toml is malformed; the message says where."""


@dataclass(frozen=True)
class Entry:
    index: int
    route: str
    url: str
    states: tuple[str, ...]
    label: str = ""
    status: int = 200
    kind: str = "page"
    fill: tuple[tuple[str, str], ...] = ()
    prepare: tuple[str, ...] = ()
    send: str | None = None
    token: str | None = None
    signed_in: str | None = None
    content_type: str = ""
    test_only: bool = False
    # kind = "redirect" that is not the language switcher: where it must send people.
    moves_to: str | None = None


@dataclass(frozen=True)
class Visit:
    """One route × state × language."""
    entry: Entry
    state: str
    lang: str
    pending: str | None = None

    @property
    def key(self) -> str:
        return f"{self.entry.index:03d}-{self.state}-{self.lang}"

    @property
    def url(self) -> str:
        return self.entry.url.replace("{lang}", self.lang)

    @property
    def js(self) -> bool:
        return self.state != "js_off"

    @property
    def journey(self) -> str | None:
        found = re.match(r"^/services/([a-z0-9-]+)/(check|done)$", self.url)
        return found.group(1) if found else None

    @property
    def phase(self) -> int:
        """Visits in one browser context run in phase order, so answers saved by one
        (an htmx submit, a walk to check your answers) never leak into an earlier one."""
        if self.entry.send or self.entry.token or self.url.endswith("/done"):
            return 3
        if self.url.endswith("/check"):
            return 2
        if self.state == "htmx":
            return 1
        return 0


@dataclass
class Plan:
    entries: list[Entry]
    pending: dict[str, str] = field(default_factory=dict)

    def visits(self, langs: Iterable[str]) -> list[Visit]:
        out = []
        for lang in langs:
            for entry in self.entries:
                for state in entry.states:
                    out.append(Visit(entry, state, lang, self.pending.get(state)))
        return out

    def routes(self) -> set[str]:
        return {e.route for e in self.entries}


def load(path: Path = ROUTES_TOML) -> Plan:
    with path.open("rb") as f:
        data = tomllib.load(f)
    return parse(data)


def parse(data: dict[str, Any]) -> Plan:
    pending = data.get("pending", {})
    for state in pending:
        if state not in STATES:
            raise PlanError(f"[pending]: unknown state {state!r}")
    entries = []
    for i, raw in enumerate(data.get("page", [])):
        where = f"[[page]] #{i + 1} ({raw.get('url', '?')})"
        unknown = set(raw) - {"route", "url", "states", "label", "status", "kind", "fill",
                              "prepare", "send", "token", "signed_in", "content_type",
                              "test_only", "moves_to"}
        if unknown:
            raise PlanError(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("route", "url", "states"):
            if key not in raw:
                raise PlanError(f"{where}: missing {key!r}")
        states = tuple(raw["states"])
        bad = [s for s in states if s not in STATES]
        if bad or not states:
            raise PlanError(f"{where}: states must be some of {STATES}, got {bad or states}")
        kind = raw.get("kind", "page")
        if kind not in KINDS:
            raise PlanError(f"{where}: kind must be one of {KINDS}")
        if not raw["url"].startswith("/"):
            raise PlanError(f"{where}: url must be a path")
        if "{token}" in raw["url"] and not (raw.get("send") or raw.get("token")):
            raise PlanError(f"{where}: a {{token}} url needs `token`, or `send` (the journey "
                            "whose tracking link it is)")
        if "{request_id}" in raw["url"] and not raw.get("send"):
            raise PlanError(f"{where}: a {{request_id}} url needs `send` (the journey sent)")
        if raw.get("token") not in (None, *TOKENS):
            raise PlanError(f"{where}: token must be one of {TOKENS}")
        if raw.get("signed_in") not in (None, *SIGNED_IN):
            raise PlanError(f"{where}: signed_in must be one of {SIGNED_IN}")
        if kind == "data" and not raw.get("content_type"):
            raise PlanError(f"{where}: kind = \"data\" needs content_type")
        entries.append(Entry(
            index=i, route=raw["route"], url=raw["url"], states=states,
            label=raw.get("label", ""), status=int(raw.get("status", 200)), kind=kind,
            fill=tuple((str(k), str(v)) for k, v in raw.get("fill", {}).items()),
            prepare=tuple(raw.get("prepare", ())), send=raw.get("send"),
            token=raw.get("token"), signed_in=raw.get("signed_in"),
            content_type=raw.get("content_type", ""),
            test_only=bool(raw.get("test_only", False)), moves_to=raw.get("moves_to")))
    return Plan(entries, dict(pending))


def app_get_routes(app: Any) -> dict[str, str]:
    """Every GET path pattern the app answers, with its name, except what is not
    audited (static mount, health check, test-only routes)."""
    from starlette.routing import Mount, Route
    found = {}
    for route in app.routes:
        if isinstance(route, Mount):
            if route.path not in NOT_AUDITED_MOUNTS:
                found[route.path + "/{path}"] = route.name or ""
            continue
        if not isinstance(route, Route):
            continue
        if route.methods and "GET" not in route.methods:
            continue
        if route.path in NOT_AUDITED or route.path.startswith("/__test__/"):
            continue
        found[route.path] = route.name
    return found
