"""The field examples of sync protocol 2 (sync/examples/pull-*.json, push-v2-*.json),
through the pure logic in sync/ on a world in memory (tests/field_world.py); and through
the field app's JavaScript (pwa/scripts/field/, run in node by tests/field_examples.mjs).

Each example's `world` is built first; a step is a request and its expected response
(for device `client`, "a" unless named), or `world` actions between requests. A pulled
page is stored by that device unless the step says its answer was `lost`; `store` is
what the device then holds. `$client_id` is the step's device, `$client_id_<name>` any
device, and other `$name`s bind as in tests/test_sync_examples.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from server.forms.registry import FormRegistry
from server.journeys.sync_check import check_submission
from sync.apply import Rejection, apply_push
from sync.field_apply import apply_field_push
from sync.field_messages import FieldPush, parse_pull_query, read_push
from sync.messages import ProtocolError, parse_json
from sync.pull import pull
from tests.field_world import Device, DeviceStore, World, act, build
from tests.sync_support import EXAMPLES, fill, load, match

ROOT = Path(__file__).resolve().parent.parent
FIELD_EXAMPLES = [p for p in EXAMPLES if p.name.startswith(("pull-", "push-v2-"))]
RUNNER = ROOT / "tests" / "field_examples.mjs"


def check(mutation: Any) -> Rejection | None:
    checked = check_submission(FormRegistry(), mutation, 20 * 1024 * 1024)
    return checked if isinstance(checked, Rejection) else None


def answer(world: World, device: Device, request: dict[str, Any]) -> dict[str, Any]:
    """What the server's handler will do, without HTTP: read, decide, answer."""
    if request["method"] == "GET":
        query = urllib.parse.urlsplit(request["path"]).query
        items = urllib.parse.parse_qsl(query, keep_blank_values=True)
        return pull(device.feed, world.cursors, device.client_id, parse_pull_query(items))
    pushed = read_push(parse_json(json.dumps(request["body"]).encode()))
    if pushed.client_id != device.client_id:
        raise ProtocolError("client_mismatch")
    if isinstance(pushed, FieldPush):
        return apply_field_push(device.ledger, pushed)
    return apply_push(device.ledger, pushed)


def test_there_are_field_examples_of_each_decision():
    text = " ".join(p.read_text() for p in FIELD_EXAMPLES)
    for needed in ('"scope_changed"', '"expired"', '"start"', '"bad_cursor"', '"conflict"',
                   '"late": true', '"unknown_case"', '"invalid_fields"', '"limit_too_large"',
                   '"lost": true', '"more": true', '"resolved"', '"duplicate"'):
        assert needed in text, needed


@pytest.mark.parametrize("path", FIELD_EXAMPLES, ids=lambda p: p.stem)
def test_field_example_through_the_pure_logic(path):
    example = load(path)
    world = build(example["world"], check)
    stores = {name: DeviceStore() for name in world.devices}
    bound: dict[str, Any] = {f"$client_id_{d.name}": d.client_id
                             for d in world.devices.values()}
    for number, step in enumerate(example["steps"]):
        where = f"{path.stem} step {number}"
        if "world" in step:
            for action in step["world"]:
                act(world, fill(action, bound))
            continue
        device = world.devices[step.get("client", "a")]
        mine = {**bound, "$client_id": device.client_id, "$client_token": "unused"}
        expected = step["response"]
        try:
            body = answer(world, device, fill(step["request"], mine))
        except ProtocolError as refused:
            assert expected["status"] == 400, f"{where}: refused with {refused.reason}"
            assert refused.reason == expected["body"]["error"], where
            continue
        assert expected["status"] == 200, where
        match(expected["body"], body, mine, where)
        bound.update({k: v for k, v in mine.items() if k not in ("$client_id", "$client_token")})
        if step["request"]["method"] == "GET" and not step.get("lost") \
                and not step.get("crafted"):
            stores[device.name].apply(body)
            if "store" in step:
                assert stores[device.name].held() == step["store"], where


def run_node(examples: Path) -> tuple[int, dict[str, Any]]:
    node = shutil.which("node") or pytest.fail("node is needed for the field app's JS tests")
    done = subprocess.run([node, str(RUNNER), str(examples)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def test_the_field_apps_js_agrees_with_the_examples():
    code, report = run_node(EXAMPLES[0].parent)
    assert report["failures"] == [] and code == 0
    checked = report["checked"]
    assert checked["pages"] >= 20 and checked["stores"] >= 15 and checked["conflicts"] >= 3
    assert checked["hashes"] >= 10 and checked["results"] >= 15 and checked["refusals"] >= 5
    assert checked["requests"] >= 15 and checked["malformed"] >= 10


def test_a_page_that_breaks_the_store_fails_the_js_check(tmp_path: Path):
    """The JS runner can fail: a page that lost a change no longer gives the store."""
    example = load(EXAMPLES[0].parent / "pull-first-download.json")
    example["steps"][0]["response"]["body"]["changes"].pop()
    (tmp_path / "pull-first-download.json").write_text(json.dumps(example))
    code, report = run_node(tmp_path)
    assert code == 1 and any("store" in f for f in report["failures"])
