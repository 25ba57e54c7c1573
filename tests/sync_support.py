"""Builders for sync messages, and the reading of the example files
(sync/examples/*.json), used by the tests/test_sync_*.py and test_field_*.py files."""

from __future__ import annotations

import copy
import json
import re
import uuid
from pathlib import Path
from typing import Any

from sync.canonical import payload_sha256

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "sync" / "examples").glob("*.json"))
PLACEHOLDER = re.compile(r"\$[a-z_0-9]+")

CONTACT = {"name": "Ann Example", "how": "email", "email": "ann@example.com"}


def pest_answers(**changes: Any) -> dict[str, Any]:
    answers = {"pest_type": "rats", "pest_where": "inside",
               "property_address": {"line1": "12 High Street", "line2": None,
                                    "town": "Dalkeith", "postcode": "EH22 1AA"},
               "council_tenant": "no", "vulnerable_people": "no",
               "preferred_days": ["monday"], "more_details": None}
    answers.update(changes)
    return answers


def tree_answers(photos: list[str]) -> dict[str, Any]:
    return {"enquiry_type": "check-protected",
            "tree_address": {"line1": "4 Eskbank Road", "line2": None, "town": "Dalkeith",
                             "postcode": "EH22 3BU"},
            "tree_map": None, "tree_place": None, "your_connection": "owner",
            "about_the_tree": "A large beech by the road.", "photos": photos}


def payload(answers: dict[str, Any] | None = None, journey: str = "pest-control",
            locale: str = "en", contact: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"journey": journey, "answers": pest_answers() if answers is None else answers,
            "contact": copy.deepcopy(CONTACT if contact is None else contact),
            "locale": locale, "client_created_at": "2026-11-20T14:03:07.512Z",
            "receipt": "R-" + uuid.uuid4().hex[:6]}


def mutation(mutation_id: int, entity_id: str | None = None,
             body: dict[str, Any] | None = None, form_version: int = 1,
             attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body = payload() if body is None else body
    return {"mutation_id": mutation_id, "id": entity_id or str(uuid.uuid4()), "op": "create",
            "entity": "request", "base_version": None, "form_version": form_version,
            "payload": body, "payload_sha256": payload_sha256(body),
            "attachments": attachments or []}


def push_body(client_id: str, *mutations: dict[str, Any]) -> dict[str, Any]:
    return {"protocol": 1, "client_id": client_id, "app_version": "test",
            "mutations": list(mutations)}


class Device:
    """One installed app talking to the server through an HTTP client (TestClient or
    httpx.Client): signs up, then pushes with its token."""

    def __init__(self, http: Any) -> None:
        self.http = http
        response = http.post("/sync/v1/clients",
                             json={"protocol": 1, "kind": "personal", "app_version": "test"})
        assert response.status_code == 201, response.text
        self.client_id = response.json()["client_id"]
        self.token = response.json()["client_token"]
        self.auth = {"Authorization": f"Bearer {self.token}"}

    def push(self, *mutations: dict[str, Any]) -> Any:
        return self.http.post("/sync/v1/push", json=push_body(self.client_id, *mutations),
                              headers=self.auth)

    def results(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.push(*mutations)
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def fill(value: Any, bound: dict[str, Any]) -> Any:
    if isinstance(value, str):
        if value in bound:
            return bound[value]
        return PLACEHOLDER.sub(lambda m: str(bound.get(m.group(0), m.group(0))), value)
    if isinstance(value, dict):
        return {k: fill(v, bound) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, bound) for v in value]
    return value


def match(expected: Any, actual: Any, bound: dict[str, Any], where: str = "") -> None:
    if isinstance(expected, str) and PLACEHOLDER.fullmatch(expected):
        if expected == "$any":
            return
        if expected in bound:
            assert actual == bound[expected], f"{where}: {actual!r} != {expected}"
        else:
            bound[expected] = actual
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), \
            f"{where}: keys {sorted(actual) if isinstance(actual, dict) else actual!r}"
        for key in expected:
            match(expected[key], actual[key], bound, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            match(e, a, bound, f"{where}[{i}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"
