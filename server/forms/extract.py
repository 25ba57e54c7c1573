"""Babel extraction of a form definition's text (locales/babel.cfg has the section).

Each message carries a comment naming the journey and where the text sits, so a
translator sees that "Yes" is an answer to "Is the person in danger now?".
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from server.forms.texts import map_texts

Extracted = tuple[int, str | None, str, list[str]]


def extract_definition(fileobj: IO[bytes], keywords: Collection[str],
                       comment_tags: Collection[str], options: Mapping[str, Any]
                       ) -> Iterator[Extracted]:
    source = fileobj.read().decode("utf-8")
    raw = json.loads(source)  # a broken file fails extraction loudly, as it fails start-up
    name = f"{raw.get('journey')} v{raw.get('version')}"
    found: list[tuple[str, str]] = []

    def collect(path: str, text: str) -> str:
        found.append((path, text))
        return text

    map_texts(raw, collect)
    position = 0
    for path, text in found:
        # The line of this text in the file: search on from the last one (texts come in
        # file order), falling back to the first occurrence, then to line 1.
        encoded = json.dumps(text, ensure_ascii=False)
        at = source.find(encoded, position)
        if at < 0:
            at = source.find(encoded)
        if at >= 0:
            position = at + len(encoded)
        lineno = source.count("\n", 0, max(at, 0)) + 1
        yield lineno, None, text, [f"form {name}: {path}"]
