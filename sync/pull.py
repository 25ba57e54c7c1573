"""The page a field device gets when it pulls: the decisions, with storage behind a Feed.

The server writes a change feed in the same transaction as the data: each write
transaction gets the next feed position, and its changes (case, event, note, visit,
photo thumbnail, conflict; upsert or remove) share it. A device's scope is the cases
assigned to its person or their team; every change to the scope (a case coming in or
going out) bumps the person's scope generation.

A pull sends the scope's changes after the cursor's position, in whole positions (a
page never ends inside one transaction's changes). When the cursor's generation is old
it answers `reset`: the cases that left the scope to drop, then a restore (the current
state of each case that came in, whole cases in case id order), then deltas again. A
first download is a restore of every case; so is the answer to a cursor the feed can
no longer serve (compacted or rewound), with `drop_all`.

The server's Feed (later: server/db/) answers from one read transaction; MemoryFeed
(sync/field_memory.py) runs the examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from .canonical import canonical_json
from .cursors import Cursor, Cursors, Restore
from .field_messages import FIELD_PROTOCOL, MAX_PAGE_BYTES, PullQuery

KINDS = ("case", "event", "note", "visit", "photo", "conflict")
UPSERT, REMOVE = "upsert", "remove"
_SNAPSHOT_BATCH = 25  # cases read at once during a restore


@dataclass(frozen=True)
class Change:
    kind: str
    op: str
    id: str
    case_id: str
    version: int
    data: dict[str, Any] | None  # None when removed
    position: int = 0  # the feed position (0 in a restore's snapshot)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "op": self.op, "id": self.id, "case_id": self.case_id,
                "version": self.version, "data": self.data}


@dataclass(frozen=True)
class ScopeChange:
    left: frozenset[str]  # cases that went out of the scope (some may be back: in both)
    entered: frozenset[str]  # cases in the scope now that came in


@dataclass(frozen=True)
class Reset:
    reason: str  # start, scope_changed, expired, rewound
    drop: tuple[str, ...] = ()
    drop_all: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"reason": self.reason, "drop": list(self.drop), "drop_all": self.drop_all}


class Feed(Protocol):
    """One device's view of the change feed: its person's scope."""
    def head(self) -> int: ...  # the newest position written (0: none)
    def oldest(self) -> int: ...  # the oldest position a cursor may name (older: compacted)
    def generation(self) -> int: ...  # the person's scope generation now
    def in_scope(self) -> Sequence[str]: ...  # the case ids in the scope now, sorted
    # What changed in the scope after `generation`; None when that history is gone.
    def scope_since(self, generation: int) -> ScopeChange | None: ...
    # The scope's changes after `position`, in position order, at most `limit`.
    def changes(self, position: int, limit: int) -> Sequence[Change]: ...
    def at(self, position: int) -> Sequence[Change]: ...  # all the scope's changes there
    # The current state of these cases as upserts: each case, then what is on it.
    def snapshot(self, case_ids: Sequence[str]) -> Sequence[Change]: ...


def pull(feed: Feed, cursors: Cursors, client_id: str, query: PullQuery) -> dict[str, Any]:
    """The pull response body. A bad cursor raises ProtocolError(`bad_cursor`)."""
    head, generation = feed.head(), feed.generation()
    if query.cursor is None:
        state, reset = _restart(client_id, head, generation, "start")
    else:
        state, reset = catch_up(feed, cursors.read(query.cursor, client_id), head, generation)
    page = _Page(query.limit)
    state, more = _fill(feed, state, page)
    return {"protocol": FIELD_PROTOCOL, "client_id": client_id,
            "changes": _latest(page.changes),
            "cursor": cursors.sign(state), "more": more,
            "reset": reset.as_json() if reset else None}


def _restart(client_id: str, head: int, generation: int, reason: str
             ) -> tuple[Cursor, Reset]:
    """Everything again: drop it all, restore every case, deltas from the head."""
    return Cursor(client_id, head, generation, Restore(None)), Reset(reason, drop_all=True)


def catch_up(feed: Feed, cursor: Cursor, head: int, generation: int
             ) -> tuple[Cursor, Reset | None]:
    """Where to go on from: the cursor itself, or a reset."""
    if cursor.position > head or cursor.generation > generation:
        # The server is behind its own cursor: restored from a backup that lost the
        # last moments. The device may hold what the server lost: start over.
        return _restart(cursor.client_id, head, generation, "rewound")
    if cursor.position < feed.oldest():
        return _restart(cursor.client_id, head, generation, "expired")
    if cursor.generation == generation:
        return cursor, None
    scope = feed.scope_since(cursor.generation)
    if scope is None:
        return _restart(cursor.client_id, head, generation, "expired")
    restore = cursor.restore
    if restore is None:
        restore = Restore(cursor.generation)
    elif any(case_id <= restore.after for case_id in scope.entered):
        restore = Restore(restore.since)  # a newcomer sorts before where it had got to
    # Deltas go on from the cursor's position: the cases that stayed lose nothing.
    return replace(cursor, generation=generation, restore=restore), \
        Reset("scope_changed", tuple(sorted(scope.left)))


class _Page:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.changes: list[dict[str, Any]] = []
        self.size = 0

    def room(self) -> int:
        return self.limit - len(self.changes)

    def add(self, group: Sequence[Change]) -> bool:
        """Adds a whole group (one case, or one position) if it fits; an empty page
        takes any one group, however large, so a page always moves on."""
        body = [c.as_json() for c in group]
        size = sum(len(canonical_json(c)) + 1 for c in body)
        if self.changes and (len(self.changes) + len(body) > self.limit
                             or self.size + size > MAX_PAGE_BYTES):
            return False
        self.changes.extend(body)
        self.size += size
        return True


def _fill(feed: Feed, state: Cursor, page: _Page) -> tuple[Cursor, bool]:
    """Fills the page: the restore under way first, then deltas; the new cursor, and
    whether there is more."""
    if state.restore is not None:
        state, full = _restore(feed, state, page)
        if full:
            return state, True
    if page.room() <= 0:
        return state, True  # not looked: the next pull will know
    fetched = list(feed.changes(state.position, page.room() + 1))
    if not fetched:
        return state, False
    groups = _by_position(fetched)
    truncated = len(fetched) > page.room()
    if truncated:
        groups = groups[:-1]  # the last position may go on past what was fetched
    if not groups:  # one transaction alone is over the limit: it goes whole, alone
        if page.changes:
            return state, True
        groups = [list(feed.at(fetched[0].position))]
    for group in groups:
        if not page.add(group):
            return state, True
        state = replace(state, position=group[0].position)
    return state, truncated


def _restore(feed: Feed, state: Cursor, page: _Page) -> tuple[Cursor, bool]:
    """Sends whole cases of the restore under way; (the new cursor, whether the page
    filled up before the restore was done)."""
    restore = state.restore
    assert restore is not None
    cases = _restore_set(feed, restore)
    todo = [case_id for case_id in cases if case_id > restore.after]
    for start in range(0, len(todo), _SNAPSHOT_BATCH):
        batch = todo[start:start + _SNAPSHOT_BATCH]
        by_case: dict[str, list[Change]] = {case_id: [] for case_id in batch}
        for change in feed.snapshot(batch):
            by_case[change.case_id].append(change)
        for case_id in batch:
            if not page.add(by_case[case_id]):
                return replace(state, restore=restore), True
            restore = Restore(restore.since, case_id)
    return replace(state, restore=None), False


def _restore_set(feed: Feed, restore: Restore) -> list[str]:
    if restore.since is not None:
        scope = feed.scope_since(restore.since)
        if scope is not None:
            return sorted(scope.entered)
    # Every case: a first download or a full reset, or history that went meanwhile
    # (more than needed is harmless: the device keeps the newer version of each).
    return list(feed.in_scope())


def _latest(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entity once, as its newest change in the page: an upsert carries the whole
    entity and the page is stored at once, so older ones are only bytes. Newest by
    version, not by place: a restore's snapshot comes before deltas that may be older."""
    best: dict[tuple[str, str], int] = {}
    for i, change in enumerate(changes):
        key = (change["kind"], change["id"])
        if key not in best or changes[best[key]]["version"] <= change["version"]:
            best[key] = i
    keep = set(best.values())
    return [c for i, c in enumerate(changes) if i in keep]


def _by_position(changes: Sequence[Change]) -> list[list[Change]]:
    groups: list[list[Change]] = []
    for change in changes:
        if groups and groups[-1][0].position == change.position:
            groups[-1].append(change)
        else:
            groups.append([change])
    return groups
