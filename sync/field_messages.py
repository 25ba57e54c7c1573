"""The messages of sync protocol 2 (field devices), read strictly from parsed JSON.

Protocol 2 adds a pull and three push operations on existing cases; everything of
protocol 1 stays as it is (a v1 push is read by sync/messages.py, unchanged). As there,
every reader is total: a message or a ProtocolError with a reason and a path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .canonical import payload_sha256
from .messages import (
    LOCALES,
    MAX_ATTACHMENTS,
    MAX_MUTATION_ID,
    SHA256,
    UTC_TIME,
    UUID,
    AttachmentSlot,
    Mutation,
    ProtocolError,
    Push,
    parse_push,
    path_join,
    read_int,
    read_mutation,
    read_mutations,
    read_object,
    read_protocol,
    read_slot,
    read_text,
)

FIELD_PROTOCOL = 2
MAX_TEXT = 4000  # a note, a visit's summary
MAX_FIELDS = 20  # named fields in one case.update
MAX_FIELD_TEXT = 2000  # one field's text value
DEFAULT_PULL_LIMIT = 200
MAX_PULL_LIMIT = 1000  # changes in a page
MAX_PAGE_BYTES = 512 * 1024  # a page's changes, as canonical JSON; a cut costs one page
MAX_CURSOR_CHARS = 512
MAX_THUMBNAIL_CHARS = 64 * 1024  # base64 of one photo thumbnail
VISIT_OUTCOMES = ("completed", "no_access", "refused", "follow_up")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
PHOTOS = "photos"  # the slot name of a visit's or a note's photos
# entity -> the one operation it has in protocol 2, and its payload's fields
OPERATIONS = {"visit": "create", "note": "create", "case": "update"}
_PAYLOADS = {
    "visit": {"started_at", "ended_at", "outcome", "summary", "locale", "client_created_at"},
    "note": {"text", "locale", "client_created_at"},
    "case": {"fields", "locale", "client_created_at"},
}
_CASE_MUTATION_FIELDS = {"mutation_id", "id", "op", "entity", "case_id", "base_version",
                         "payload", "payload_sha256", "attachments"}
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")
CURSOR_TEXT = re.compile(r"^[A-Za-z0-9_.-]+\Z")


@dataclass(frozen=True)
class CaseMutation:
    """visit.create, note.create or case.update: a field worker's work on a case.
    `id` is the new visit's, note's or change's own id (so a resend is a duplicate);
    `case_id` the case it is about."""
    mutation_id: int
    id: str
    entity: str
    op: str
    case_id: str
    base_version: int | None  # case.update: the case version the worker edited
    locale: str
    client_created_at: str
    fields: dict[str, Any]  # case.update: the named fields the worker changed, new values
    raw_payload: dict[str, Any]
    payload_sha256: str
    attachments: tuple[AttachmentSlot, ...]

    @property
    def kind(self) -> str:
        return f"{self.entity}.{self.op}"


@dataclass(frozen=True)
class FieldPush:
    client_id: str
    app_version: str
    mutations: tuple[Mutation | CaseMutation, ...]


@dataclass(frozen=True)
class PullQuery:
    cursor: str | None  # None: the first download
    limit: int


def read_push(body: Any) -> Push | FieldPush:
    """A push of either protocol: `Push` (1, read as ever) or `FieldPush` (2)."""
    if isinstance(body, dict) and body.get("protocol") == FIELD_PROTOCOL \
            and not isinstance(body.get("protocol"), bool):
        return parse_field_push(body)
    return parse_push(body)


def parse_field_push(body: Any) -> FieldPush:
    read_protocol(body, FIELD_PROTOCOL)
    read_object(body, "", {"protocol", "client_id", "app_version", "mutations"})
    client_id = read_text(body["client_id"], "client_id", pattern=UUID)
    app_version = read_text(body["app_version"], "app_version", 64)
    return FieldPush(client_id, app_version, read_mutations(body["mutations"], _any_mutation))


def _any_mutation(value: Any, path: str) -> Mutation | CaseMutation:
    # A field device may also make a new request: the v1 mutation, exactly as in v1.
    if isinstance(value, dict) and value.get("entity") == "request":
        return read_mutation(value, path)
    return read_case_mutation(value, path)


def read_case_mutation(value: Any, path: str) -> CaseMutation:
    m = read_object(value, path, _CASE_MUTATION_FIELDS)
    at = {key: path_join(path, key) for key in _CASE_MUTATION_FIELDS}
    entity = read_text(m["entity"], at["entity"], choices=tuple(OPERATIONS))
    op = read_text(m["op"], at["op"], choices=(OPERATIONS[entity],))
    entity_id = read_text(m["id"], at["id"], pattern=UUID)
    case_id = read_text(m["case_id"], at["case_id"], pattern=UUID)
    if entity_id == case_id:  # the id names the visit, note or change, not the case
        raise ProtocolError("invalid_value", at["id"])
    if entity == "case":
        base_version: int | None = read_int(m["base_version"], at["base_version"], 1)
    elif m["base_version"] is not None:  # visits and notes append: nothing to merge
        raise ProtocolError("invalid_value", at["base_version"])
    else:
        base_version = None
    raw = read_object(m["payload"], at["payload"], _PAYLOADS[entity])
    where = at["payload"]
    fields = _payload(entity, raw, where)
    locale = read_text(raw["locale"], path_join(where, "locale"), choices=LOCALES)
    created = read_text(raw["client_created_at"], path_join(where, "client_created_at"), 40,
                        UTC_TIME)
    declared = read_text(m["payload_sha256"], at["payload_sha256"], pattern=SHA256)
    if payload_sha256(raw) != declared:
        raise ProtocolError("hash_mismatch", at["payload_sha256"])
    return CaseMutation(
        mutation_id=read_int(m["mutation_id"], at["mutation_id"], 1), id=entity_id,
        entity=entity, op=op, case_id=case_id, base_version=base_version, locale=locale,
        client_created_at=created, fields=fields, raw_payload=raw, payload_sha256=declared,
        attachments=_photos(m["attachments"], at["attachments"], entity))


def _payload(entity: str, raw: dict[str, Any], where: str) -> dict[str, Any]:
    """Checks the entity's own payload fields; the changed fields of a case.update."""
    if entity == "note":
        if not read_text(raw["text"], path_join(where, "text"), MAX_TEXT).strip():
            raise ProtocolError("invalid_value", path_join(where, "text"))
        return {}
    if entity == "visit":
        for key in ("started_at", "ended_at"):
            if key == "started_at" or raw[key] is not None:
                read_text(raw[key], path_join(where, key), 40, UTC_TIME)
        read_text(raw["outcome"], path_join(where, "outcome"), choices=VISIT_OUTCOMES)
        read_text(raw["summary"], path_join(where, "summary"), MAX_TEXT)
        return {}
    fields_at = path_join(where, "fields")
    fields = raw["fields"]
    if not isinstance(fields, dict):
        raise ProtocolError("wrong_type", fields_at)
    if not 1 <= len(fields) <= MAX_FIELDS:
        raise ProtocolError("too_many_fields" if fields else "invalid_value", fields_at)
    for name, value in fields.items():
        at = path_join(fields_at, name)
        if not FIELD_NAME.match(name):
            raise ProtocolError("invalid_value", at)
        # Scalars only; which names exist and what each holds is the merge's to say
        # (sync/merge.py), as a field error the worker sees, not a refused push.
        if isinstance(value, str):
            read_text(value, at, MAX_FIELD_TEXT)
        elif isinstance(value, int) and not isinstance(value, bool):
            read_int(value, at, -MAX_MUTATION_ID)
        elif value is not None and not isinstance(value, bool):
            raise ProtocolError("wrong_type", at)
    return dict(fields)


