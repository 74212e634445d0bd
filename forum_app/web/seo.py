"""Who publishes the site, and what search engines and link previews read in a page's head: the page's
absolute address in each language (``hreflang`` alternates, ``x-default``, the canonical link, ``og:url``)
and the Open Graph locale.

Search engines ignore relative ``hreflang`` addresses (Google's rules, Lighthouse's "hreflang" audit), so
every address here is ``BASE_URL`` + the path, the same address an email or a poster gives.
"""

from __future__ import annotations

from email.utils import parseaddr

from flask import Flask, current_app, request, url_for

from ..i18n import DEFAULT_LANGUAGE
from ..i18n.templating import page_in

# Open Graph wants language_TERRITORY. The territory where most readers of each language live, or, for
# Arabic, the code Facebook uses for the language without one country.
OG_LOCALES = {"sv": "sv_SE", "en": "en_GB", "ar": "ar_AR", "fa": "fa_IR", "so": "so_SO", "ti": "ti_ER",
              "uk": "uk_UA"}


def publisher_name() -> str:
    """The author of the feed and the organizer of the forums' calendar events and structured data: the unit
    that runs the forum (``INTEGRATION_OFFICE_DEPARTMENT``) and its city."""
    config = current_app.config
    return f"{config['INTEGRATION_OFFICE_DEPARTMENT']}, {config['CITY_NAME']}"


def publisher_email() -> str:
    """The city's contact address (``CONTACT_EMAIL``), else the address emails come from."""
    config = current_app.config
    return config["CONTACT_EMAIL"] or parseaddr(config["MAIL_DEFAULT_SENDER"])[1]


def absolute_page_url(code: str) -> str:
    """This page's address in language ``code`` (query string kept), or that language's home page."""
    base = current_app.config["BASE_URL"].rstrip("/")
    page = page_in(code)
    return base + (page if page else url_for("site.home", lang=code)[len(request.script_root):])


def absolute_static_url(filename: str) -> str:
    """A file under ``static/`` by its content-hashed name, as an absolute address (``og:image``)."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("static", filename=filename)[len(request.script_root):]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(absolute_page_url=absolute_page_url, absolute_static_url=absolute_static_url,
                                 OG_LOCALES=OG_LOCALES,
                                 X_DEFAULT_LANGUAGE=DEFAULT_LANGUAGE)
