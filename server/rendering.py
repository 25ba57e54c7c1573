"""Renders templates: the full page, or only a named block of it for htmx."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from server import htmx, i18n
from server.db.clock import parse_iso
from server.kiosk.device import current_kiosk
from server.web import navigation
from server.web.csrf import csrf_token
from server.web.static import StaticAssets

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "pwa" / "templates"


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.filters["tel_links"] = tel_links
    return env


# UK numbers as people write them (0131 270 7500, 01875 820 630, +44 131 …) and 999. The
# audit's probe (accessibility/audit/probe.js, point 20) looks for the same shapes.
PHONE = re.compile(r"(?:\+44[\s-]?(?:\(0\)[\s-]?)?|(?<![\w+])0)\d(?:[\s-]?\d){8,9}(?!\d)"
                   r"|(?<![\w.,-])999(?![\w-])")
_TAG_OR_LINK = re.compile(r"(<a\b.*?</a>|<[^>]*>)", re.DOTALL | re.IGNORECASE)


def tel_href(number: str) -> str:
    digits = re.sub(r"[^\d+]", "", number)
    if digits.startswith("+44"):
        return "tel:" + digits
    return "tel:+44" + digits[1:] if digits.startswith("0") and len(digits) > 3 else "tel:" + digits


def tel_links(value: object) -> Markup:
    """Text (or markup) with every phone number in it made a tel: link, so a phone dials it
    with a tap (issue 15). Numbers already inside a link, and tags, are left alone."""
    html = str(value) if isinstance(value, Markup) else str(escape(value))
    out = []
    for part in _TAG_OR_LINK.split(html):
        if part.startswith("<"):
            out.append(part)
        else:
            out.append(PHONE.sub(lambda m: f'<a class="tb-tel" href="{tel_href(m.group(0))}">'
                                           f'{m.group(0)}</a>', part))
    return Markup("".join(out))


class Renderer:
    def __init__(self, env: jinja2.Environment, assets: StaticAssets, site: dict[str, Any]):
        self.env = env
        self.assets = assets
        self.site = site

    def context(self, request: Request, extra: dict[str, Any]) -> dict[str, Any]:
        code = locale_of(request)
        kiosk = current_kiosk(request)
        text = i18n.Gettext(code, autoescape=True)
        lang = i18n.language(code)
        return {
            "request": request,
            "site": self.site,
            "lang": lang,
            "languages": i18n.OFFERED,
            "gettext": text.gettext,
            "ngettext": text.ngettext,
            "pgettext": text.pgettext,
            "csrf_token": lambda: csrf_token(request),
            "static_url": self.assets.url,
            "format_date": lambda value, fmt="long": i18n.format_date(value, code, fmt),
            # A stored moment (UTC text) as the time of day at the council.
            "format_time": lambda text: i18n.format_time(parse_iso(text), code),
            "date_formats": i18n.date_formats(code),
            # With the query, so a language change keeps search results and the like.
            "current_path": request.url.path + (f"?{request.url.query}" if request.url.query
                                                and request.method == "GET" else ""),
            "person": request.scope.get("state", {}).get("person"),
            # On a kiosk: no header links (nothing that leaves the kiosk journey).
            "header_links": [] if kiosk else navigation.visible(request, navigation.HEADER),
            "kiosk": kiosk,
            **extra,
        }

    def render(self, request: Request, template: str, context: dict[str, Any] | None = None,
               status_code: int = 200, block: str | None = None,
               public: bool = False) -> HTMLResponse:
        """Render `template`; for an htmx request naming a `block`, render only that block.

        A page is kept by no cache (`no-store`, set by the security headers) unless the
        caller says it is `public`: the same for everyone, and shown to nobody signed in
        (the header then names the person)."""
        full = self.context(request, context or {})
        if block and htmx.is_htmx(request):
            html = self._title(template, full) + render_block(self.env, template, block, full)
        else:
            html = self.env.get_template(template).render(full)
        if full["kiosk"] is not None:
            html = autofill_off(html)
        response = HTMLResponse(html, status_code=status_code)
        # The language comes from a cookie or Accept-Language: caches must key on both.
        response.headers["Content-Language"] = full["lang"].code
        response.headers["Vary"] = "Accept-Language, Cookie"
        if public and full["person"] is None and full["kiosk"] is None:
            response.headers["Cache-Control"] = "no-cache"
        if block:
            htmx.vary(response)
        return response


    def _title(self, template: str, context: dict[str, Any]) -> str:
        """htmx takes the new page title from a <title> in the fragment. Built the same
        way as base.html's (fragments cannot render a block only the parent defines)."""
        title = render_block(self.env, template, "title", context).strip()
        if context.get("has_errors"):
            title = f"{context['gettext']('Error:')} {title}"
        return f"<title>{title} – {escape(self.site['council_name'])}</title>\n"


_AUTOCOMPLETE = re.compile(r'\sautocomplete="[^"]*"')
_FORM_TAG = re.compile(r"<form\b(?![^>]*\sautocomplete=)")


def autofill_off(html: str) -> str:
    """On a kiosk no browser may remember or offer what one person typed to the next:
    every form and field gets autocomplete="off" (only there: elsewhere autofill helps,
    WCAG 1.3.5)."""
    html = _AUTOCOMPLETE.sub(' autocomplete="off"', html)
    return _FORM_TAG.sub('<form autocomplete="off"', html)


_EXTENDS = re.compile(r"""{%-?\s*extends\s+["']([^"']+)["']""")


def render_block(env: jinja2.Environment, name: str, block: str,
                 context: dict[str, Any]) -> str:
    """Render one block of a template, including blocks it inherits from its parents
    (jinja2-fragments finds only blocks the template itself defines). Mirrors what
    Jinja does for a full render: every level's blocks are stacked, child first, so
    `super()` works too."""
    template = env.get_template(name)
    ctx = template.new_context(context)
    parent = _parent(env, name)
    while parent is not None:
        for block_name, func in env.get_template(parent).blocks.items():
            ctx.blocks.setdefault(block_name, []).append(func)
        parent = _parent(env, parent)
    if block not in ctx.blocks:
        raise KeyError(f"no block {block!r} in {name} or its parents")
    return "".join(ctx.blocks[block][0](ctx))


@cache
def _parent_cached(env_id: int, source: str) -> str | None:
    found = _EXTENDS.search(source)
    return found.group(1) if found else None


def _parent(env: jinja2.Environment, name: str) -> str | None:
    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    return _parent_cached(id(env), source)


def locale_of(request: Request) -> str:
    return str(request.scope.get("state", {}).get("locale", i18n.DEFAULT_LOCALE))


def renderer(request: Request) -> Renderer:
    return request.app.state.renderer  # type: ignore[no-any-return]
