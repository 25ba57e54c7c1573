"""SECURITY: the one way a stored file (a resident's photo or document, or a preview of
one) leaves the server, to staff and to residents alike. Call stored_file(); never send
a stored file's bytes any other way.

- `Content-Disposition: attachment`: opened by following a link, a file is saved, never
  rendered as a page of our origin.
- `X-Content-Type-Options: nosniff`: the browser uses the stored type, never guesses
  one from the bytes.
- `Content-Security-Policy: sandbox; default-src 'none'`: should anything render it all
  the same, it runs in an opaque origin that can run no script and load nothing.
- `Cross-Origin-Resource-Policy: same-origin`: other sites cannot embed it.

How each kind is treated before it gets here (server/journeys/files.py):
- Images are decoded and saved again on upload (metadata, location included, dropped),
  so the bytes are ones Pillow wrote. Only they are shown inline, and only as <img>
  (the full view and the previews), which never runs script.
- PDFs are not rewritten; they are checked and served only as attachments. The check:
  a PDF header and trailer, and none of JavaScript, Launch, embedded files or an
  OpenAction action in its dictionaries (compressed object streams included). A PDF can
  still also be valid HTML (a PDF/HTML polyglot). Served only as an attachment,
  sandboxed and nosniff, it never runs in our origin; it opens in the reader's PDF
  program after download. Staff devices' PDF readers should have JavaScript switched
  off all the same (council IT policy).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.responses import Response

SANDBOX = "sandbox; default-src 'none'"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"\\/;]")
_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9._ -]")


def disposition(filename: str) -> str:
    """`attachment` with a name safe in a header: an ASCII fallback and RFC 6266's
    filename* for the real (UTF-8) name."""
    name = _UNSAFE.sub("", filename).strip()[:120] or "file"
    fallback = _NOT_ASCII_WORD.sub("_", name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def stored_file(data: bytes, filename: str, media_type: str) -> Response:
    response = Response(data, media_type=media_type)
    response.headers["Content-Disposition"] = disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # The security headers middleware keeps a CSP a response already has.
    response.headers["Content-Security-Policy"] = SANDBOX
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    # Personal data: never kept by a browser or proxy cache (a shared device).
    response.headers["Cache-Control"] = "no-store"
    return response
