"""Every URL the service answers, its handler and its name. The table of contents."""

from starlette.routing import BaseRoute, Mount, Route

from .handlers import health, home, language, pages
from .static import StaticAssets


def routes(assets: StaticAssets) -> list[BaseRoute]:
    return [
        Route("/", home.home, name="home"),
        Route("/help", pages.help_page, name="help"),
        Route("/privacy", pages.privacy, name="privacy"),
        Route("/accessibility", pages.accessibility, name="accessibility"),
        Route("/language/{code}", language.choose_language, name="language"),
        Route("/healthz", health.healthz, name="healthz"),
        Mount("/static", app=assets, name="static"),
    ]
