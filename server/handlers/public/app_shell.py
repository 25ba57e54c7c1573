"""The installable app: its manifest, its service worker, the offline page, and what the
worker keeps (the precache list and the clean copies of public pages)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import i18n
from server.errors import NotFound
from server.offline import pages as offline_pages
from server.rendering import locale_of, renderer
from server.web.static import StaticAssets

WORKER = "build/sw.js"
THEME_COLOUR = "#0065bd"  # SGDS $ds_colour__blue, the header's colour
BACKGROUND_COLOUR = "#ffffff"
ICONS = (("icons/icon-192.png", "192x192", "any"), ("icons/icon-512.png", "512x512", "any"),
         ("icons/icon-maskable-512.png", "512x512", "maskable"))


def _language(code: str | None) -> str:
    if code not in i18n.OFFERED_CODES:
        raise NotFound()
    return code


async def manifest(request: Request) -> JSONResponse:
    code = _language(request.query_params.get("lang", locale_of(request)))
    text = i18n.Gettext(code)
    pages = renderer(request)
    council = pages.site["council_name"]
    return JSONResponse({
        # One app whatever the language it was installed in: the id does not change.
        "id": "/", "start_url": "/", "scope": "/", "display": "standalone",
        "lang": code, "dir": "rtl" if i18n.language(code).rtl else "ltr",
        "name": text.gettext("%(council)s: council services", council=council),
        "short_name": text.gettext("Council services"),
        "description": text.gettext("Make and follow requests to %(council)s.",
                                    council=council),
        "theme_color": THEME_COLOUR, "background_color": BACKGROUND_COLOUR,
        "icons": [{"src": pages.assets.url(name), "sizes": sizes, "type": "image/png",
                   "purpose": purpose} for name, sizes, purpose in ICONS],
    }, media_type="application/manifest+json", headers={"Cache-Control": "no-cache",
                                                        "Vary": "Accept-Language, Cookie"})


def worker_script(assets: StaticAssets) -> bytes:
    """The bundled worker (pwa/sw/, built by pwa/build.mjs with its build version)."""
    asset = assets.assets.get(WORKER)
    if asset is None:
        raise NotFound()
    return asset.body


async def service_worker(request: Request) -> Response:
    # no-cache: the browser checks for a new worker on every navigation anyway; this keeps
    # any HTTP cache in between from holding an old one back.
    return Response(worker_script(renderer(request).assets), media_type="text/javascript",
                    headers={"Cache-Control": "no-cache"})


async def offline_page(request: Request) -> Response:
    return renderer(request).render(request, "offline.html", {
        "outbox": "/outbox" in offline_pages.public_paths(request.app)}, public=True)


async def precache_list(request: Request) -> JSONResponse:
    code = _language(request.path_params["lang"])
    return JSONResponse(offline_pages.precache_list(request.app, code),
                        headers={"Cache-Control": "no-cache"})


async def clean_copy(request: Request) -> Response:
    return await offline_pages.render_copy(request, request.path_params["lang"],
                                           "/" + request.path_params["path"])
