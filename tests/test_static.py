import asyncio
import gzip
import re
import threading

import brotli


def asset_urls(html):
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_versioned_assets(client):
    urls = asset_urls(client.get("/").text)
    assert any(u.startswith("/static/build/tolbooth.css?v=") for u in urls)
    assert any(u.startswith("/static/vendor/htmx.min.js?v=") for u in urls)


def test_versioned_assets_are_cached_for_a_year_and_compressed(client):
    for url in asset_urls(client.get("/").text):
        r = client.get(url, headers={"Accept-Encoding": "br"})
        assert r.status_code == 200
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert r.headers["content-encoding"] == "br"
        assert "Accept-Encoding" in r.headers["vary"]


def test_gzip_when_brotli_is_not_accepted(client):
    url = next(u for u in asset_urls(client.get("/").text) if ".css" in u)
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert len(plain.content) > len(gzip.compress(plain.content))


def test_brotli_body_is_the_file_compressed_with_brotli(client):
    """Was `assert brotli`, true whatever the server sent."""
    url = next(u for u in asset_urls(client.get("/").text) if ".css" in u)
    plain = client.get(url, headers={"Accept-Encoding": "identity"}).content
    with client.stream("GET", url, headers={"Accept-Encoding": "br"}) as r:
        assert r.headers["content-encoding"] == "br"
        raw = b"".join(r.iter_raw())  # as sent: httpx would decode it
    assert brotli.decompress(raw) == plain
    assert len(raw) < len(gzip.compress(plain, 9))


def test_unversioned_or_stale_urls_must_revalidate(client):
    url = next(u for u in asset_urls(client.get("/").text) if ".css" in u).split("?")[0]
    assert client.get(url).headers["cache-control"] == "no-cache"
    assert client.get(url + "?v=old").headers["cache-control"] == "no-cache"


def test_etag_gives_304(client):
    url = asset_urls(client.get("/").text)[0]
    etag = client.get(url).headers["etag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def raw_get(app, path: str) -> int:
    """The status of GET `path` sent as it is: an HTTP client removes `..` segments
    before sending (RFC 3986), so through TestClient "/static/../x" arrives as "/x"."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": b"", "headers": [(b"host", b"localhost:8000")],
             "client": ("127.0.0.1", 1), "server": ("localhost", 8000)}
    # In a thread: after a browser test, Playwright's sync API leaves an event loop
    # running in this worker's main thread, and asyncio.run() refuses to nest.
    worker = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    worker.start()
    worker.join(10)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


def test_missing_and_traversal_paths_are_404(app):
    assert raw_get(app, "/static/nope.css") == 404
    assert raw_get(app, "/static/../server/settings.py") == 404
    assert raw_get(app, "/static/../../pyproject.toml") == 404
    assert raw_get(app, "/static/build/../../../README.md") == 404
    assert raw_get(app, "/static/build/tolbooth.css") == 200  # the probe reaches the files


def test_html_is_compressed(client):
    r = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
