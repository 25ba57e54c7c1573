"""Chromium's own installability check finds nothing wrong. It only answers for a real
profile: a normal Playwright context counts as incognito (see STACK.md), so this runs
in a persistent context."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.pwa_worker import wait_for_control

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("code", ["en", "ar"])
def test_chromium_finds_the_app_installable(playwright, base_url, tmp_path: Path, code):
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/language/{code}?next=/")
        wait_for_control(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith(f"/manifest.webmanifest?lang={code}")
        assert manifest["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_the_check_fails_without_the_icons(playwright, base_url, tmp_path: Path, monkeypatch):
    """The test above can fail: with only a maskable icon (none for "any") Chromium refuses."""
    from server.handlers.public import app_shell
    monkeypatch.setattr(app_shell, "ICONS", app_shell.ICONS[2:])
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/")
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert "manifest-missing-suitable-icon" in [e["errorId"] for e in errors]
    finally:
        context.close()
