"""The definition as the browser gets it, for the JavaScript interpreter and the offline
pages: the published JSON in the reader's language, plus the default error messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from server.forms.definition import Journey
from server.forms.messages import DEFAULT_MESSAGES
from server.forms.one_page import OnePageForm
from server.forms.texts import map_texts


def _unchanged(text: str) -> str:
    return text


def export_definition(journey: Journey | OnePageForm, translate: Callable[[str], str] = _unchanged
                      ) -> dict[str, Any]:
    """`translate` is applied to every text (gettext of the reader's locale, say); the
    key "messages" (the default error messages, see messages.py) is added."""
    exported = map_texts(journey.raw, lambda _path, text: translate(text))
    exported["messages"] = {key: translate(text) for key, text in DEFAULT_MESSAGES.items()}
    return exported
