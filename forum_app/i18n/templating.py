"""Template helpers for languages: the switcher, direction, translated content, locale formats."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_translations

from . import LANGUAGES, babel_locale, current_direction, current_language
from .content import language_display_name, localize
from .gaps import missing_in
from .labels import label


def page_in(code: str) -> str | None:
    """This page's address (below the script root) in language ``code``, query string kept; None for a
    page without a language. Every such address starts with ``/<lang>/``, so swapping that segment is
    enough: every page links all seven languages twice, and this is far cheaper than ``url_for``."""
    lang = g.get("lang")
    if not lang or request.url_rule is None or "lang" not in request.url_rule.arguments:
        return None
    path = f"/{code}{quote(request.path[len(lang) + 1:])}"
    query = request.query_string.decode("latin-1")
    return f"{path}?{query}" if query else path


def language_switch_url(code: str) -> str:
    """The same page in another language (query string kept); the home page if there is none."""
    page = page_in(code)
    return request.script_root + page if page else url_for("site.home", lang=code)


def language_choice_url(code: str) -> str:
    """The switcher's link: remembers the choice (a cookie for ``/``), then shows the same page.

    A separate address, so that the pages themselves never set a cookie and stay cacheable."""
    choose = g.get("_choose_language_path")
    if choose is None:  # "/<script root>/sv/language", swapped per language below
        choose = g._choose_language_path = url_for("site.choose_language", lang="sv")
    root = request.script_root
    page = page_in(code) or f"/{code}/"
    return f"{root}/{code}{choose[len(root) + 3:]}?{urlencode({'next': page}, safe='/')}"


URL_CACHE_SIZE = 20_000


def remembered_url_for(endpoint: str, **values) -> str:  # noqa: ANN003
    """``url_for`` for templates, remembered per process.

    Flask builds each address through the ``url_defaults`` hooks and werkzeug's rule builder (about
    10 µs); a forum list builds fifty, most of them the same on every request. An internal address
    depends only on the endpoint, its values, the page's language (added by ``i18n``) and the script
    root, so the answer is kept under exactly that key, per application. Anything out of the ordinary
    (``_external``, ``_anchor``, a blueprint-relative endpoint, an unhashable value) goes to Flask."""
    if endpoint[:1] == "." or any(name[:1] == "_" for name in values) or not has_request_context():
        return url_for(endpoint, **values)
    try:
        key = (request.script_root, current_language(), endpoint, *sorted(values.items()))
        cache = current_app.extensions["remembered_urls"]
        return cache[key]
    except TypeError:  # a value that cannot be a key
        return url_for(endpoint, **values)
    except KeyError:
        if len(cache) >= URL_CACHE_SIZE:
            cache.clear()
        address = cache[key] = url_for(endpoint, **values)
        return address


def _catalogue():  # noqa: ANN202 - a babel Translations
    """The catalogue of the language being rendered (also inside ``force_locale``), found once per
    language: Flask-Babel looks the request up three times and formats the locale's name for every
    string, and a page shows thirty."""
    locale = babel_locale()
    if locale is None:
        return get_translations()
    catalogues = current_app.extensions["page_catalogues"]
    try:
        return catalogues[locale.language]
    except KeyError:
        catalogue = catalogues[locale.language] = get_translations()
        return catalogue


def init_app(app: Flask) -> None:
    app.extensions["remembered_urls"] = {}
    app.jinja_env.globals["url_for"] = remembered_url_for
    app.extensions["page_catalogues"] = {}
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _catalogue().ugettext(s),
        ngettext=lambda s, p, n: _catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: _catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # The formatting filters are registered here, with the other template helpers.
    from . import formatting

    formatting.init_app(app)
    app.jinja_env.filters["tr"] = localize
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["language_name"] = language_display_name
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        current_language=current_language,
        current_direction=current_direction,
        language_switch_url=language_switch_url,
        language_choice_url=language_choice_url,
        language_name=language_display_name,
        untranslated_in=missing_in,  # a staff page's translation status (macros/content.html)
    )
