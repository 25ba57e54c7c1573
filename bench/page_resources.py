"""What a page needs to render: subresources named in its HTML, and the url(...) and
@import references in its CSS. Pure functions on text, testable without a server."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

# A CSS string or comment; used to drop comments without touching strings (a data: URI
# may well contain "/*").
_STRING_OR_COMMENT = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|/\*.*?\*/""", re.S)
_URL = re.compile(r"""url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)"'\s]*))\s*\)""",
                  re.I)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*["']?([^)"']*)["']?\s*\)|"([^"]*)"|'([^']*)')""",
                     re.I)

_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.I)
_SRC = re.compile(r"\bsrc\s*:([^;}]*)", re.I)


def strip_css_comments(css: str) -> str:
    return _STRING_OR_COMMENT.sub(lambda m: m.group(1) or "", css)


def css_urls(css: str) -> list[str]:
    """Every url(...) a stylesheet references (fonts, images, imports), in order, without
    duplicates, fragments or data: URIs (those are already inside the stylesheet's bytes).

    Of an @font-face `src` list only the first url() counts: a browser downloads the
    first format it supports (woff2 everywhere now) and never the fallbacks. Any other
    url() counts even if no element on the page matches its rule: an upper bound, which
    the Chromium pass in first_visit checks."""
    found: list[str] = []
    text = strip_css_comments(css)
    fallbacks = _font_fallback_starts(text)
    for match in _URL.finditer(text):
        if match.start() not in fallbacks:
            _add(found, next(g for g in match.groups() if g is not None))
    for match in _IMPORT.finditer(text):
        _add(found, next((g for g in match.groups() if g), ""))
    return found


def _font_fallback_starts(css: str) -> set[int]:
    """Offsets of the @font-face url()s a browser skips: all but the first of the last
    `src` (an earlier `src`, e.g. the old IE .eot line, is overridden by the later)."""
    starts: set[int] = set()
    for face in _FONT_FACE.finditer(css):
        urls = [list(_URL.finditer(css, src.start(1), src.end(1)))
                for src in _SRC.finditer(css, face.start(), face.end())]
        for i, src_urls in enumerate(urls):
            used = 1 if i == len(urls) - 1 else 0
            starts.update(url.start() for url in src_urls[used:])
    return starts


def css_imports(css: str) -> list[str]:
    """The subset of css_urls() that are @import-ed stylesheets (to be followed too)."""
    imports: list[str] = []
    for match in _IMPORT.finditer(strip_css_comments(css)):
        _add(imports, next((g for g in match.groups() if g), ""))
    return imports


def _add(found: list[str], url: str) -> None:
    url = urldefrag(url.strip())[0] if not url.strip().startswith("#") else ""
    if url and not url.lower().startswith("data:") and not url.startswith("#") and (
            url not in found):
        found.append(url)


class _Subresources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def _add(self, kind: str, url: str | None) -> None:
        if url and not url.lower().startswith(("data:", "javascript:")):
            url = urldefrag(url.strip())[0]  # sprite#icon: one fetch of the sprite
            if url and (kind, url) not in self.found:
                self.found.append((kind, url))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link":
            if "stylesheet" in rel and "alternate" not in rel:
                self._add("stylesheet", a.get("href"))
            elif "icon" in rel:
                self._add("icon", a.get("href"))
            elif "preload" in rel or "modulepreload" in rel:
                self._add(f"preload ({a.get('as') or 'script'})", a.get("href"))
        elif tag == "script":
            self._add("script", a.get("src"))
        elif tag in ("img", "iframe", "embed", "audio", "video", "source", "track"):
            self._add("image" if tag == "img" else tag, a.get("src"))
            if tag == "video":
                self._add("image", a.get("poster"))
        elif tag == "input" and (a.get("type") or "").lower() == "image":
            self._add("image", a.get("src"))
        elif tag == "object":
            self._add("object", a.get("data"))
        elif tag in ("use", "image"):
            self._add("svg sprite" if tag == "use" else "image",
                      a.get("href") or a.get("xlink:href"))
        elif tag == "style":
            self._in_style = True
        if a.get("style"):
            for url in css_urls(a["style"] or ""):
                self._add("css url()", url)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for url in css_urls(data):
                self._add("css url()", url)


def html_subresources(html: str, base_url: str) -> list[tuple[str, str]]:
    """(kind, absolute URL) of everything the page's HTML asks the browser to fetch to
    render it: stylesheets, scripts, icons, images, sprites, inline-CSS url()s.
    Not the manifest or prefetches: a first render does not wait for those."""
    parser = _Subresources()
    parser.feed(html)
    parser.close()
    return [(kind, urljoin(base_url, url)) for kind, url in parser.found]
