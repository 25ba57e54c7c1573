"""Hypothesis over the push schema: generated bodies (any JSON, valid pushes with one
part broken, truncated bytes) never produce a 500, and never change the database
unless the push is valid."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.canonical import payload_sha256
from sync.messages import parse_json, parse_push
from tests import queries
from tests.sync_support import Device, mutation, push_body

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)

PROPERTY = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])



@pytest.fixture
def world(make_app):
    """Every example signs up a device from one address: past an hour's sign-ups."""
    return make_app(TOLBOOTH_SYNC_REGISTRATIONS_PER_ADDRESS_HOUR="100000")


def paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here] if here else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*here, index))
    return found


def parent_of(body: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        body = body[step]
    return body


@st.composite
def broken_pushes(draw: Any, client_id: str, next_id: int) -> tuple[dict[str, Any], bool]:
    """A valid push with one thing changed. Returns the body and whether the payload
    hash was recomputed afterwards (as a well-meaning but buggy client would)."""
    body = push_body(client_id, mutation(next_id))
    target = draw(st.sampled_from(paths(body)))
    how = draw(st.sampled_from(["replace", "delete", "add"]))
    parent = parent_of(body, target)
    if how == "replace":
        parent[target[-1]] = draw(json_values)
    elif how == "delete":
        del parent[target[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
    rehash = draw(st.booleans())
    for m in body.get("mutations", []) if isinstance(body.get("mutations"), list) else []:
        if rehash and isinstance(m, dict) and "payload" in m:
            try:
                m["payload_sha256"] = payload_sha256(m["payload"])
            except (TypeError, ValueError):
                pass
    return body, rehash


def send(device: Device, content: bytes) -> Any:
    return device.http.post("/sync/v1/push", content=content,
                            headers={**device.auth, "Content-Type": "application/json"})


@PROPERTY
@given(data=st.data())
def test_broken_pushes_never_500_and_change_nothing_unless_valid(client, store, data):
    device = Device(client)
    last = 0
    for _ in range(3):
        body, _rehashed = data.draw(broken_pushes(device.client_id, last + 1))
        raw = json.dumps(body).encode()
        before = store.read_sync(queries.row_counts)
        response = send(device, raw)
        assert response.status_code in (200, 400), response.text
        if response.status_code == 400:
            assert response.json()["error"] and response.json()["message"]
            assert store.read_sync(queries.row_counts) == before
        else:
            parse_push(parse_json(raw))  # accepted only because it is a valid push
            last = response.json()["last_mutation_id"]


@PROPERTY
@given(body=json_values)
def test_any_json_body_gets_a_4xx_and_changes_nothing(client, store, body):
    device = Device(client)
    before = store.read_sync(queries.row_counts)
    response = send(device, json.dumps(body).encode())
    assert response.status_code == 400, response.text
    assert store.read_sync(queries.row_counts) == before


@PROPERTY
@given(cut=st.floats(min_value=0, max_value=0.999), noise=st.binary(max_size=20))
def test_truncated_or_garbled_bytes_get_400_and_change_nothing(client, store, cut, noise):
    device = Device(client)
    good = json.dumps(push_body(device.client_id, mutation(1))).encode()
    before = store.read_sync(queries.row_counts)
    response = send(device, good[: int(len(good) * cut)] + noise)
    assert response.status_code == 400, response.text
    assert store.read_sync(queries.row_counts) == before


def test_the_unbroken_push_is_applied(client, store):
    """The generator's starting point is valid, so the properties above can fail."""
    device = Device(client)
    response = send(device, json.dumps(push_body(device.client_id, mutation(1))).encode())
    assert response.json()["results"][0]["status"] == "applied"
    assert copy.deepcopy(store.read_sync(queries.row_counts))["requests"] == 1
