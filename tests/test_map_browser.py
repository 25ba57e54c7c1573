"""The tree question's map (issue 15), when a tile service is set up: Leaflet from npm,
tiles from the configured URL (served here by the test), worked by keyboard alone, with
the address always the other way. Without the setting there is no map
(tests/test_newcomer_fixes.py)."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import Browser, expect

from tests.axe import assert_accessible
from tests.support import live_app

pytestmark = pytest.mark.browser
TILES = "http://localhost:9/tiles/{z}/{x}/{y}.png"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
                       "hKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def map_server(tmp_path_factory):
    with live_app(tmp_path_factory.mktemp("map") / "data", TOLBOOTH_MAP_TILE_URL=TILES,
                  TOLBOOTH_MAP_ATTRIBUTION="© Crown copyright and database rights") as (_, s):
        yield s


def test_the_tree_can_be_marked_on_the_map_by_keyboard(browser: Browser, map_server):
    context = browser.new_context(base_url=map_server.url, viewport={"width": 375,
                                                                      "height": 800})
    tiles: list[str] = []

    def tile(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    context.route("http://localhost:9/tiles/**", tile)
    page = context.new_page()
    try:
        page.goto("/services/tree-enquiry/tree-location")
        csp = page.evaluate("() => fetch(location.href).then(r => "
                            "r.headers.get('content-security-policy'))")
        assert "img-src 'self' data: http://localhost:9" in csp
        container = page.locator("[data-tb-map].leaflet-container")
        expect(container).to_have_attribute("role", "application")
        expect(page.get_by_text("Move the map until the pin is on the place")).to_be_visible()
        # The address is always the other way.
        expect(page.get_by_label("Building and street", exact=True)).to_be_visible()
        expect(page.locator(".leaflet-control-attribution")).to_contain_text("Crown copyright")
        # Keyboard only: Tab to the map, move it, zoom, Tab on to the button, Enter.
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.leaflet-container')"):
                break
        else:
            raise AssertionError("Tab never reached the map")
        before = page.evaluate("document.querySelector('[data-tb-map]') && "
                               "getComputedStyle(document.activeElement).outlineStyle")
        assert before  # something shows where focus is
        for key in ("ArrowUp", "ArrowUp", "ArrowLeft", "+"):
            page.keyboard.press(key)
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('[data-tb-use-pin]')"):
                break
        else:
            raise AssertionError("Tab never reached 'Use the place under the pin'")
        page.keyboard.press("Enter")
        expect(page.locator("#tree_map")).to_have_text("The place under the pin has been added.")
        lat = float(page.input_value("#tree_map-lat"))
        lng = float(page.input_value("#tree_map-lng"))
        assert 55.85 < lat < 55.95 and -3.12 < lng < -3.02 and (lat, lng) != (55.8936, -3.068)
        assert tiles and all("/tiles/" in t for t in tiles)
        assert_accessible(page)
    finally:
        context.close()
