import gzip
import re

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
    assert brotli  # imported so the server's dependency is present


def test_unversioned_or_stale_urls_must_revalidate(client):
    url = next(u for u in asset_urls(client.get("/").text) if ".css" in u).split("?")[0]
    assert client.get(url).headers["cache-control"] == "no-cache"
    assert client.get(url + "?v=old").headers["cache-control"] == "no-cache"


def test_etag_gives_304(client):
    url = asset_urls(client.get("/").text)[0]
    etag = client.get(url).headers["etag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_missing_and_traversal_paths_are_404(client):
    assert client.get("/static/nope.css").status_code == 404
    assert client.get("/static/../server/settings.py").status_code == 404
    assert client.get("/static/%2e%2e/pyproject.toml").status_code == 404


def test_html_is_compressed(client):
    r = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
