"""Reads one value of a form definition strictly, knowing its path for the error."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NoReturn

_MISSING: Any = object()


class DefinitionError(ValueError):
    """A form definition breaks SCHEMA.md; the message says where and how."""


class Reader:
    """One value inside a definition and its path (`pages[2].questions[0].label`)."""

    def __init__(self, value: Any, path: str = "") -> None:
        self.value, self.path = value, path

    def fail(self, message: str) -> NoReturn:
        raise DefinitionError(f"{self.path or 'definition'}: {message}")

    def _object(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            self.fail("must be a JSON object")
        return self.value

    def __contains__(self, key: str) -> bool:
        return key in self._object()

    def get(self, key: str) -> Any:
        return self._object().get(key, _MISSING)

    def child(self, key: str) -> Reader:
        return Reader(self.get(key), f"{self.path}.{key}" if self.path else key)

    def keys(self, required: Sequence[str], optional: Sequence[str] = ()) -> None:
        obj = self._object()
        unknown = [k for k in obj if k not in required and k not in optional]
        if unknown:
            self.fail(f"unknown key {unknown[0]!r} (allowed: {', '.join([*required, *optional])})")
        missing = [k for k in required if k not in obj]
        if missing:
            self.fail(f"missing key {missing[0]!r}")

    def items(self, minimum: int = 0) -> list[Reader]:
        if not isinstance(self.value, list) or len(self.value) < minimum:
            self.fail(f"must be a list of at least {minimum}" if minimum else "must be a list")
        return [Reader(v, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    def _value(self, key: str, default: Any) -> tuple[Reader, Any]:
        child = self.child(key)
        if child.value is _MISSING and default is _MISSING:
            self.fail(f"missing key {key!r}")
        return child, child.value

    def string(self, key: str, pattern: str | None = None, max_length: int = 200,
               default: Any = _MISSING) -> Any:
        child, value = self._value(key, default)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or not value or len(value) > max_length:
            child.fail(f"must be a string of 1 to {max_length} characters")
        if pattern and not re.match(pattern, value):
            child.fail(f"{value!r} does not match {pattern}")
        return value

    def text(self, key: str, required: bool = True) -> Any:
        """Translatable text: a non-empty English message id without edge whitespace."""
        value = self.string(key, max_length=5000, default=_MISSING if required else None)
        if value is not None and value != value.strip():
            self.child(key).fail("must not start or end with whitespace")
        return value

    def texts(self, key: str, default: Any = _MISSING) -> tuple[str, ...]:
        child, value = self._value(key, default)
        if value is _MISSING:
            return tuple(default)
        return tuple(Reader({"text": item.value}, item.path).text("text")
                     for item in child.items())

    def integer(self, key: str, low: int, high: int, default: Any = _MISSING) -> Any:
        child, value = self._value(key, default)
        if value is _MISSING:
            return default
        if type(value) is not int or not low <= value <= high:
            child.fail(f"must be a whole number from {low} to {high}")
        return value

    def boolean(self, key: str, default: Any = _MISSING) -> Any:
        child, value = self._value(key, default)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            child.fail("must be true or false")
        return value

    def choice(self, key: str, choices: Sequence[str], default: Any = _MISSING) -> Any:
        child, value = self._value(key, default)
        if value is _MISSING:
            return default
        if value not in choices or not isinstance(value, str):
            child.fail(f"must be one of: {', '.join(choices)}")
        return value
