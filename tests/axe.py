"""Fail a test on any axe violation: WCAG 2.2 A/AA, and separately best practice."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def violations(page: Any, tags: list[str]) -> list[dict[str, Any]]:
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    return list(_axe.run(page, options=options).response["violations"])


def describe(found: list[dict[str, Any]]) -> str:
    lines = []
    for v in found:
        targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Zero violations of WCAG 2.2 A/AA and of axe's best practices."""
    for tags in (WCAG_TAGS, ["best-practice"]):
        found = violations(page, tags)
        assert not found, f"axe {tags}:\n{describe(found)}"


def assert_accessible_without_scripts(browser: Any, url: str) -> None:
    """axe on the page as a person with JavaScript off gets it.

    axe cannot run in a context with JavaScript disabled (its promise waits on timers
    that never fire), so this loads the page with every script request refused: the DOM
    is the server's HTML, untouched by our scripts, which is what JS-off shows.
    """
    context = browser.new_context()
    try:
        context.route("**/*.js*", lambda route: route.abort())
        page = context.new_page()
        page.goto(url)
        assert page.evaluate("typeof window.htmx") == "undefined"
        assert_accessible(page)
    finally:
        context.close()
