"""Every protocol 1 example in sync/examples/*.json, as documented in sync/PROTOCOL.md:
through the real app over HTTP, and (pushes and sign-ups) through the pure logic in
sync/. The field families of protocol 2 (pull-*, push-v2-*) run through the pure logic
in tests/test_field_examples.py, and over HTTP with their `world` built in the real
SQLite in tests/test_field_sync_examples.py.

Strings starting with `$` are placeholders: `$client_id` and `$client_token` are the
device's (signed up before the first step), `$any` matches anything, and any other
`$name` takes the value it first meets and must meet the same value again.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest

from server.forms.registry import FormRegistry
from server.journeys.sync_check import check_submission
from sync.apply import MemoryLedger, Rejection, apply_push
from sync.messages import ProtocolError, parse_json, parse_push, parse_registration
from tests.sync_support import EXAMPLES, Device, fill, load, match

# Protocol 2 (field devices) needs its `world`: tests/test_field_sync_examples.py. Kiosks'
# sealed pushes (sealed-*) need a kiosk and the example's key: test_kiosk_sealed_examples.
FIELD_FAMILIES = ("pull-", "push-v2-", "sealed-")
V1_EXAMPLES = [p for p in EXAMPLES if not p.name.startswith(FIELD_FAMILIES)]


def test_there_are_examples_of_every_outcome_and_message():
    text = " ".join(p.read_text() for p in EXAMPLES)
    for needed in ('"applied"', '"duplicate"', '"conflict"', '"rejected"', "out_of_order",
                   "/sync/v1/clients", "hash_mismatch", '"PATCH"', '"HEAD"', '"OPTIONS"'):
        assert needed in text, needed
    documented = (EXAMPLES[0].parent.parent / "PROTOCOL.md").read_text()
    missing = [p.name for p in EXAMPLES if p.name not in documented]
    assert not missing, f"examples not referenced in sync/PROTOCOL.md: {missing}"


def test_the_field_families_are_the_only_ones_left_out():
    assert {p.name.split("-")[0] for p in V1_EXAMPLES} == {"clients", "push", "uploads"}
    assert len(V1_EXAMPLES) >= 20 and len(V1_EXAMPLES) < len(EXAMPLES)


@pytest.mark.parametrize("path", V1_EXAMPLES, ids=lambda p: p.stem)
def test_example_over_http(path, world):
    example = load(path)
    with world.client(raise_server_exceptions=True) as http:
        device = Device(http)
        bound: dict[str, Any] = {"$client_id": device.client_id, "$client_token": device.token}
        for number, step in enumerate(example["steps"]):
            request = fill(step["request"], bound)
            content = base64.b64decode(request["body_base64"]) \
                if "body_base64" in request else None
            response = http.request(request["method"], request["path"],
                                    headers=request["headers"], content=content,
                                    json=request.get("body") if content is None else None)
            expected = step["response"]
            where = f"{path.stem} step {number}"
            assert response.status_code == expected["status"], f"{where}: {response.text}"
            for name, value in expected.get("headers", {}).items():
                assert name.lower() in response.headers, f"{where}: no {name}"
                match(value, response.headers[name], bound, f"{where} {name}")
            if "body" in expected:
                match(expected["body"], response.json(), bound, where)


def _checker(forms: FormRegistry) -> Any:
    def check(mutation: Any) -> Rejection | None:
        checked = check_submission(forms, mutation, 20 * 1024 * 1024)
        return checked if isinstance(checked, Rejection) else None
    return check


@pytest.mark.parametrize("path", V1_EXAMPLES, ids=lambda p: p.stem)
def test_example_through_the_pure_logic(path):
    """The same steps against sync/apply.py with a ledger in memory: the decisions do
    not depend on the web layer or on SQLite."""
    client_id = str(uuid.uuid4())
    bound: dict[str, Any] = {"$client_id": client_id, "$client_token": "unused"}
    ledger = MemoryLedger(_checker(FormRegistry()),
                          references=[f"MLC-TEST-{n:04d}" for n in range(50)])
    for step in load(path)["steps"]:
        request, expected = fill(step["request"], bound), step["response"]
        if request["path"] not in ("/sync/v1/push", "/sync/v1/clients") \
                or expected["status"] == 401:
            continue  # uploads and tokens live in the server; the HTTP run covers them
        raw = json.dumps(request["body"]).encode()
        parse = parse_push if request["path"] == "/sync/v1/push" else parse_registration
        if expected["status"] == 400 and expected["body"]["error"] != "client_mismatch":
            with pytest.raises(ProtocolError) as refused:
                parse(parse_json(raw))
            assert refused.value.reason == expected["body"]["error"]
            continue
        message = parse(parse_json(raw))
        if request["path"] == "/sync/v1/clients":
            assert (message.kind == "personal") == (expected["status"] == 201)
        elif expected["status"] == 400:
            assert message.client_id != client_id
        else:
            match(expected["body"], apply_push(ledger, message), bound, path.stem)