def _photos(slots: Any, path: str, entity: str) -> tuple[AttachmentSlot, ...]:
    """Visits and notes carry photos in slots as v1 requests do (uploaded with tus
    afterwards); a case.update carries none."""
    if not isinstance(slots, list):
        raise ProtocolError("wrong_type", path)
    if len(slots) > (0 if entity == "case" else MAX_ATTACHMENTS):
        raise ProtocolError("too_many_attachments", path)
    parsed = tuple(read_slot(s, path_join(path, i)) for i, s in enumerate(slots))
    for i, slot in enumerate(parsed):
        if slot.question_id != PHOTOS:
            raise ProtocolError("invalid_value", path_join(path_join(path, i), "question_id"))
        if slot.media_type not in IMAGE_TYPES:
            raise ProtocolError("invalid_value", path_join(path_join(path, i), "media_type"))
    if len({s.id for s in parsed}) != len(parsed):
        raise ProtocolError("invalid_value", path)
    return parsed


def parse_pull_query(items: Iterable[tuple[str, str]]) -> PullQuery:
    """`GET /sync/v1/pull?protocol=2&cursor=...&limit=...` from the query's (name, value)
    pairs, in order (a repeated name is refused: which one would count?)."""
    seen: dict[str, str] = {}
    for name, value in items:
        if name not in ("protocol", "cursor", "limit"):
            raise ProtocolError("unknown_field", name)
        if name in seen:
            raise ProtocolError("invalid_value", name)
        seen[name] = value
    if "protocol" not in seen:
        raise ProtocolError("missing_field", "protocol")
    if seen["protocol"] != str(FIELD_PROTOCOL):
        raise ProtocolError("unknown_protocol", "protocol")
    cursor = seen.get("cursor")
    if cursor is not None and (len(cursor) > MAX_CURSOR_CHARS or not CURSOR_TEXT.match(cursor)):
        raise ProtocolError("bad_cursor", "cursor")
    limit = seen.get("limit", str(DEFAULT_PULL_LIMIT))
    if not (limit.isascii() and limit.isdigit()):
        raise ProtocolError("wrong_type", "limit")
    if len(limit) > 9 or int(limit) > MAX_PULL_LIMIT:
        raise ProtocolError("limit_too_large", "limit")
    if int(limit) < 1:
        raise ProtocolError("invalid_value", "limit")
    return PullQuery(cursor, int(limit))
