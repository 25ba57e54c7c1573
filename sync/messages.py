"""The messages of sync protocol v1, read strictly from parsed JSON.

Every reader is total: whatever arrives becomes a message or a ProtocolError with a
machine-readable reason and the path of the offending value. Nothing here knows about
HTTP; the server maps a ProtocolError to 400 (see PROTOCOL.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from .canonical import canonical_json, payload_sha256

PROTOCOL = 1
KINDS = ("personal", "kiosk", "field")
MAX_PUSH_BYTES = 1024 * 1024
MAX_MUTATIONS = 100
MAX_ATTACHMENTS = 20
MAX_MUTATION_ID = 2**53 - 1  # the largest integer a JavaScript number holds exactly
LOCALES = ("en", "gd", "pl", "uk", "ar")
MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")


class Numbered(Protocol):
    """What every mutation has, whatever its kind: its number and its entity id."""
    @property
    def mutation_id(self) -> int: ...
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=Numbered)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
SHA256 = re.compile(r"^[0-9a-f]{64}\Z")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")
SHORT_TEXT = 200
# What JavaScript's Date.toISOString() makes: UTC, milliseconds optional.
UTC_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z\Z")


class ProtocolError(ValueError):
    def __init__(self, reason: str, path: str = "") -> None:
        super().__init__(f"{reason} at {path or 'body'}")
        self.reason = reason
        self.path = path


@dataclass(frozen=True)
class Registration:
    kind: str
    app_version: str
    # The token of the client this app had before (after a 401): its entities stay the
    # app's own. Checked by the server; one it cannot read is ignored.
    replaces: str | None = None


@dataclass(frozen=True)
class AttachmentSlot:
    id: str
    question_id: str
    sha256: str
    size: int
    filename: str
    media_type: str


@dataclass(frozen=True)
class Payload:
    journey: str
    answers: dict[str, Any]
    contact: dict[str, Any]
    locale: str
    client_created_at: str
    receipt: str


@dataclass(frozen=True)
class Mutation:
    mutation_id: int
    id: str
    form_version: int
    payload: Payload
    raw_payload: dict[str, Any]
    payload_sha256: str
    attachments: tuple[AttachmentSlot, ...]


@dataclass(frozen=True)
class Push:
    client_id: str
    app_version: str
    mutations: tuple[Mutation, ...]


def parse_json(body: bytes) -> Any:
    """JSON as the protocol allows it: UTF-8, no NaN or Infinity, no repeated keys."""
    try:
        text = body.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
        if "\\u" in text:  # only an escape can make a lone surrogate ("\ud800"), which
            canonical_json(value)  # cannot be hashed: refuse it here, not later
    except (UnicodeError, ValueError, RecursionError):
        raise ProtocolError("malformed_json") from None
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("repeated key")
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def read_object(value: Any, path: str, required: set[str],
                optional: set[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProtocolError("wrong_type", path)
    for key in value:
        if key not in required and key not in optional:
            raise ProtocolError("unknown_field", path_join(path, key))
    for key in sorted(required):
        if key not in value:
            raise ProtocolError("missing_field", path_join(path, key))
    return value


def path_join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def read_int(value: Any, path: str, low: int, high: int = MAX_MUTATION_ID) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolError("wrong_type", path)
    if not low <= value <= high:
        raise ProtocolError("invalid_value", path)
    return value


def read_text(value: Any, path: str, longest: int = SHORT_TEXT,
              pattern: re.Pattern[str] | None = None,
              choices: tuple[str, ...] | None = None) -> str:
    if not isinstance(value, str):
        raise ProtocolError("wrong_type", path)
    if len(value) > longest or (pattern is not None and not pattern.match(value)) \
            or (choices is not None and value not in choices):
        raise ProtocolError("invalid_value", path)
    return value


def read_protocol(body: Any, spoken: int = PROTOCOL) -> None:
    """Read before anything else: a message in another protocol is refused whole."""
    if not isinstance(body, dict):
        raise ProtocolError("wrong_type")
    if "protocol" not in body:
        raise ProtocolError("missing_field", "protocol")
    if body["protocol"] != spoken or isinstance(body["protocol"], bool):
        raise ProtocolError("unknown_protocol", "protocol")


def parse_registration(body: Any) -> Registration:
    read_protocol(body)
    read_object(body, "", {"protocol", "kind", "app_version"}, {"replaces"})
    replaces = body.get("replaces")
    return Registration(read_text(body["kind"], "kind", choices=KINDS),
                        read_text(body["app_version"], "app_version", 64),
                        None if replaces is None else read_text(replaces, "replaces", 512))


def parse_push(body: Any) -> Push:
    read_protocol(body)
    read_object(body, "", {"protocol", "client_id", "app_version", "mutations"})
    client_id = read_text(body["client_id"], "client_id", pattern=UUID)
    app_version = read_text(body["app_version"], "app_version", 64)
    return Push(client_id, app_version, read_mutations(body["mutations"], read_mutation))


def read_mutations(mutations: Any, read_one: Callable[[Any, str], T]) -> tuple[T, ...]:
    """A push's list of mutations, each read by `read_one`, in increasing id order."""
    if not isinstance(mutations, list):
        raise ProtocolError("wrong_type", "mutations")
    if len(mutations) > MAX_MUTATIONS:
        raise ProtocolError("too_many_mutations", "mutations")
    parsed = tuple(read_one(m, path_join("mutations", i)) for i, m in enumerate(mutations))
    for i in range(1, len(parsed)):
        # A client sends its queue in order; a repeated id in one batch is a client bug.
        if parsed[i].mutation_id <= parsed[i - 1].mutation_id:
            raise ProtocolError("invalid_value",
                                path_join(path_join("mutations", i), "mutation_id"))
    return parsed


