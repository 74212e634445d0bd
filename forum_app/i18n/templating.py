"""Template helpers for languages: the switcher, direction, translated content, locale formats."""

from __future__ import annotations

from flask import Flask, request, url_for

from . import LANGUAGES, current_direction, current_language
from .content import language_display_name, localize


def language_switch_url(code: str) -> str:
    """The same page in another language (query string kept); the home page if there is none."""
    endpoint = request.endpoint
    args = dict(request.view_args or {})
    if endpoint and request.url_rule is not None and "lang" in request.url_rule.arguments:
        args.update(request.args.to_dict(flat=True))
        args["lang"] = code
        return url_for(endpoint, **args)
    return url_for("site.home", lang=code)


def language_choice_url(code: str) -> str:
    """The switcher's link: remembers the choice (a cookie for ``/``), then shows the same page.

    A separate address, so that the pages themselves never set a cookie and stay cacheable."""
    return url_for("site.choose_language", lang=code, next=language_switch_url(code))


def init_app(app: Flask) -> None:
    from . import formatting

    formatting.init_app(app)
    app.jinja_env.filters["tr"] = localize
    app.jinja_env.filters["language_name"] = language_display_name
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        current_language=current_language,
        current_direction=current_direction,
        language_switch_url=language_switch_url,
        language_choice_url=language_choice_url,
        language_name=language_display_name,
    )
