"""Static files: compressed once at start-up, served with long-lived cache headers on
versioned URLs (`/static/css/x.css?v=<hash>`), revalidated otherwise."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import brotli
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

STATIC_DIR = Path(__file__).resolve().parents[2] / "pwa" / "static"
COMPRESSIBLE = (".css", ".js", ".json", ".svg", ".webmanifest", ".txt", ".html", ".map")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzip: bytes | None
    br: bytes | None
    version: str
    media_type: str


def _load(path: Path) -> Asset:
    stat = path.stat()
    return _compressed(path, stat.st_mtime_ns, stat.st_size)


@cache
def _compressed(path: Path, mtime_ns: int, size: int) -> Asset:
    """Brotli at quality 11 takes about 0.3 s for the app's files: once per process and
    file version, not once per app (tests make hundreds of apps)."""
    body = path.read_bytes()
    version = hashlib.sha256(body).hexdigest()[:12]
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix in COMPRESSIBLE and len(body) > 256:
        return Asset(body, gzip.compress(body, 9, mtime=0), brotli.compress(body, quality=11),
                     version, media_type)
    return Asset(body, None, None, version, media_type)


class StaticAssets:
    """An ASGI app for /static and the `static_url()` used by templates."""

    def __init__(self, directory: Path = STATIC_DIR, prefix: str = "/static") -> None:
        self.directory = directory
        self.prefix = prefix
        self.assets: dict[str, Asset] = {}
        if directory.is_dir():
            for path in sorted(directory.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    self.assets[path.relative_to(directory).as_posix()] = _load(path)

    def url(self, name: str) -> str:
        asset = self.assets.get(name)
        if asset is None:
            raise KeyError(f"no static file {name!r}: run `make assets`")
        return f"{self.prefix}/{name}?v={asset.version}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.response(scope)
        await response(scope, receive, send)

    def response(self, scope: Scope) -> Response:
        if scope["method"] not in ("GET", "HEAD"):
            return PlainTextResponse("Method not allowed", 405, headers={"Allow": "GET, HEAD"})
        name = scope["path"][len(self.prefix):].lstrip("/") if scope["path"].startswith(
            self.prefix) else scope["path"].lstrip("/")
        asset = self.assets.get(name)
        if asset is None:
            return PlainTextResponse("Not found", 404)
        query = scope.get("query_string", b"").decode("latin-1")
        versioned = f"v={asset.version}" in query.split("&")
        etag = f'"{asset.version}"'
        headers = {
            "Cache-Control": IMMUTABLE if versioned else REVALIDATE,
            "ETag": etag,
            "Vary": "Accept-Encoding",
        }
        request_headers = Headers(scope=scope)
        if request_headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        accepted = {p.split(";")[0].strip() for p in
                    request_headers.get("accept-encoding", "").split(",")}
        body = asset.body
        if asset.br is not None and "br" in accepted:
            body, headers["Content-Encoding"] = asset.br, "br"
        elif asset.gzip is not None and "gzip" in accepted:
            body, headers["Content-Encoding"] = asset.gzip, "gzip"
        return Response(body, media_type=asset.media_type, headers=headers)
