"""The foundation pages in real Chromium: accessible, and the same with JavaScript off."""

import pytest

from tests.axe import assert_accessible, assert_accessible_without_scripts

pytestmark = pytest.mark.browser

PAGES = [
    ("/", 200, "Ask the council for help"),
    ("/help", 200, "Help and contact"),
    ("/privacy", 200, "Privacy"),
    ("/accessibility", 200, "Accessibility statement"),
    ("/no-such-page", 404, "Page not found"),
    ("/__test__/forbidden", 403, "You cannot see this page"),
    ("/__test__/boom", 500, "Sorry, there is a problem with the service"),
]


@pytest.mark.parametrize("path, status, heading", PAGES)
def test_page_has_no_axe_violations(page, base_url, path, status, heading):
    response = page.goto(base_url + path)
    assert response.status == status
    assert page.locator("h1").inner_text() == heading
    assert_accessible(page)


@pytest.fixture
def no_js_page(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path, status, heading", PAGES)
def test_page_works_with_javascript_off(no_js_page, browser, base_url, path, status, heading):
    response = no_js_page.goto(base_url + path)
    assert response.status == status
    assert no_js_page.locator("h1").inner_text() == heading
    assert no_js_page.locator("footer a[href='/accessibility']").count() == 1
    assert_accessible_without_scripts(browser, base_url + path)


def test_skip_link_is_the_first_thing_keyboard_reaches(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main-content"
    assert page.evaluate("document.activeElement.getBoundingClientRect().height") > 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_no_console_errors_or_csp_violations(page, base_url):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    # Not the 404 page: Chromium logs its own status as a console error.
    for path in ("/", "/help", "/accessibility", "/privacy"):
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    assert problems == []


def test_reflows_at_320_pixels(page, base_url):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/", "/help", "/accessibility"):
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
