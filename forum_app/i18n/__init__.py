"""Languages, locale selection, right-to-left support and translated content.

The interface speaks seven languages. Every public URL starts with the language code
(``/ar/forums/``); the code is the one source of truth for the page's language. Without a code
(``/``) the reader is sent to the language of their cookie, else of ``Accept-Language``, else Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g, has_request_context, request
from flask.globals import _cv_app
from flask_babel import get_locale
from werkzeug.routing import BaseConverter


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    rtl: bool = False

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


# Order of the language switcher. Swedish first: it is the city's language and the fallback.
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("sv", "Svenska"),
        Language("en", "English"),
        Language("ar", "العربية", rtl=True),
        Language("fa", "فارسی", rtl=True),
        Language("so", "Soomaali"),
        Language("ti", "ትግርኛ"),
        Language("uk", "Українська"),
    )
}
DEFAULT_LANGUAGE = "sv"
LANGUAGE_COOKIE = "lang"


class LanguageConverter(BaseConverter):
    """Matches only the seven language codes, so an unknown prefix is a plain 404."""

    regex = "|".join(LANGUAGES)


def interface_language_choices() -> list[tuple[str, str]]:
    """The seven languages for a select, each named in its own script."""
    return [(code, language.native_name) for code, language in LANGUAGES.items()]


def best_language_for_request() -> str:
    """Language for a request that names none: cookie, then Accept-Language, then Swedish."""
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    best = request.accept_languages.best_match(list(LANGUAGES))
    if best:
        return best
    # Accept-Language may carry regional variants only ("ar-SA", "uk-UA").
    for value, _quality in request.accept_languages:
        base = value.split("-")[0].split("_")[0].lower()
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


def current_language() -> str:
    if has_request_context():
        lang = g.get("lang")
        if lang:
            return lang
        # A page that does not exist under a language prefix (/fa/nope) still speaks Persian.
        prefix = request.path.strip("/").split("/", 1)[0]
        if prefix in LANGUAGES:
            return prefix
        return best_language_for_request()
    return DEFAULT_LANGUAGE


def babel_locale():  # noqa: ANN201 - a babel Locale or None
    """Flask-Babel's locale for the current context (the page's, or the one ``force_locale`` set).

    A page asks for it a hundred times (every translated text, every string of the templates), and
    ``flask_babel.get_locale`` goes through three context-local proxies each time. This reads the value
    Flask-Babel keeps for the app context directly and asks Flask-Babel whenever it is not there yet (or
    a later Flask-Babel keeps it elsewhere), so the answer is always Flask-Babel's own."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return None
    locale = getattr(getattr(app_context.g, "_flask_babel", None), "babel_locale", None)
    return locale if locale is not None else get_locale()


def reader_language() -> str:
    """The language text is being rendered in: the page's, or the one forced for an email."""
    # Called for every translated text on a page: no imports or string building in here.
    locale = babel_locale()
    if locale is not None and locale.language in LANGUAGES:
        return locale.language  # our seven codes are bare languages ("uk", never "uk_UA")
    return current_language()


def current_direction() -> str:
    return LANGUAGES[current_language()].direction


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = LanguageConverter

    @app.url_value_preprocessor
    def pull_language(endpoint, values):  # noqa: ANN001 - Flask's signature
        if values and "lang" in values:
            g.lang = values.pop("lang")

    @app.url_defaults
    def add_language(endpoint, values):  # noqa: ANN001
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = current_language()


def remember_language(response, code: str):  # noqa: ANN001, ANN201 - a Flask response
    """Keep the language a person chose for their next visit to ``/``.

    Only an explicit choice sets the cookie (the switcher, see ``site.choose_language``): merely
    reading a page sets none, so public pages stay cacheable for everyone."""
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=request.is_secure or bool(current_app.config.get("SESSION_COOKIE_SECURE")),
                        httponly=True)
    return response
