"""Clean copies of the public pages, for the service worker to keep for offline use.

A clean copy is the page as someone who has never visited would see it, in a language the
URL names: no session, no draft, no person, no CSRF token, no Set-Cookie. The worker
fetches `/app/copies/<lang>/<path>` and stores the answer under the real page's URL
(`/<path>`), so an offline navigation finds it. Pages that can hold anything personal
(drafts in progress, accounts, staff, tracking, confirmations) have no clean copy.

Every copy carries `data-tb-offline-copy` on <main>: the page's scripts read it to know
they run from the worker's cache (and, on journey pages, keep the draft on the device).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Match, Route
from starlette.types import Scope

from server import i18n
from server.casework.status import quick_exit
from server.errors import NotFound
from server.forms.definition import Journey
from server.forms.registry import FormRegistry
from server.journeys.catalogue import SERVICE_TEXT
from server.journeys.contact import CONTACT, CONTACT_ANONYMOUS, contact_form
from server.journeys.contact import PAGE_ID as CONTACT_PAGE
from server.journeys.drafts import Draft
from server.journeys.question_page import render_question
from server.journeys.steps import CHECK_PAGE, flow, page_by_id
from server.kiosk.device import current_kiosk
from server.rendering import TEMPLATES_DIR, renderer
from server.web.static import StaticAssets

COPY_PREFIX = "/app/copies"
MARKER = "data-tb-offline-copy"
MAIN_TAG = b'<main id="main-content"'
# Pages that are the same for everyone, copied by calling their own handler. /outbox is
# the outbox page (its list is filled in by the browser from IndexedDB), /field the field
# app (likewise, from its encrypted store), /kiosk/receipt and /kiosk/outbox a kiosk's
# (issue 13, filled in by its script); each is copied only once a route answers it.
PUBLIC_PAGES = ("/", "/services", "/help", "/privacy", "/accessibility", "/offline", "/outbox",
                "/field", "/kiosk/receipt", "/kiosk/outbox")
# A kiosk's worker also keeps its start pages (pwa/sw/kiosk.js): the same for everyone at
# that hub, and where Finish lands offline.
KIOSK_PAGES = ("/kiosk", "/kiosk/services")
# What the worker keeps from /static: everything the pages load, not the worker itself.
SHELL_DIRS = ("build/", "vendor/", "icons/")
NOT_SHELL = ("build/manifest.json", "build/sw.js")


def copy_url(lang: str, path: str) -> str:
    return f"{COPY_PREFIX}/{lang}{path}" if path != "/" else f"{COPY_PREFIX}/{lang}/"


def journey_paths(journey: Journey) -> list[str]:
    """The start page, every question page (whatever the answers), contact and check."""
    base = f"/services/{journey.journey}"
    return [base, *(f"{base}/{p.id}" for p in journey.pages),
            f"{base}/{CONTACT_PAGE}", f"{base}/{CHECK_PAGE}"]


def public_paths(app: Any) -> list[str]:
    return [p for p in PUBLIC_PAGES if _public_route(app, p) is not None]


def precache_list(app: Any, lang: str) -> dict[str, Any]:
    """Every URL the worker keeps for a person reading in `lang`.

    shell: language-free files, kept under their own URL (versioned static files, and
        the offline page in every language for when nothing else is cached);
    pages: {"url": the real page, "copy": where its clean copy comes from};
    data: JSON kept under its own URL (form definitions, the manifest)."""
    forms: FormRegistry = app.state.forms
    assets: StaticAssets = app.state.renderer.assets
    shell = [assets.url(name) for name in sorted(assets.assets)
             if name.startswith(SHELL_DIRS) and name not in NOT_SHELL
             and not name.endswith(".map")]
    shell += [copy_url(code, "/offline") for code in i18n.OFFERED_CODES]
    paths = public_paths(app) + [p for j in forms.journeys() for p in journey_paths(j)]
    data = [f"/forms/{j.journey}/v{j.version}.{lang}.json" for j in forms.journeys()]
    data += [f"/forms/{f.id}/v{f.version}.{lang}.json" for f in (CONTACT, CONTACT_ANONYMOUS)]
    data.append(f"/manifest.webmanifest?lang={lang}")
    data.append("/kiosk/seal-key.json")  # a kiosk seals to it offline
    return {"lang": lang, "revision": _revision(tuple(shell), tuple(
                (j.journey, j.version) for j in forms.journeys())), "shell": shell,
            "pages": [{"url": p, "copy": copy_url(lang, p)} for p in paths], "data": data}


async def render_copy(request: Request, lang: str, path: str) -> Response:
    """The clean copy of the page at `path` ("/services/x/y") in `lang`; NotFound for any
    page that has none."""
    if lang not in i18n.OFFERED_CODES or not path.startswith("/"):
        raise NotFound()
    clean = clean_request(request, lang, path)
    parts = path.strip("/").split("/")
    if parts[0] == "services" and len(parts) in (2, 3):
        try:
            journey = request.app.state.forms.latest(parts[1])
        except KeyError:
            raise NotFound() from None
        response = await _journey_page(clean, journey, parts[2] if len(parts) == 3 else None)
    else:
        allowed = PUBLIC_PAGES + (KIOSK_PAGES if current_kiosk(request) else ())
        route = _public_route(request.app, path) if path in allowed else None
        if route is None:
            raise NotFound()
        response = await route.endpoint(clean)
    return _marked(response)


@cache
def _revision(shell: tuple[str, ...], journeys: tuple[tuple[str, int], ...]) -> str:
    """Changes whenever a kept copy could: templates, translations, form versions, the
    shell. The worker compares it to decide whether to fetch the pages again (a deploy
    that changes only a template leaves the worker's own version as it was)."""
    digest = hashlib.sha256(repr((shell, journeys)).encode())
    for folder in (TEMPLATES_DIR, i18n.LOCALES_DIR):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.suffix in (".html", ".mo"):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def clean_request(request: Request, lang: str, path: str) -> Request:
    """A GET of `path` by nobody in particular: no cookies, no session (so csrf_token()
    gives "" and nothing can be written to one), no htmx headers, no query."""
    keep = (b"host",)
    scope: Scope = {
        **{k: v for k, v in request.scope.items() if k not in ("session", "auth", "user")},
        "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
        "headers": [(k, v) for k, v in request.scope["headers"] if k in keep],
        # A kiosk's copies keep its layout (the kiosk is the device, not a person).
        "state": {"locale": lang, "person": None, **kiosk_state(request)},
    }
    return Request(scope)


def kiosk_state(request: Request) -> dict[str, Any]:
    """The kiosk the copy is for, as KioskMiddleware leaves it in the request's state."""
    kiosk = current_kiosk(request)
    return {"kiosk": kiosk} if kiosk is not None else {}


def _public_route(app: Any, path: str) -> Route | None:
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    for route in app.routes:
        if isinstance(route, Route) and route.matches(scope)[0] == Match.FULL:
            return route
    return None


async def _journey_page(request: Request, journey: Journey, page_id: str | None) -> Response:
    # The question pages' own renderer, with an empty draft and no session: a draft
    # lives on the device while offline, never in a shared copy.
    if page_id is None:
        return renderer(request).render(request, "journeys/start.html", {
            "journey": journey, "service_name": SERVICE_TEXT[journey.service].name,
            "first_page": journey.pages[0].id, "has_draft": False,
            "quick_exit": quick_exit(journey.service)})
    draft = Draft(journey.journey, journey.version, submission_id="")
    if page_id == CHECK_PAGE:
        return _empty_check_page(request, journey)
    form = contact_form(journey) if page_id == CONTACT_PAGE else journey
    page = page_by_id(form, page_id)
    if page is None:
        raise NotFound()
    return await render_question(request, "", journey, draft, form, page, {}, {})


def _empty_check_page(request: Request, journey: Journey) -> Response:
    """Check your answers with no answers: the outbox's script fills the two lists from
    the draft kept on the device."""
    text = i18n.Gettext(str(request.scope["state"]["locale"]))
    return renderer(request).render(request, "journeys/check.html", {
        "journey": journey,
        "sections": [{"title": None, "rows": []},
                     {"title": text.gettext("Your contact details"), "rows": []}],
        "submission_id": "",
        "action_url": f"/services/{journey.journey}/check",
        "back_url": f"/services/{journey.journey}/{flow(journey, {})[-2]}",
        "quick_exit": quick_exit(journey.service),
    })


def _marked(response: Response) -> Response:
    if response.status_code != 200 or not isinstance(response, HTMLResponse):
        return response
    body = bytes(response.body)
    if MAIN_TAG not in body:
        raise RuntimeError("base.html's <main> changed: update offline_pages.MAIN_TAG")
    body = body.replace(MAIN_TAG, MAIN_TAG + b" " + MARKER.encode(), 1)
    headers = {k: v for k, v in response.headers.items()
               if k.lower() not in ("content-length", "vary", "set-cookie")}
    # The copy depends on its URL alone; search engines should not index duplicates.
    headers.update({"Cache-Control": "no-cache", "X-Robots-Tag": "noindex"})
    return HTMLResponse(body, headers=headers)
