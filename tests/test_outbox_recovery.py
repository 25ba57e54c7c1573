"""The outbox recovers and still delivers every request exactly once when the server and
the browser disagree: about the next mutation id (either way), about the client (revoked
token, 401), and when two tabs try to send at the same moment. Real Chromium, the real
service worker, the live server; the server's SQLite store is read to count rows."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Request, Route

from server.db import sync_clients
from tests import queries

from .outbox_helpers import (
    open_ready,
    outbox_items,
    queue_through_page,
    request_count,
    stored_request,
    valid_answers,
    wait_for,
    wait_until_outbox_idle,
)
from .sync_support import mutation, push_body

pytestmark = pytest.mark.browser

# The outbox's own database, read and written beside the page's code (a second connection).
META = """([key, value]) => new Promise((resolve, reject) => {
    const opened = indexedDB.open('tolbooth-outbox');
    opened.onerror = () => reject(opened.error);
    opened.onsuccess = () => {
        const db = opened.result;
        const tx = db.transaction('meta', value === undefined ? 'readonly' : 'readwrite');
        const meta = tx.objectStore('meta');
        const read = value === undefined ? meta.get(key) : meta.put({ key, value });
        tx.oncomplete = () => { db.close(); resolve(value === undefined
            ? (read.result ? read.result.value : null) : value); };
        tx.onerror = () => reject(tx.error);
    };
})"""


def meta(page: Page, key: str, value: Any = None) -> Any:
    return page.evaluate(META, [key, value] if value is not None else [key])


def delivered_first(page: Page, store: Any) -> dict[str, Any]:
    """Queues one request and sends it: the page is then a registered client."""
    first = queue_through_page(page, valid_answers())
    page.evaluate("() => TolboothOutbox.sendNow()")
    wait_for(lambda: stored_request(store, first["id"]), what="the first request", page=page)
    wait_for(lambda: outbox_items(page) == [], what="the first ack", page=page)
    return first


def queue_several(page: Page, count: int) -> list[dict[str, Any]]:
    return [queue_through_page(page, valid_answers()) for _ in range(count)]


def assert_each_once(store: Any, ids: list[str]) -> None:
    for request_id in ids:
        assert store.read_sync(queries.requests_with_id, request_id) == 1, request_id


def test_a_server_ahead_of_the_client_still_gets_every_item_once(
        page: Page, base_url: str, live_server) -> None:
    """Another sender used this client's next mutation ids: the server replays their
    results (other requests) for our ids. The outbox must move past them, not loop."""
    store = live_server.app.state.store
    open_ready(page, base_url)
    delivered_first(page, store)
    client = meta(page, "client")
    assert meta(page, "next_mutation_id") == 2
    answer = page.request.post(
        base_url + "/sync/v1/push",
        data=push_body(client["client_id"], mutation(2), mutation(3)),
        headers={"Authorization": f"Bearer {client['client_token']}"})
    assert answer.ok and [r["status"] for r in answer.json()["results"]] == ["applied"] * 2
    before = request_count(store)

    queued = queue_several(page, 3)
    assert [q["mutation_id"] for q in queued] == [2, 3, 4]  # 2 and 3 are used up
    page.evaluate("() => TolboothOutbox.sendNow()")
    ids = [q["id"] for q in queued]
    wait_for(lambda: all(stored_request(store, i) for i in ids), what="all three", page=page)
    wait_for(lambda: outbox_items(page) == [], what="the outbox to empty", page=page)
    assert_each_once(store, ids)
    assert request_count(store) == before + 3
    assert store.read_sync(sync_clients.last_mutation_id, client["client_id"]) == 6
    assert meta(page, "next_mutation_id") == 7


def test_a_client_ahead_of_the_server_resends_from_the_expected_id(
        page: Page, base_url: str, live_server) -> None:
    store = live_server.app.state.store
    open_ready(page, base_url)
    delivered_first(page, store)
    client = meta(page, "client")
    meta(page, "next_mutation_id", 40)  # as if ids 2..39 were taken and lost
    before = request_count(store)

    queued = queue_several(page, 3)
    assert [q["mutation_id"] for q in queued] == [40, 41, 42]
    page.evaluate("() => TolboothOutbox.sendNow()")
    ids = [q["id"] for q in queued]
    wait_for(lambda: all(stored_request(store, i) for i in ids), what="all three", page=page)
    wait_for(lambda: outbox_items(page) == [], what="the outbox to empty", page=page)
    assert_each_once(store, ids)
    assert request_count(store) == before + 3
    # No gap on the server: the three went in as 2, 3 and 4.
    assert store.read_sync(sync_clients.last_mutation_id, client["client_id"]) == 4
    assert store.read_sync(queries.mutation_count, client["client_id"]) == 4


def test_a_revoked_client_registers_again_and_delivers_once(
        page: Page, base_url: str, live_server) -> None:
    """The first push is applied but its answer is lost; then the client is revoked. The
    outbox gets a 401, registers again and resends: the server says duplicate, with the
    reference it gave the first time, and no second row is made."""
    store = live_server.app.state.store
    open_ready(page, base_url)
    delivered_first(page, store)
    old = meta(page, "client")
    lost: list[int] = []

    def lose_the_answer(route: Route) -> None:
        route.fetch()  # the server applies the push...
        lost.append(1)
        route.abort("connectionreset")  # ...and the browser never hears

    page.context.route("**/sync/v1/push", lose_the_answer)
    queued = queue_several(page, 2)
    page.evaluate("() => TolboothOutbox.sendNow()")
    wait_for(lambda: lost, what="the lost push", page=page)
    page.context.unroute("**/sync/v1/push")
    ids = [q["id"] for q in queued]
    references = {i: stored_request(store, i).reference for i in ids}
    assert [i["state"] for i in outbox_items(page)] == ["pending", "pending"]
    assert store.write_sync(sync_clients.revoke, old["client_id"])
    before = request_count(store)

    page.get_by_role("button", name="Send now").click()
    wait_for(lambda: outbox_items(page) == [], what="delivery after 401", page=page)
    new = meta(page, "client")
    assert new["client_id"] != old["client_id"]
    assert store.read_sync(sync_clients.last_mutation_id, new["client_id"]) == 2
    assert request_count(store) == before
    assert_each_once(store, ids)
    sent = {r["id"]: r["reference"] for r in page.evaluate("() => TolboothOutbox.listSent()")}
    assert {i: sent[i] for i in ids} == references


def test_a_corrupted_token_registers_again_and_delivers_once(
        page: Page, base_url: str, live_server) -> None:
    store = live_server.app.state.store
    open_ready(page, base_url)
    delivered_first(page, store)
    old = meta(page, "client")
    meta(page, "client", {**old, "client_token": old["client_token"][:-4] + "AAAA"})
    queued = queue_several(page, 2)
    before = request_count(store)
    page.get_by_role("button", name="Send now").click()
    wait_for(lambda: outbox_items(page) == [], what="delivery after 401", page=page)
    assert meta(page, "client")["client_id"] != old["client_id"]
    assert request_count(store) == before + 2
    assert_each_once(store, [q["id"] for q in queued])


# Both tabs press "Send now" at the same moment (a shared deadline, not one after the other).
PRESS_AT = """(at) => new Promise((resolve) => setTimeout(() => {
    document.querySelector('[data-tb-send-now]').click();
    resolve(Date.now());
}, Math.max(0, at - Date.now())))"""


def test_two_tabs_sending_at_once_send_each_request_once(
        context: BrowserContext, base_url: str, live_server) -> None:
    store = live_server.app.state.store
    pushed: list[list[int]] = []

    def record(request: Request) -> None:
        if request.url.endswith("/sync/v1/push") and request.method == "POST":
            pushed.append([m["mutation_id"] for m in request.post_data_json["mutations"]])

    context.on("request", record)
    first, second = context.new_page(), context.new_page()
    open_ready(first, base_url)
    open_ready(second, base_url)
    delivered_first(first, store)
    pushed.clear()
    context.set_offline(True)
    queued = queue_several(first, 3) + queue_several(second, 3)
    assert sorted(q["mutation_id"] for q in queued) == [2, 3, 4, 5, 6, 7]
    before = request_count(store)

    # Back online: both tabs hear `online` together; then both press "Send now" together.
    context.set_offline(False)
    at = first.evaluate("() => Date.now() + 300")
    first.evaluate(f"() => {{ window.pressed = ({PRESS_AT})({at}); }}")
    second.evaluate(f"() => {{ window.pressed = ({PRESS_AT})({at}); }}")
    ids = [q["id"] for q in queued]
    wait_for(lambda: all(stored_request(store, i) for i in ids), what="all six", page=first)
    wait_until_outbox_idle(first)  # any late second sender has had its go
    assert outbox_items(first) == [] and outbox_items(second) == []
    assert_each_once(store, ids)
    assert request_count(store) == before + 6
    # One sender at a time: no mutation id was pushed twice.
    sent_ids = [m for batch in pushed for m in batch]
    assert sorted(sent_ids) == [2, 3, 4, 5, 6, 7], pushed