_MUTATION_FIELDS = {"mutation_id", "id", "op", "entity", "base_version", "form_version",
                    "payload", "payload_sha256", "attachments"}
_PAYLOAD_FIELDS = {"journey", "answers", "contact", "locale", "client_created_at", "receipt"}
_SLOT_FIELDS = {"id", "question_id", "sha256", "size", "filename", "media_type"}


@lru_cache(maxsize=MAX_MUTATIONS)
def _paths(path: str) -> dict[str, str]:
    """The path of each field of the mutation at `path`, made once per position in a
    push rather than for every mutation read."""
    where = path_join(path, "payload")
    paths = {key: path_join(path, key) for key in _MUTATION_FIELDS}
    paths.update({f"payload.{key}": path_join(where, key) for key in _PAYLOAD_FIELDS})
    return paths


def read_mutation(value: Any, path: str) -> Mutation:
    """A v1 mutation: a resident or kiosk creates a request."""
    m = read_object(value, path, _MUTATION_FIELDS)
    at = _paths(path)
    # v1 knows one operation: a resident or kiosk creates a request (create-only).
    read_text(m["op"], at["op"], choices=("create",))
    read_text(m["entity"], at["entity"], choices=("request",))
    if m["base_version"] is not None:
        raise ProtocolError("invalid_value", at["base_version"])
    raw = read_object(m["payload"], at["payload"], _PAYLOAD_FIELDS)
    for key in ("answers", "contact"):
        if not isinstance(raw[key], dict):
            raise ProtocolError("wrong_type", at[f"payload.{key}"])
    payload = Payload(
        journey=read_text(raw["journey"], at["payload.journey"], 64, SLUG),
        answers=raw["answers"], contact=raw["contact"],
        locale=read_text(raw["locale"], at["payload.locale"], choices=LOCALES),
        client_created_at=read_text(raw["client_created_at"], at["payload.client_created_at"], 40,
                                UTC_TIME),
        receipt=read_text(raw["receipt"], at["payload.receipt"], 40),
    )
    declared = read_text(m["payload_sha256"], at["payload_sha256"], pattern=SHA256)
    if payload_sha256(raw) != declared:
        raise ProtocolError("hash_mismatch", at["payload_sha256"])
    slots = m["attachments"]
    if not isinstance(slots, list):
        raise ProtocolError("wrong_type", at["attachments"])
    if len(slots) > MAX_ATTACHMENTS:
        raise ProtocolError("too_many_attachments", at["attachments"])
    parsed = tuple(read_slot(s, path_join(at["attachments"], i)) for i, s in enumerate(slots))
    if len({s.id for s in parsed}) != len(parsed):
        raise ProtocolError("invalid_value", at["attachments"])
    return Mutation(
        mutation_id=read_int(m["mutation_id"], at["mutation_id"], 1),
        id=read_text(m["id"], at["id"], pattern=UUID),
        form_version=read_int(m["form_version"], at["form_version"], 1, 10_000),
        payload=payload, raw_payload=raw, payload_sha256=declared, attachments=parsed)


def read_slot(value: Any, path: str) -> AttachmentSlot:
    s = read_object(value, path, _SLOT_FIELDS)
    return AttachmentSlot(
        id=read_text(s["id"], path_join(path, "id"), pattern=UUID),
        question_id=read_text(s["question_id"], path_join(path, "question_id"), 64),
        sha256=read_text(s["sha256"], path_join(path, "sha256"), pattern=SHA256),
        size=read_int(s["size"], path_join(path, "size"), 1),
        filename=read_text(s["filename"], path_join(path, "filename"), 255),
        media_type=read_text(s["media_type"], path_join(path, "media_type"), choices=MEDIA_TYPES),
    )
