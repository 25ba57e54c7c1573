"""Sealed kiosk submissions in a v1 push (issue 13; PROTOCOL.md, "Sealed kiosk
submissions"): a kiosk sends `entity: "sealed_request"`, whose payload is a v1 request
payload encrypted to the server's key. This module reads the message and decides the
outcome; opening the seal is the server's (server/kiosk/sealing.py), passed in as
`Opened`.

After the v1 replay and order rules: a sealed item that does not open is `rejected`
with the reason (`unreadable`, `unknown_key`, `key_retired`) and kept for hub staff; one
that opens is applied as a v1 request create, except that a submission failing the
form's checks is `held` for hub staff (reason `needs_attention`, no errors: the answers
and what is wrong with them never go back to the kiosk's screen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from .apply import (
    APPLIED,
    ID_TAKEN,
    REJECTED,
    Ledger,
    Rejection,
    Stop,
    decide_request,
    replay_or_stop,
    result,
)
from .canonical import payload_sha256
from .messages import (
    UUID,
    Mutation,
    ProtocolError,
    Push,
    read_int,
    read_mutation,
    read_mutations,
    read_object,
    read_protocol,
    read_text,
)

SEALED = "sealed_request"
HELD = "held"
NEEDS_ATTENTION = "needs_attention"
B64URL = re.compile(r"^[A-Za-z0-9_-]*\Z")
MAX_CIPHERTEXT = 900_000  # characters; the push itself is at most 1 MB
_FIELDS = {"mutation_id", "id", "op", "entity", "base_version", "form_version", "payload",
           "payload_sha256", "attachments"}
_SEALED_FIELDS = {"kid", "epk", "iv", "ciphertext"}


@dataclass(frozen=True)
class SealedMutation:
    mutation_id: int
    id: str
    form_version: int
    sealed: dict[str, str]  # kid, epk, iv, ciphertext
    payload_sha256: str


@dataclass(frozen=True)
class Unopened:
    reason: str  # unreadable, unknown_key, key_retired


class SealedLedger(Ledger, Protocol):
    def keep_unopened(self, mutation: SealedMutation, reason: str) -> None: ...
    def hold(self, mutation: Mutation, rejection: Rejection) -> None: ...


def read_sealed(value: Any, path: str) -> SealedMutation:
    m = read_object(value, path, _FIELDS)
    read_text(m["op"], f"{path}.op", choices=("create",))
    if m["base_version"] is not None:
        raise ProtocolError("invalid_value", f"{path}.base_version")
    if m["attachments"] != []:  # files are not sealed yet: none may travel beside one
        raise ProtocolError("invalid_value", f"{path}.attachments")
    raw = read_object(m["payload"], f"{path}.payload", _SEALED_FIELDS)
    sealed = {key: read_text(raw[key], f"{path}.payload.{key}",
                             MAX_CIPHERTEXT if key == "ciphertext" else 120, B64URL)
              for key in ("epk", "iv", "ciphertext")}
    sealed["kid"] = read_text(raw["kid"], f"{path}.payload.kid", 64)
    declared = read_text(m["payload_sha256"], f"{path}.payload_sha256", 64)
    if payload_sha256(raw) != declared:
        raise ProtocolError("hash_mismatch", f"{path}.payload_sha256")
    return SealedMutation(
        mutation_id=read_int(m["mutation_id"], f"{path}.mutation_id", 1),
        id=read_text(m["id"], f"{path}.id", pattern=UUID),
        form_version=read_int(m["form_version"], f"{path}.form_version", 1, 10_000),
        sealed=sealed, payload_sha256=declared)


def read_kiosk_mutation(value: Any, path: str) -> Mutation | SealedMutation:
    """A kiosk may send either: sealed ones, and (an older kiosk app) plain ones."""
    if isinstance(value, dict) and value.get("entity") == SEALED:
        return read_sealed(value, path)
    return read_mutation(value, path)


def parse_kiosk_push(body: Any) -> Push:
    read_protocol(body)
    read_object(body, "", {"protocol", "client_id", "app_version", "mutations"})
    return Push(read_text(body["client_id"], "client_id", pattern=UUID),
                read_text(body["app_version"], "app_version", 64),
                read_mutations(body["mutations"], read_kiosk_mutation))  # type: ignore[arg-type]


def inner_mutation(sealed: SealedMutation, inner: dict[str, Any]) -> Mutation:
    """The opened payload as the v1 request create it stands for; the same checks as a
    plain one (ProtocolError when it is not a v1 payload)."""
    return read_mutation({
        "mutation_id": sealed.mutation_id, "id": sealed.id, "op": "create",
        "entity": "request", "base_version": None, "form_version": sealed.form_version,
        "payload": inner, "payload_sha256": payload_sha256(inner), "attachments": []},
        f"sealed[{sealed.mutation_id}]")


def apply_sealed(ledger: SealedLedger, mutation: SealedMutation,
                 opened: Mutation | Unopened) -> dict[str, Any] | Stop:
    done = replay_or_stop(ledger, mutation)
    if done is not None:
        return done
    if isinstance(opened, Unopened):
        ledger.keep_unopened(mutation, opened.reason)
        out = result(mutation, REJECTED, rejection=Rejection(opened.reason, ()))
        ledger.record(_as_recorded(mutation), REJECTED, out)
        return out
    out = decide_request(ledger, opened)
    if out["status"] == REJECTED and out.get("reason") != ID_TAKEN:
        rejection = Rejection(out["reason"], tuple(out["errors"]))
        ledger.hold(opened, rejection)
        out = {"mutation_id": opened.mutation_id, "id": opened.id, "status": HELD,
               "reason": NEEDS_ATTENTION, "attachments_pending": []}
    if out["status"] == APPLIED:
        out["receipt"] = opened.payload.receipt
    # The ledger's status column knows v1's four outcomes: a held item was not applied,
    # stored as rejected; its stored result (what a replay gets) says held.
    ledger.record(opened, REJECTED if out["status"] == HELD else out["status"], out)
    return out


def _as_recorded(mutation: SealedMutation) -> Mutation:
    """What the ledger's `record` reads of a mutation: its number, id and hash."""
    return Mutation(mutation.mutation_id, mutation.id, mutation.form_version,
                    None, {}, mutation.payload_sha256, ())  # type: ignore[arg-type]
