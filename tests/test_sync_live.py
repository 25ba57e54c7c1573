"""Sync v1 over real HTTP against a live uvicorn: parallel pushes, and an answer lost
after the server committed."""

from __future__ import annotations

import json
import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from server.db import requests as requests_db
from tests import queries
from tests.sync_support import Device, mutation, push_body


@pytest.fixture
def http(base_url):
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def _store(live_server):
    return live_server.app.state.store


def test_five_identical_pushes_in_parallel_apply_once(http, live_server, base_url):
    """The same queued request reaching the server five times at once from five
    devices: one applied; the other four are refused `id_taken` and learn nothing of it
    (issue 10: entity ids are scoped to the client). One device's copies: below."""
    devices = [Device(http) for _ in range(5)]
    sent = mutation(1)

    def push(device: Device) -> dict:
        with httpx.Client(base_url=base_url, timeout=30) as own:
            response = own.post("/sync/v1/push", json=push_body(device.client_id, sent),
                                headers=device.auth)
        assert response.status_code == 200, response.text
        return response.json()["results"][0]

    with ThreadPoolExecutor(5) as pool:
        results = list(pool.map(push, devices))
    assert sorted(r["status"] for r in results) == ["applied"] + ["rejected"] * 4
    [applied] = [r for r in results if r["status"] == "applied"]
    assert {r.get("reason") for r in results if r is not applied} == {"id_taken"}
    assert [r for r in results if "reference" in r] == [applied]
    store = _store(live_server)
    assert store.read_sync(requests_db.by_id, sent["id"]).reference == applied["reference"]
    assert store.read_sync(queries.requests_with_id, sent["id"]) == 1
    assert store.read_sync(queries.conflicts_for, sent["id"]) == []


def test_five_parallel_copies_of_one_push_from_one_device_apply_once(http, live_server,
                                                                      base_url):
    device = Device(http)
    body = json.dumps(push_body(device.client_id, mutation(1), mutation(2)))

    def push(_: int) -> bytes:
        with httpx.Client(base_url=base_url, timeout=30) as own:
            response = own.post("/sync/v1/push", content=body, headers=device.auth)
        assert response.status_code == 200, response.text
        return response.content

    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(push, range(5)))
    # One copy applied both; the four others got the stored results as duplicates.
    statuses = sorted(tuple(r["status"] for r in json.loads(a)["results"]) for a in answers)
    assert statuses == [("applied", "applied")] + [("duplicate", "duplicate")] * 4
    assert len({tuple(r["reference"] for r in json.loads(a)["results"]) for a in answers}) == 1
    store = _store(live_server)
    assert store.read_sync(queries.mutation_count, device.client_id) == 2
    for result in json.loads(answers[0])["results"]:
        assert store.read_sync(requests_db.by_id, result["id"]) is not None


def _send(port: int, token: str, body: bytes) -> socket.socket:
    """Send a whole push on a raw connection; the caller decides what becomes of it."""
    sock = socket.create_connection(("localhost", port))
    sock.sendall(b"POST /sync/v1/push HTTP/1.1\r\nHost: localhost\r\n"
                 b"Content-Type: application/json\r\n"
                 + f"Authorization: Bearer {token}\r\n".encode()
                 + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return sock


def test_commit_then_lost_answer_then_retry_gives_one_request(http, live_server):
    """The server commits, then the connection drops before the app reads the answer
    (a phone going into a tunnel): the app sends the same mutation again."""
    device = Device(http)
    sent = mutation(1)
    store = _store(live_server)
    sock = _send(live_server.port, device.token,
                 json.dumps(push_body(device.client_id, sent)).encode())
    deadline = time.monotonic() + 10
    while store.read_sync(requests_db.by_id, sent["id"]) is None:
        assert time.monotonic() < deadline, "the push was never committed"
        time.sleep(0.02)
    sock.close()  # the answer is never read
    retried = device.results(sent)[0]
    assert retried["status"] == "duplicate"  # the issue: "the retry yields duplicate"
    assert retried["reference"] == store.read_sync(requests_db.by_id, sent["id"]).reference
    again = device.results(dict(sent, mutation_id=2))[0]  # queued twice by mistake
    assert again["status"] == "duplicate" and again["reference"] == retried["reference"]
    assert store.read_sync(queries.mutation_count, device.client_id) == 2
    assert store.read_sync(queries.requests_with_id, sent["id"]) == 1


def test_unknown_device_cannot_learn_anything(http):
    response = http.post("/sync/v1/push", json=push_body(str(uuid.uuid4()), mutation(1)),
                         headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401 and response.json()["error"] == "bad_token"
