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


def date_and_time(moment) -> str:  # noqa: ANN001
    """A moment as "8 december 2026, 18:00" in the reader's language and the city's time."""
    from flask_babel import format_date, format_time
    from flask_babel import gettext as _

    return _("%(date)s, %(time)s", date=format_date(moment, "long"), time=format_time(moment, "short"))


def init_app(app: Flask) -> None:
    from flask_babel import format_decimal

    app.jinja_env.filters["tr"] = localize
    app.jinja_env.filters["language_name"] = language_display_name
    app.jinja_env.filters["decimalformat"] = format_decimal
    app.jinja_env.filters["date_and_time"] = date_and_time
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        current_language=current_language,
        current_direction=current_direction,
        language_switch_url=language_switch_url,
        language_name=language_display_name,
    )
