"""The kiosk deployment of the README (issue 13): pwa/kiosk/launch.sh starts the system
Chromium with the kiosk flags and a dedicated profile, pwa/kiosk/install-policy.sh writes
the managed policy, and both are honoured. The policy goes where Debian's chromium reads
it (/etc/chromium/policies/managed/), but inside a private mount namespace (`unshare`),
so the machine's Chromium, shared by every other browser test, is left alone."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import run_async

pytestmark = pytest.mark.browser

KIOSK = Path(__file__).resolve().parent.parent / "pwa" / "kiosk"
START_S = 20


def install_policy(etc: Path, origin: str) -> dict[str, Any]:
    managed = etc / "policies" / "managed"
    subprocess.run([str(KIOSK / "install-policy.sh"), origin], check=True, capture_output=True,
                   env={**os.environ, "TOLBOOTH_POLICY_DIR": str(managed)})
    installed = managed / "tolbooth.json"
    policy = json.loads(installed.read_text())
    # The one change for the test: it drives the browser through DevTools, which the
    # kiosk's policy turns off for people at the kiosk (checked here as shipped).
    assert policy["DeveloperToolsAvailability"] == 2
    installed.write_text(json.dumps({**policy, "DeveloperToolsAvailability": 1}))
    if Path("/etc/chromium/master_preferences").exists():
        shutil.copy("/etc/chromium/master_preferences", etc / "master_preferences")
    return policy


DEEP_ROWS = """[...(function all(root) {
    const found = [];
    for (const el of root.querySelectorAll('*')) {
        if (el.classList.contains('row')) found.push(el.innerText.trim().split(/\\s+/));
        if (el.shadowRoot) found.push(...all(el.shadowRoot));
    }
    return found; })(document)]"""


async def cdp_evaluate(port: str, url: str | None, expression: str) -> Any:
    """Evaluate in the page at `url` (None: open a new tab) through the DevTools HTTP
    and WebSocket endpoints: Playwright cannot adopt a kiosk window whose page already
    runs a service worker, so we speak CDP ourselves (aiohttp's WebSocket client)."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        if url is None:
            raise ValueError("url")
        targets = await (await http.get(f"http://localhost:{port}/json/list")).json()
        target = next((t for t in targets if t["type"] == "page" and t["url"] == url), None)
        if target is None:
            target = await (await http.put(f"http://localhost:{port}/json/new?{url}")).json()
        async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            deadline = time.monotonic() + START_S
            for number in range(1, 1000):
                await ws.send_json({"id": number, "method": "Runtime.evaluate", "params": {
                    "expression": expression, "returnByValue": True, "awaitPromise": True}})
                while (answer := await ws.receive_json()).get("id") != number:
                    pass
                value = answer.get("result", {}).get("result", {}).get("value")
                if value or time.monotonic() > deadline:
                    return value
                await asyncio.sleep(0.1)
    return None


def evaluate(port: str, url: str, expression: str) -> Any:
    return run_async(lambda: cdp_evaluate(port, url, expression))


@pytest.fixture
def kiosk_chromium(tmp_path: Path, base_url: str) -> Iterator[tuple[str, dict]]:
    etc, profile = tmp_path / "etc", tmp_path / "profile"
    etc.mkdir()
    policy = install_policy(etc, base_url)
    overlay = 'mount --bind "$0" /etc/chromium && exec "$@"'
    process = subprocess.Popen(
        ["unshare", "--map-root-user", "--mount", "sh", "-c", overlay, str(etc),
         str(KIOSK / "launch.sh"), base_url, "--headless=new", "--no-sandbox", "--disable-gpu",
         "--disable-dev-shm-usage", "--remote-debugging-port=0",
         "--remote-allow-origins=*"],
        env={**os.environ, "TOLBOOTH_KIOSK_PROFILE": str(profile)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_S
        while not (port_file.exists() and port_file.read_text().strip()):
            assert process.poll() is None, "the kiosk launch script exited"
            assert time.monotonic() < deadline, "Chromium did not start"
            time.sleep(0.05)
        yield port_file.read_text().split()[0], {**policy, "profile": str(profile)}
    finally:
        process.terminate()
        process.wait(10)


def test_the_kiosk_launch_opens_the_kiosk_page_with_its_flags_and_policy(
        kiosk_chromium: tuple[str, dict], base_url: str):
    port, policy = kiosk_chromium
    profile = policy.pop("profile")
    kiosk = f"{base_url}/kiosk"
    # The page the launch opened: loaded, and the site keeps its own storage (cookies
    # allowed for the origin, not session-only).
    assert evaluate(port, kiosk, "document.readyState === 'complete' && "
                    "document.querySelectorAll('main').length === 1") is True
    assert evaluate(port, kiosk, "document.cookie = 'tb_probe=1'; "
                    "document.cookie.includes('tb_probe=1')") is True

    command = evaluate(port, "chrome://version/",
                       "document.getElementById('command_line').textContent").split()
    for flag in ("--kiosk", "--no-first-run", "--disable-sync", "--password-store=basic",
                 f"--user-data-dir={profile}"):
        assert flag in command, flag
    assert "--incognito" not in command

    # Every policy of the file is known to this Chromium and applied without error
    # (AutofillAddressEnabled is marked deprecated in Chromium 156 but still applies: its
    # preference is checked below).
    rows = evaluate(port, "chrome://policy/",
                    f"(() => {{ const r = {DEEP_ROWS}; return r.length > 3 ? r : null; }})()")
    for name in policy:
        row = next(r for r in rows if r[0] == name)
        assert row[-1] in ("OK", "Deprecated"), (name, row)
    assert policy["CookiesAllowedForUrls"] == [base_url]
    assert "cookies_and_other_site_data" not in policy["ClearBrowsingDataOnExitList"]

    # What the policies set, as the browser's own preferences (managed, so locked).
    managed = {
        "credentials_enable_service": False,
        "download_restrictions": 3,
        "autofill.profile_enabled": False,
        "autofill.credit_card_enabled": False,
    }
    read = """(() => { const text = document.body.innerText; if (!text.trim()) return null;
        const prefs = JSON.parse(text);
        return Object.fromEntries(%s.map((path) => [path,
            path.split('.').reduce((node, key) => node && node[key], prefs)])); })()"""
    found = evaluate(port, "chrome://prefs-internals/", read % json.dumps(list(managed)))
    for path, value in managed.items():
        assert found[path]["value"] == value and "managed" in found[path]["metadata"], (path, found)
