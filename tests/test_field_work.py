"""The field app's pure JavaScript (pwa/scripts/field/work.js, run in node by
tests/field_work.mjs): the visit form the server defines (server/field/visit_form.py)
filled in as the page does, case edits, the case list's orders, push numbering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from server import i18n
from server.field.visit_form import visit_form
from tests.support import node_results

RUNNER = Path(__file__).resolve().parent / "field_work.mjs"
CHECKS = ["visit_from_definition", "visit_required_answers", "visit_bad_outcome_and_too_long",
          "note", "case_edits_send_only_changes", "case_edits_refuse_bad_values", "orders",
          "numbering_and_resume"]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Any:
    definition = tmp_path_factory.mktemp("field") / "visit.json"
    definition.write_text(json.dumps(visit_form(i18n.Gettext("gd"))))
    return node_results(RUNNER, definition)["checks"]


@pytest.mark.parametrize("name", CHECKS)
def test_field_work_in_javascript(results: Any, name: str) -> None:
    assert name in results, f"{name} did not run"
    assert results[name] is None, results[name]
