"""Issue 10: sign-in links, staff enrolment links, tracking links, phone links (every
signed link) are path segments, and the access log wrote them whole. A real server
writes its log to a file; every route with a parameter is visited with a token in it,
and the token must appear nowhere in the file, nor in the traceback of a failure."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.routing import Route

from server.auth.signed_links import tracking_token
from server.db import people, staff
from server.db.tracking_links import TrackingLink
from tests.support import LiveServer, TestApp, live_app


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[tuple[TestApp, LiveServer, Path]]:
    log_file = tmp_path / "server.log"
    handler = logging.FileHandler(log_file)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("tolbooth")
    old_level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        with live_app(tmp_path / "data") as (built, server):
            yield built, server, log_file
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        handler.close()


def fill(path: str, token: str) -> str:
    return re.sub(r"\{[^}]+\}", token, path)


def test_no_token_in_any_path_reaches_the_access_log(logged):
    built, server, log_file = logged
    tokens: list[str] = []

    def token() -> str:
        tokens.append(secrets.token_urlsafe(24))
        return tokens[-1]

    def boom(request: object) -> None:
        raise RuntimeError("deliberate failure")
    built.app.add_route("/__test__/boom/{token}", boom)

    with httpx.Client(base_url=server.url, follow_redirects=False) as http:
        # Every route with a parameter, whatever its method: a new route is covered
        # without being listed.
        visited, failed = 0, []
        for route in built.app.routes:
            if not isinstance(route, Route) or "{" not in route.path or "boom" in route.path:
                continue
            for method in sorted(route.methods or {"GET"}):
                r = http.request(method, fill(route.path, token()),
                                 headers={"Origin": server.url})
                visited += 1
                if r.status_code >= 500:
                    failed.append((method, route.path))
        assert visited > 20 and not failed
        # Real links, so their pages answer as they would for their person.
        real = [
            f"/sign-in/link/{built.store.write_sync(people.create_email_link, 'a@example.org')}",
            "/enrol/" + built.store.write_sync(staff.create_invite, "new@council.example",
                                               "planning_officer", "New Officer", "test"),
            f"/track/{tracking_token(built.settings, A_LINK)}",
        ]
        for path in real:
            tokens.append(path.rsplit("/", 1)[1])
            assert http.get(path).status_code in (200, 404)
        assert http.get(real[0]).status_code == 200  # the sign-in link page itself
        # Tokens in query strings, and in paths no route knows.
        http.get(f"/language/gd?next=/track/{token()}")
        http.get(f"/feedback?from=/track/{token()}")
        http.get(f"/track/{token()}/no/such/page")
        assert http.get(f"/__test__/boom/{token()}").status_code == 500

    text = log_file.read_text()
    assert '"path": "/sign-in/link/{token}"' in text and '"path": "/enrol/{token}"' in text
    assert "Traceback" in text and "deliberate failure" in text  # the failure was logged
    leaked = [t for t in tokens if t in text]
    assert not leaked, f"{len(leaked)} of {len(tokens)} tokens are in the log"


# A well-formed tracking link (of no request): what matters is that it stays out of logs.
A_LINK = TrackingLink("some-request-id", secrets.token_urlsafe(16), 0)


def test_feedback_keeps_the_page_but_not_its_token(world):
    from server.db import feedback as feedback_db
    from tests.support import csrf
    link = tracking_token(world.settings, A_LINK)
    with world.client() as client:
        form = client.get(f"/feedback?from=/track/{link}")
        sent = client.post("/feedback", data={
            "csrf_token": csrf(form.text), "satisfaction": "satisfied",
            "comment": "fine", "from": f"/track/{link}/files/3"},
            headers={"Origin": world.settings.origin})
    assert sent.status_code == 200
    kept = re.search(r'name="from" value="([^"]*)"', form.text).group(1)
    assert kept == "/track/{token}"
    page = world.store.read_sync(feedback_db.results).comments[0].page
    assert page == "/track/{token}/files/3"
