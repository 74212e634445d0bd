"""Links: the numbers a URL may carry, and absolute links for emails, calendar files and posters."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import current_app, has_request_context, request, url_for
from werkzeug.routing import IntegerConverter

# The largest id or page number any table can hold (a 32-bit signed integer column).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a number too large for the database is a plain 404, not an error
    from deep inside a query."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002, ANN001, ANN002, ANN003
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def int_arg(name: str, default: int | None = None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number from the query string; outside ``low``..``high``, or not a number, gives ``default``."""
    value = request.args.get(name, type=int)
    return value if value is not None and low <= value <= high else default


def external_url(endpoint: str, **values) -> str:  # noqa: ANN003
    """``BASE_URL`` + the path: the same link from a page, an email sent by a job, or a poster.

    ``BASE_URL`` is the address of the site's root, a folder included if it has one
    (``https://example.se/migrantforum``); the path below it is the same whether or not the proxy in front
    tells the application that folder (``SCRIPT_NAME``)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)[len(request.script_root):]
    return base + _path_outside_request(endpoint, values)


def _path_outside_request(endpoint: str, values: dict) -> str:
    """The path below the site's root that ``url_for`` gives inside a request (scheduled jobs and the CLI
    have none), from the URL map itself: a request context made for each link would cost more than the
    link, and a newsletter builds several links for every message it sends."""
    app = current_app._get_current_object()
    anchor = values.pop("_anchor", None)
    app.inject_url_defaults(endpoint, values)
    path = app.url_map.bind("localhost").build(endpoint, values)
    if anchor is not None:
        path = f"{path}#{quote(anchor, safe=_ANCHOR_SAFE)}"
    return path


_ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"  # as url_for


def back_to(default: str) -> str:
    """Where the person came from, if that was a page of this site; otherwise ``default``. A
    ``Referer`` from another host is never followed."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.scheme in ("http", "https") and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return default
