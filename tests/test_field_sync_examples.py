"""Every protocol 2 example (sync/examples/pull-*.json, push-v2-*.json) over HTTP against
the real app: its `world` built in the real SQLite through the db functions the back
office and the push use (tests/field_db_world.py), each device a signed-up field client
with its own token, the world's actions run between steps in their own transactions.
A pulled page is stored by its device (tests/field_world.py DeviceStore) unless the
step's answer was `lost` or the request `crafted`, and `store` is checked against it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from server.db.field_feed import in_snapshot
from server.handlers.sync.field_push import explain
from tests.field_db_world import act, build
from tests.field_world import DeviceStore
from tests.sync_support import EXAMPLES, fill, load, match

FIELD_EXAMPLES = [p for p in EXAMPLES if p.name.startswith(("pull-", "push-v2-"))]


def worded(expected: dict[str, Any], pushed: dict[str, Any] | None) -> dict[str, Any]:
    """The examples give a refusal's message as its code (the pure logic has no words);
    the server says it in the mutation's language: that exact text is expected."""
    if pushed is None or "results" not in expected:
        return expected
    locales = {m["mutation_id"]: m["payload"].get("locale", "en") for m in pushed["mutations"]}
    out = copy.deepcopy(expected)
    for result in out["results"]:
        for error in result.get("errors", []):
            if error.get("message") == error.get("code"):
                error["message"] = explain(error["code"], locales[result["mutation_id"]])
    return out


def run_example(app: Any, example: dict[str, Any], where_from: str) -> int:
    """Runs every step; the number of requests made."""
    world = app.store.write_sync(build, example["world"], app.settings.secret_key)
    stores = {name: DeviceStore() for name in world.devices}
    bound: dict[str, Any] = {f"$client_id_{d.name}": d.client_id
                             for d in world.devices.values()}
    made = 0
    with app.client(raise_server_exceptions=True) as http:
        for number, step in enumerate(example["steps"]):
            where = f"{where_from} step {number}"
            if "world" in step:
                for action in step["world"]:
                    app.store.write_sync(act, world, fill(action, bound))
                continue
            device = world.devices[step.get("client", "a")]
            mine = {**bound, "$client_id": device.client_id, "$client_token": device.token}
            request = fill(step["request"], mine)
            response = http.request(request["method"], request["path"],
                                    headers=request.get("headers", {}),
                                    json=request.get("body"))
            made += 1
            expected = step["response"]
            assert response.status_code == expected["status"], f"{where}: {response.text}"
            body = response.json()
            if expected["status"] != 200:
                assert body["error"] == expected["body"]["error"], where
                assert body["title"] and body["message"], where
                continue
            assert response.headers["cache-control"] == "no-store", where
            match(worded(expected["body"], request.get("body")), body, mine, where)
            bound.update({k: v for k, v in mine.items()
                          if k not in ("$client_id", "$client_token")})
            if request["method"] == "GET" and not step.get("lost") \
                    and not step.get("crafted"):
                stores[device.name].apply(body)
                if "store" in step:
                    assert stores[device.name].held() == step["store"], where
    return made


@pytest.mark.parametrize("path", FIELD_EXAMPLES, ids=lambda p: p.stem)
def test_field_example_over_http(path, make_app):
    app = make_app()
    assert run_example(app, load(path), path.stem) >= 1
    # The feed the example left is whole: every position's rows share one transaction.
    positions = app.store.read_sync(in_snapshot, lambda db: db.execute(
        "SELECT count(*) FROM feed f LEFT JOIN feed_positions p USING (position)"
        " WHERE p.position IS NULL AND f.position > (SELECT oldest FROM feed_meta)")
        .fetchone()[0])
    assert positions == 0
