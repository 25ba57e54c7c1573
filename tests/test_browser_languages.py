"""Languages in real Chromium: a whole journey by keyboard only in Gaelic and in Arabic,
and Arabic laid out right to left without clipping at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from server import i18n
from server.forms.conditions import is_met
from server.forms.registry import FormRegistry
from tests.axe import assert_accessible
from tests.journey_answers import field_values

pytestmark = pytest.mark.browser
REGISTRY = FormRegistry()
REFERENCE = re.compile(r"MLC-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")


def choose_language(page, base_url, code):
    page.goto(base_url + "/")
    page.locator(f'a[hreflang="{code}"]').click()
    lang = i18n.language(code)
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang.rtl else "ltr")


def tab_to(page, element_id, limit=120):
    """Press Tab until the element has focus: proves it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} not reachable with Tab")


def answer_by_keyboard(page, question, chosen):
    values = field_values(question)
    if question.type in ("radios", "yesno"):
        option = values[question.id]
        target = f"{question.id}-{option}"
        tab_to(page, f"{question.id}-{question.options[0].value}" if question.type == "radios"
               else f"{question.id}-yes")
        # arrow keys move within a radio group and select
        for _ in range(10):
            if page.evaluate("document.activeElement.id") == target:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        chosen[question.id] = option
    elif question.type == "checkboxes":
        tab_to(page, f"{question.id}-{values[question.id][0]}")
        page.keyboard.press("Space")
        chosen[question.id] = values[question.id]
    else:
        for name, value in values.items():
            if value:
                tab_to(page, name)
                page.keyboard.type(value)


def walk_by_keyboard(page, base_url, slug):
    journey = REGISTRY.latest(slug)
    page.goto(f"{base_url}/services/{slug}")
    tab_to(page, "start-now")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{journey.pages[0].id}")
    chosen: dict = {}
    for _ in range(30):
        page.wait_for_load_state()
        page_id = page.url.split("?")[0].rsplit("/", 1)[1]
        if page_id == "check":
            break
        if page_id == "contact":
            tab_to(page, "name")
            page.keyboard.type("Morag")
            tab_to(page, "how-email")
            page.keyboard.press("Space")
            tab_to(page, "email")
            page.keyboard.type("morag@example.org")
        else:
            current = journey.page(page_id)
            assert current is not None, page.url
            for question in current.questions:
                if question.show_if is not None and not is_met(question.show_if, chosen):
                    continue
                if question.type in ("file", "location"):
                    continue
                answer_by_keyboard(page, question, chosen)
        tab_to(page, "continue")
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url, left=page_id: left not in url)
    tab_to(page, "send-request")
    page.keyboard.press("Enter")
    expect(page.locator(".tb-reference")).to_have_text(REFERENCE)
    return page.locator(".tb-reference").inner_text()


@pytest.mark.parametrize("code, slug", [("gd", "pest-control"), ("ar", "noise-complaint")])
def test_whole_journey_by_keyboard_only(page, base_url, live_server, code, slug):
    from server.db import requests as requests_db
    choose_language(page, base_url, code)
    english_title = REGISTRY.latest(slug).title
    reference = walk_by_keyboard(page, base_url, slug)
    stored = live_server.app.state.store.read_sync(requests_db.by_reference, reference)
    assert stored is not None and stored.journey == slug and stored.locale == code
    # the pages really were in the language, not English
    page.goto(f"{base_url}/services/{slug}")
    assert english_title not in page.locator("h1").inner_text()
    assert_accessible(page)


PAGES_320 = ["/", "/services", "/services/noise-complaint",
             "/services/noise-complaint/noise-source", "/track", "/accessibility"]


@pytest.mark.parametrize("path", PAGES_320)
def test_arabic_is_right_to_left_and_nothing_is_clipped_at_320px(page, base_url, path):
    choose_language(page, base_url, "ar")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(base_url + path)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Text blocks start at the right edge: the h1 hugs the right of the content box.
    box = page.locator("h1").bounding_box()
    main = page.locator("main").bounding_box()
    assert abs((box["x"] + box["width"]) - (main["x"] + main["width"])) < 24
    clipped = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => {
        const s = getComputedStyle(e);
        if (s.visibility === 'hidden' || s.display === 'none' || e.closest('.visually-hidden'))
            return false;
        // Visually hidden on purpose until focused (the skip link): 1px and clipped.
        if (s.clip !== 'auto' && s.position === 'absolute') return false;
        const r = e.getBoundingClientRect();
        if (!r.width || !r.height) return false;
        const over = (s.overflowX === 'hidden' || s.overflow === 'hidden')
            && e.scrollWidth > e.clientWidth + 1;
        return over || r.left < -1 || r.right > innerWidth + 1;
    }).map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert clipped == [], clipped
    overlapping = page.evaluate("""() => {
        const blocks = [...document.querySelectorAll('main h1, main h2, main p, main label,'
            + ' main legend, main a, main button, main li')].filter(e => e.offsetParent);
        const boxes = blocks.map(e => [e, e.getBoundingClientRect()]);
        const out = [];
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const [a, ra] = boxes[i], [b, rb] = boxes[j];
            if (a.contains(b) || b.contains(a)) continue;
            const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
            const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
            if (x > 2 && y > 2) out.push(a.tagName + '/' + b.tagName);
        }
        return out.slice(0, 5);
    }""")
    assert overlapping == []
    page.screenshot(path=f"/tmp/tolbooth-ar{path.replace('/', '_') or '_home'}.png",
                    full_page=True)
