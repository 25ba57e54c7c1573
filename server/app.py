"""create_app(settings): the Starlette application, its middleware and its state."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from server import councils, errors
from server.auth.session import AuthMiddleware
from server.casework.arrival import Arrivals
from server.db import Store
from server.db.schema import migrate
from server.forms.registry import FormRegistry
from server.i18n import LocaleMiddleware
from server.journeys.expiry import purge_periodically
from server.journeys.steps import RESERVED_PAGE_IDS
from server.kiosk.device import KioskMiddleware
from server.kiosk.keys import RingFile
from server.notify.sender import Sender
from server.rendering import Renderer, make_environment
from server.routes import routes
from server.settings import Settings
from server.web.access_log import AccessLogMiddleware
from server.web.client_address import ClientAddressMiddleware
from server.web.csrf import CsrfMiddleware
from server.web.ratelimit import RateLimits
from server.web.request_limits import HeaderLimitMiddleware
from server.web.security_headers import SecurityHeadersMiddleware
from server.web.static import StaticAssets

SESSION_COOKIE = "tolbooth_session"


def create_app(settings: Settings, store: Store | None = None,
               forms: FormRegistry | None = None) -> Starlette:
    owns_store = store is None  # a store passed in belongs to the caller, who closes it
    store = store or Store(settings.db_path)
    migrate(store)
    forms = forms or FormRegistry()
    for journey in forms.journeys():
        clash = {p.id for p in journey.pages} & RESERVED_PAGE_IDS
        if clash:
            raise ValueError(f"{journey.journey}: page ids {sorted(clash)} are reserved")
    assets = StaticAssets()
    site = {
        "council_name": settings.council_name,
        "contact_phone": settings.contact_phone,
        "contact_email": settings.contact_email,
        "origin": settings.origin,
        "staff_idle_seconds": settings.staff_idle_minutes * 60,
        "map_tiles": settings.map_tile_url or "",
        "map_attribution": settings.map_attribution or "",
        "map_centre": councils.load(settings.council).map_centre,
    }

    # The notices the app queues messages with, and what a request's arrival or status
    # change sets off (rules, duplicate links).
    notices = Arrivals(forms)
    sender = Sender(settings, store, forms, notices)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sender.start()
        purging = asyncio.create_task(purge_periodically(
            store, feed_keep_days=settings.field_feed_keep_days), name="purge-expired")
        yield
        purging.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await purging
        await sender.stop()
        if owns_store:
            store.close()

    # Outermost first. The error pages wrap every middleware that can fail, and sit
    # inside the security headers and the locale, so any error page has both.
    middleware = [
        Middleware(ClientAddressMiddleware, trusted=settings.trusted_proxies or ()),
        Middleware(AccessLogMiddleware),
        Middleware(SecurityHeadersMiddleware, https=settings.https,
                   img_origin=settings.map_tile_origin),
        Middleware(LocaleMiddleware),
        Middleware(errors.ErrorPagesMiddleware),
        Middleware(HeaderLimitMiddleware),
        Middleware(GZipMiddleware, minimum_size=500),
        Middleware(SessionMiddleware, secret_key=settings.secret_key,
                   session_cookie=SESSION_COOKIE, same_site="lax",
                   https_only=settings.https, max_age=None),
        Middleware(AuthMiddleware),
        Middleware(KioskMiddleware),
        Middleware(CsrfMiddleware, origin=settings.origin,
                   max_body_bytes=settings.max_body_bytes),
    ]
    app = Starlette(
        routes=routes(assets),
        middleware=middleware,
        exception_handlers={
            errors.ServiceError: errors.handle_service_error,
            HTTPException: errors.handle_http_exception,
            Exception: errors.handle_unexpected,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.forms = forms
    app.state.council = councils.load(settings.council)
    app.state.notices = notices  # queue messages with it, inside the write transaction
    app.state.arrivals = notices  # the same: named for what the request paths call
    app.state.sender = sender
    app.state.rate_limits = RateLimits(settings)
    app.state.renderer = Renderer(make_environment(), assets, site)
    app.state.kiosk_keys = RingFile(settings.data_dir, settings.kiosk_key_grace_days)
    return app
