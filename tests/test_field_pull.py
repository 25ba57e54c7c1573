"""Protocol 2's pull, cursors and merge beyond the examples: a device that pulls through
random back-office work, reassignments, compaction, lost answers and its own pushes
ends up holding exactly its scope (no gap, no duplicate); cursors cannot be moved or
shared; pages never split a transaction; the merge's rules one by one."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.canonical import canonical_json, payload_sha256
from sync.cursors import Cursor, Cursors, Restore
from sync.field_apply import apply_field_push
from sync.field_memory import MemoryCaseLedger, MemoryCases, MemoryFeed
from sync.field_messages import MAX_PAGE_BYTES, PullQuery, parse_field_push, parse_pull_query
from sync.merge import ASSIGNED, FORMER, CaseState, FieldState, merge
from sync.messages import ProtocolError
from sync.pull import UPSERT, Change, pull
from tests.field_world import CURSOR_KEY, DeviceStore, no_check

PEOPLE = {"ann": "north", "bob": "north", "cat": "south"}
ASSIGNEES = ["ann", "bob", "cat", "team:north", "team:south"]
CLIENT = "0c0ffee0-0000-4000-8000-000000000001"


def new_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def expected_rows(cases: MemoryCases, person: str) -> dict[tuple[str, str], tuple[int, Any]]:
    feed = MemoryFeed(cases, person)
    return {(c.kind, c.id): (c.version, c.data) for c in feed.snapshot(feed.in_scope())}


def held_rows(store: DeviceStore) -> dict[tuple[str, str], tuple[int, Any]]:
    return {key: (version, data) for key, (_case, version, data) in store.rows.items()}


def update(case_id: str, base: int, fields: dict[str, Any], mutation_id: int,
           rng: random.Random) -> dict[str, Any]:
    payload = {"fields": fields, "locale": "en", "client_created_at": "2026-11-20T14:03:07Z"}
    return {"protocol": 2, "client_id": CLIENT, "app_version": "t", "mutations": [{
        "mutation_id": mutation_id, "id": new_id(rng), "entity": "case", "op": "update",
        "case_id": case_id, "base_version": base, "payload": payload,
        "payload_sha256": payload_sha256(payload), "attachments": []}]}


def one_world(seed: int) -> None:
    rng = random.Random(seed)
    cases = MemoryCases(PEOPLE)
    case_ids = [new_id(rng) for _ in range(rng.randint(1, 6))]
    for case_id in case_ids:
        cases.add_case(case_id, rng.choice(ASSIGNEES), {"status": "in_progress",
                                                        "risk_level": "low"},
                       rng.randint(1, 3), [("event", new_id(rng), {"n": 0})])
    ledger = MemoryCaseLedger(no_check, cases=cases, client_id=CLIENT, person="ann")
    feed, store, cursors = MemoryFeed(cases, "ann"), DeviceStore(), Cursors(CURSOR_KEY)
    mutation_id = 0
    for _ in range(40):
        roll = rng.random()
        case_id = rng.choice(case_ids)
        if roll < 0.15:
            cases.set_fields(case_id, {"risk_level": rng.choice(["low", "high"])}, "office")
        elif roll < 0.3:
            cases.add_items([Change(rng.choice(["note", "event"]), UPSERT, new_id(rng),
                                    case_id, 1, {"n": rng.random()})])
        elif roll < 0.37:
            items = [i for i in cases.items.values() if i.kind in ("note", "event")]
            if items:
                cases.remove(rng.choice(items).id)
        elif roll < 0.5:
            cases.assign(case_id, rng.choice(ASSIGNEES))
        elif roll < 0.53:
            cases.compact(cases.position)
        elif roll < 0.55:
            cases.forget_scope_history("ann")
        elif roll < 0.65:
            mutation_id += 1
            base = store.rows.get(("case", case_id), ("", 1, None))[1]
            apply_field_push(ledger, parse_field_push(update(
                case_id, base, {"access_notes": f"n{rng.random()}"}, mutation_id, rng)))
        else:
            page = pull(feed, cursors, CLIENT, PullQuery(store.cursor, rng.randint(1, 6)))
            if rng.random() > 0.2:  # else the answer is lost: nothing stored
                store.apply(page)
    for _ in range(500):
        page = pull(feed, cursors, CLIENT, PullQuery(store.cursor, rng.randint(1, 6)))
        store.apply(page)
        if not page["more"]:
            break
    assert held_rows(store) == expected_rows(cases, "ann"), f"seed {seed}"
    # and nothing more to come: the next pull is empty and keeps the cursor
    again = pull(feed, cursors, CLIENT, PullQuery(store.cursor, 5))
    assert again["changes"] == [] and again["cursor"] == store.cursor and not again["more"]


@pytest.mark.parametrize("start", range(0, 300, 50))
def test_a_device_ends_up_with_exactly_its_scope_whatever_happened(start):
    for seed in range(start, start + 50):
        one_world(seed)


def test_a_page_never_splits_one_transactions_changes():
    cases = MemoryCases({"ann": "north"})
    case_id = str(uuid.uuid4())
    cases.add_case(case_id, "ann", {"status": "in_progress"})
    feed, cursors = MemoryFeed(cases, "ann"), Cursors(CURSOR_KEY)
    first = pull(feed, cursors, CLIENT, PullQuery(None, 10))
    cases.add_items([Change("note", UPSERT, str(uuid.uuid4()), case_id, 1, {"n": n})
                     for n in range(5)])
    cases.add_items([Change("note", UPSERT, str(uuid.uuid4()), case_id, 1, {"n": 9})])
    page = pull(feed, cursors, CLIENT, PullQuery(first["cursor"], 2))
    assert len(page["changes"]) == 5 and page["more"]  # one transaction, whole, alone
    rest = pull(feed, cursors, CLIENT, PullQuery(page["cursor"], 2))
    assert [c["data"] for c in rest["changes"]] == [{"n": 9}] and not rest["more"]


def test_a_case_that_comes_in_during_a_restore_is_restored_too():
    """Even when it sorts before the case the restore had got to."""
    cases = MemoryCases({"ann": "north", "cat": "south"})
    ids = [f"0000000{n}-0000-4000-8000-000000000000" for n in range(4)]
    for case_id in ids[1:]:
        cases.add_case(case_id, "ann", {"status": "in_progress"})
    cases.add_case(ids[0], "cat", {"status": "in_progress"})
    feed, cursors, store = MemoryFeed(cases, "ann"), Cursors(CURSOR_KEY), DeviceStore()
    store.apply(pull(feed, cursors, CLIENT, PullQuery(None, 1)))
    store.apply(pull(feed, cursors, CLIENT, PullQuery(store.cursor, 1)))
    assert sorted(i for _k, i in store.rows) == ids[1:3]  # half way through the restore
    cases.assign(ids[0], "ann")
    for _ in range(10):
        page = pull(feed, cursors, CLIENT, PullQuery(store.cursor, 1))
        store.apply(page)
        if not page["more"]:
            break
    assert held_rows(store) == expected_rows(cases, "ann")


def test_a_page_stays_under_its_byte_limit():
    """Thumbnails make changes big: a page ends at 512 KiB, whatever the limit says, so a
    cut on a slow line costs at most that."""
    cases = MemoryCases({"ann": "north"})
    case_id = str(uuid.uuid4())
    cases.add_case(case_id, "ann", {"status": "in_progress"})
    feed, cursors = MemoryFeed(cases, "ann"), Cursors(CURSOR_KEY)
    first = pull(feed, cursors, CLIENT, PullQuery(None, 10))
    for _ in range(40):
        cases.add_items([Change("photo", UPSERT, str(uuid.uuid4()), case_id, 1,
                                {"thumbnail": "A" * 30_000})])
    page = pull(feed, cursors, CLIENT, PullQuery(first["cursor"], 1000))
    size = sum(len(canonical_json(c)) + 1 for c in page["changes"])
    assert size <= MAX_PAGE_BYTES < size + 30_200 and page["more"]


def test_a_cursor_ahead_of_the_server_is_a_full_reset():
    """The server came back from a replica that lost its last moments."""
    cases = MemoryCases({"ann": "north"})
    cases.add_case(str(uuid.uuid4()), "ann", {"status": "in_progress"})
    feed, cursors = MemoryFeed(cases, "ann"), Cursors(CURSOR_KEY)
    ahead = cursors.sign(Cursor(CLIENT, cases.position + 5, feed.generation()))
    page = pull(feed, cursors, CLIENT, PullQuery(ahead, 10))
    assert page["reset"] == {"reason": "rewound", "drop": [], "drop_all": True}
    assert [c["kind"] for c in page["changes"]] == ["case"]


def test_cursors_cannot_be_moved_shared_or_made_up():
    cursors = Cursors(CURSOR_KEY)
    other = "0c0ffee0-0000-4000-8000-000000000002"
    made = cursors.sign(Cursor(CLIENT, 7, 2, Restore(None, "")))
    assert cursors.read(made, CLIENT) == Cursor(CLIENT, 7, 2, Restore(None, ""))
    body, tag = made.split(".")
    moved = cursors.sign(Cursor(CLIENT, 70, 2)).split(".")[0]
    for bad in (f"{moved}.{tag}", f"{body}.{tag[:-2]}AA", body, f"{body}.", "", ".", "a.b.c",
                made.replace(".", "")):
        with pytest.raises(ProtocolError) as refused:
            cursors.read(bad, CLIENT)
        assert refused.value.reason == "bad_cursor"
    with pytest.raises(ProtocolError):
        cursors.read(made, other)  # another device's
    with pytest.raises(ProtocolError):
        Cursors("another key that is also long enough").read(made, CLIENT)
    with pytest.raises(ValueError):
        Cursors("short")


def state(version: int, **fields: tuple[Any, int, str]) -> CaseState:
    return CaseState(version, {k: FieldState(*v) for k, v in fields.items()}, False,
                     ASSIGNED)


def test_merge_field_by_field():
    case = state(5, access_notes=("office's", 5, "office"), hazards=("dog", 2, "office"),
                 risk_level=("low", 4, "me"))
    merged = merge(case, 3, {"access_notes": "mine", "hazards": "dog and cat",
                             "risk_level": "high"}, "me", lambda name: "at base")
    assert merged.apply == {"hazards": "dog and cat", "risk_level": "high"}
    assert [(o.field, o.base, o.server, o.client) for o in merged.overlaps] == \
        [("access_notes", "at base", "office's", "mine")]
    same = merge(case, 3, {"access_notes": "office's"}, "me", lambda name: "at base")
    unchanged = merge(case, 3, {"access_notes": "at base"}, "me", lambda name: "at base")
    assert same.apply == unchanged.apply == {} and same.overlaps == unchanged.overlaps == ()


def test_merge_on_a_reassigned_case_applies_nothing():
    case = replace(state(5, hazards=("dog", 2, "office")), access=FORMER)
    merged = merge(case, 5, {"hazards": "cat"}, "me", lambda name: "dog")
    assert merged.apply == {} and [o.client for o in merged.overlaps] == ["cat"]


def test_merge_refuses_unknown_read_only_and_wrong_values():
    merged = merge(state(1), 1, {"colour": "red", "address": "1 New Street", "status": "resolved",
                                 "next_visit_on": "soon", "risk_level": None,
                                 "hazards": "x" * 2001}, "me", str)
    assert {(p.field, p.code) for p in merged.problems} == {
        ("colour", "unknown_field"), ("address", "read_only"), ("status", "invalid_value"),
        ("next_visit_on", "invalid_value"), ("risk_level", "invalid_value"),
        ("hazards", "invalid_value")}
    assert merged.apply == {}


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({"protocol": st.just(2), "client_id": st.just(CLIENT),
                              "app_version": st.just("t"),
                              "mutations": st.lists(JSON, max_size=2)}) | JSON)
def test_the_push_reader_answers_anything_with_a_push_or_a_reason(body):
    try:
        parse_field_push(body)
    except ProtocolError as refused:
        assert refused.reason


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["protocol", "cursor", "limit", "x"]),
                          st.text(max_size=12)), max_size=4))
def test_the_pull_query_reader_answers_anything_with_a_query_or_a_reason(items):
    try:
        query = parse_pull_query(items)
    except ProtocolError as refused:
        assert refused.reason
    else:
        assert 1 <= query.limit <= 1000
