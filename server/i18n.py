"""Languages: which locale a request gets, its catalogue, and locale-aware formatting.

Order of choice: an explicit choice (cookie, later also the account), then the browser's
Accept-Language, then English. A language is offered once its catalogue exists.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, dates, numbers
from babel.support import NullTranslations, Translations
from markupsafe import Markup
from starlette.types import ASGIApp, Receive, Scope, Send

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LOCALE = "en"
COOKIE = "tolbooth_lang"
log = logging.getLogger("tolbooth.i18n")


@dataclass(frozen=True)
class Language:
    code: str
    own_name: str  # the language's name in itself: people look for their own
    rtl: bool = False


LANGUAGES = (
    Language("en", "English"),
    Language("gd", "Gàidhlig"),
    Language("pl", "Polski"),
    Language("uk", "Українська"),
    Language("ar", "العربية", rtl=True),
)


def _has_catalogue(code: str) -> bool:
    return code == DEFAULT_LOCALE or (LOCALES_DIR / code / "LC_MESSAGES" / "messages.po").exists()


OFFERED = tuple(lang for lang in LANGUAGES if _has_catalogue(lang.code))
OFFERED_CODES = tuple(lang.code for lang in OFFERED)


def language(code: str) -> Language:
    return next(lang for lang in LANGUAGES if lang.code == code)


def negotiate(cookie_value: str | None, accept_language: str | None) -> str:
    if cookie_value in OFFERED_CODES:
        return cookie_value
    for tag in _accept_language(accept_language or ""):
        primary = tag.split("-")[0].lower()
        if primary in OFFERED_CODES:
            return primary
    return DEFAULT_LOCALE


def _accept_language(header: str) -> list[str]:
    weighted = []
    for position, part in enumerate(header.split(",")[:20]):
        pieces = part.strip().split(";")
        tag = pieces[0].strip()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


@cache
def translations(code: str) -> NullTranslations:
    # English source strings are the English text, but the compiled English catalogue
    # is still loaded when present so wording fixes can land without code changes.
    return Translations.load(str(LOCALES_DIR), [code], domain="messages")


class LocaleMiddleware:
    """Puts the negotiated locale in scope["state"]["locale"] for everything downstream."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            cookie = _cookie(headers.get("cookie", ""), COOKIE)
            scope.setdefault("state", {})["locale"] = negotiate(
                cookie, headers.get("accept-language")
            )
        await self.app(scope, receive, send)


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


class Gettext:
    """The gettext family bound to one locale, in the form Jinja's newstyle i18n wants:
    placeholders are %(name)s filled from keyword arguments, output autoescaped."""

    def __init__(self, code: str, autoescape: bool = False) -> None:
        self.code = code
        self._t = translations(code)
        self._escape = autoescape

    def _finish(self, text: str, source: str, variables: dict[str, object]) -> str:
        try:
            return self._format(text, variables)
        except (KeyError, ValueError, TypeError):
            # A translation with a broken placeholder must not take the page down:
            # show the English source instead, and say so in the log.
            log.warning("broken %s translation of %r", self.code, source)
            return self._format(source, variables)

    def _format(self, text: str, variables: dict[str, object]) -> str:
        if self._escape:
            return Markup(text) % variables if variables else Markup(text)
        return text % variables if variables else text

    def gettext(self, message: str, **variables: object) -> str:
        return self._finish(self._t.gettext(message), message, variables)

    def ngettext(self, singular: str, plural: str, n: int, **variables: object) -> str:
        variables.setdefault("num", n)
        return self._finish(self._t.ngettext(singular, plural, n),
                            singular if n == 1 else plural, variables)

    def pgettext(self, context: str, message: str, **variables: object) -> str:
        return self._finish(self._t.pgettext(context, message), message, variables)


# Babel's plain "en" is US English ("November 2, 2026"); people here write "2 November 2026".
FORMAT_LOCALES = {"en": "en_GB"}


def _format_locale(code: str) -> Locale:
    return Locale.parse(FORMAT_LOCALES.get(code, code))


COUNCIL_TIME_ZONE = "Europe/London"


def format_date(value: date | datetime, code: str, format: str = "long") -> str:
    """A date, or the day a moment falls on where the council is."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(dates.get_timezone(COUNCIL_TIME_ZONE))
    return dates.format_date(value, format=format, locale=_format_locale(code))


def format_datetime(value: datetime, code: str, format: str = "medium") -> str:
    return dates.format_datetime(value, format=format, locale=_format_locale(code),
                                 tzinfo=dates.get_timezone(COUNCIL_TIME_ZONE))


def format_time(value: datetime, code: str) -> str:
    """The time of day a moment is where the council is (hub staff read "asked at")."""
    return dates.format_time(value, format="short", locale=_format_locale(code),
                             tzinfo=dates.get_timezone(COUNCIL_TIME_ZONE))


@cache
def date_formats(code: str) -> dict[str, Any]:
    """What the browser needs to write dates as format_date (long) and format_datetime
    (medium) do in this language: Babel's CLDR patterns and names, read by
    pwa/scripts/time/dates.js. server/forms/display_examples/dates-*.json hold the two
    sides to the same text."""
    locale = _format_locale(code)

    return {
        "date": locale.date_formats["long"].pattern,
        # Babel drops the quotes of the glue pattern (babel.dates.format_datetime).
        "datetime": {"glue": str(locale.datetime_formats["medium"]).replace("'", ""),
                     "date": locale.date_formats["medium"].pattern,
                     "time": locale.time_formats["medium"].pattern},
        "months": {context: {width: [locale.months[context][width][n] for n in range(1, 13)]
                             for width in ("wide", "abbreviated")}
                   for context in ("format", "stand-alone")},
        "periods": {period: dates.get_period_names("abbreviated", "format", locale)[period]
                    for period in ("am", "pm")},
    }


def format_number(value: float, code: str) -> str:
    return numbers.format_decimal(value, locale=_format_locale(code))


def lazy(message: str) -> str:
    """Marks a string for extraction where it is defined; translated where it is shown."""
    return message
