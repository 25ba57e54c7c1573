"""Where the translatable text of a definition is: one list, used both to extract it for
translators (extract.py) and to translate it for the browser (export.py), so the two
cannot disagree about what is text."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# (path, text) -> the text to put there
TextVisitor = Callable[[str, str], str]


def map_texts(raw: dict[str, Any], visit: TextVisitor) -> dict[str, Any]:
    """A copy of a (valid) raw definition with `visit` applied to every text field."""
    # A JSON round trip, not deepcopy: deepcopy keeps two references to one dict (a
    # Python-made definition may share an options list) and the text would be visited twice.
    out = json.loads(json.dumps(raw))
    _one(out, "title", "title", visit)
    _one(out, "summary", "summary", visit)
    _many(out, "keywords", "keywords", visit)
    start = out.get("start")
    if isinstance(start, dict):
        _many(start, "paragraphs", "start.paragraphs", visit)
        _many(start, "before_you_start", "start.before_you_start", visit)
        _one(start, "warning", "start.warning", visit)
    for p, page in enumerate(out.get("pages") or []):
        where = f"pages[{p}]"
        _one(page, "title", f"{where}.title", visit)
        _one(page, "intro", f"{where}.intro", visit)
        for q, question in enumerate(page.get("questions") or []):
            _question(question, f"{where}.questions[{q}]", visit)
    _many(out, "next_steps", "next_steps", visit)
    return out


def _question(question: dict[str, Any], where: str, visit: TextVisitor) -> None:
    _one(question, "label", f"{where}.label", visit)
    _one(question, "hint", f"{where}.hint", visit)
    for o, option in enumerate(question.get("options") or []):
        _one(option, "label", f"{where}.options[{o}].label", visit)
        _one(option, "hint", f"{where}.options[{o}].hint", visit)
    errors = question.get("errors")
    if isinstance(errors, dict):
        for rule in errors:
            _one(errors, rule, f"{where}.errors.{rule}", visit)


def _one(obj: dict[str, Any], key: str, path: str, visit: TextVisitor) -> None:
    if isinstance(obj.get(key), str):
        obj[key] = visit(path, obj[key])


def _many(obj: dict[str, Any], key: str, path: str, visit: TextVisitor) -> None:
    if isinstance(obj.get(key), list):
        obj[key] = [visit(f"{path}[{i}]", t) if isinstance(t, str) else t
                    for i, t in enumerate(obj[key])]
