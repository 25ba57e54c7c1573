"""Every URL the service answers, its handler and its name. The table of contents."""

from starlette.routing import BaseRoute, Mount, Route

from .handlers import check, form_json, health, home, language, pages, questions, services, track
from .static import StaticAssets


def routes(assets: StaticAssets) -> list[BaseRoute]:
    return [
        Route("/", home.home, name="home"),
        Route("/help", pages.help_page, name="help"),
        Route("/privacy", pages.privacy, name="privacy"),
        Route("/accessibility", pages.accessibility, name="accessibility"),
        Route("/language/{code}", language.choose_language, name="language"),
        Route("/services", services.services_index, name="services"),
        Route("/services/{journey}", services.journey_start, name="journey_start"),
        Route("/services/{journey}/check", check.check_page, name="check"),
        Route("/services/{journey}/check", check.check_submit, methods=["POST"],
              name="check_submit"),
        Route("/services/{journey}/done", check.confirmation, name="confirmation"),
        Route("/services/{journey}/{page}", questions.question_page, name="question"),
        Route("/services/{journey}/{page}", questions.question_submit, methods=["POST"],
              name="question_submit"),
        Route("/forms/{journey}/{file}", form_json.form_definition, name="form_definition"),
        Route("/track", track.track_form, name="track"),
        Route("/track", track.track_submit, methods=["POST"], name="track_submit"),
        Route("/track/{token}", track.track_link, name="track_link"),
        Route("/healthz", health.healthz, name="healthz"),
        Mount("/static", app=assets, name="static"),
    ]
