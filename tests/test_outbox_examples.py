"""The browser outbox's canonical JSON, hashes and result handling agree with the sync
protocol's example files (sync/examples/*.json), run in node (tests/outbox_examples.mjs)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "outbox_examples.mjs"
EXAMPLES = ROOT / "sync" / "examples"


def run(examples: Path) -> tuple[int, dict]:
    node = shutil.which("node") or pytest.fail("node is needed for the outbox's JS tests")
    done = subprocess.run([node, str(RUNNER), str(examples)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def test_js_hashes_and_result_handling_match_the_protocol_examples() -> None:
    code, report = run(EXAMPLES)
    assert report["failures"] == [] and code == 0
    checked = report["checked"]
    assert checked["hashes"] >= 5 and checked["results"] >= 5 and checked["mismatches"] >= 1


def test_a_changed_payload_fails_the_js_hash_check(tmp_path: Path) -> None:
    example = json.loads((EXAMPLES / "push-applied.json").read_text())
    mutation = example["steps"][0]["request"]["body"]["mutations"][0]
    mutation["payload"]["answers"]["pest_type"] = "mice"
    (tmp_path / "push-applied.json").write_text(json.dumps(example))
    code, report = run(tmp_path)
    assert code == 1 and any("hash" in f for f in report["failures"])
