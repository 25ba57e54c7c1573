"""The sealed kiosk examples (sync/examples/sealed-*.json): over HTTP against the real
app with the example's key installed, and the browser's sealing (run in node by
tests/kiosk_sealing.mjs) opened by the server's code."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from server.auth.signed_links import make_sync_token
from server.db import sync_clients
from server.kiosk import keys
from server.kiosk.sealing import open_sealed
from tests.support import build_app, node_results
from tests.sync_support import EXAMPLES, fill, load, match

SEALED_EXAMPLES = [p for p in EXAMPLES if p.name.startswith("sealed-")]
RUNNER = Path(__file__).resolve().parent / "kiosk_sealing.mjs"


def install_key(data_dir: Path, server_key: dict[str, str]) -> keys.KeyRing:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / keys.FILE_NAME).write_text(json.dumps({"keys": [{
        "kid": server_key["kid"], "created_at": "2026-12-03T09:00:00.000Z",
        "retired_at": None, "private_pkcs8": server_key["private_pkcs8"]}]}))
    return keys.load_ring(data_dir, 30)


def kiosk_client(store: Any, settings: Any, client_id: str) -> str:
    """A kiosk client with the example's fixed id (sealed items are bound to it)."""
    made = store.write_sync(sync_clients.register, "kiosk", "test", None)
    store.write_sync(lambda db: db.execute("UPDATE sync_clients SET id = ? WHERE id = ?",
                                           [client_id, made.id]))
    return make_sync_token(settings.secret_key, client_id, made.token_version)


def test_every_sealed_example_is_documented():
    documented = (EXAMPLES[0].parent.parent / "PROTOCOL.md").read_text()
    assert len(SEALED_EXAMPLES) == 3
    assert [p.name for p in SEALED_EXAMPLES if p.name not in documented] == []


@pytest.mark.parametrize("path", SEALED_EXAMPLES, ids=lambda p: p.stem)
def test_sealed_example_over_http(path, tmp_path):
    example = load(path)
    install_key(tmp_path, example["server_key"])
    world = build_app(tmp_path)
    try:
        token = kiosk_client(world.store, world.settings, example["client_id"])
        bound: dict[str, Any] = {"$client_id": example["client_id"], "$client_token": token}
        with world.client(raise_server_exceptions=True) as http:
            for number, step in enumerate(example["steps"]):
                request = fill(step["request"], bound)
                answer = http.request(request["method"], request["path"],
                                      headers=request["headers"], json=request["body"])
                assert answer.status_code == step["response"]["status"], answer.text
                match(step["response"]["body"], answer.json(), bound,
                      f"{path.stem} step {number}")
    finally:
        world.close()


def test_the_browser_sealing_opens_on_the_server(tmp_path):
    report = node_results(RUNNER, EXAMPLES[0].parent)
    assert report["hashes"] and all(ours == theirs for _, _, ours, theirs in report["hashes"])
    now = datetime.now(UTC)
    for item in report["sealed"]:
        example = load(EXAMPLES[0].parent / item["file"])
        ring = install_key(tmp_path / item["file"], example["server_key"])
        assert open_sealed(ring, item["sealed"], example["client_id"], item["id"],
                           now) == item["inner"]
    assert len(report["sealed"]) == 5

