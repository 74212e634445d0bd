"""HTTP caching: which answers a browser or a shared cache (nginx, a CDN) may keep.

One rule for the whole site, applied by one ``after_request``:

- A view marked ``@public_page`` answers a GET or HEAD with ``Cache-Control: public, max-age=60``, an
  ``ETag`` and ``304 Not Modified`` to a matching ``If-None-Match`` -- but only when the answer is the same
  for everybody: status 200, no session in the request (nobody logged in, no flash message waiting, no
  form token) and none written by it, no cookie set.
- Everything else is ``private, no-store``: staff pages, forms that keep a CSRF token in the session,
  manage links, pages after a POST, redirects that depend on a cookie.

A page is therefore cacheable only if its view says so *and* the request proves it impersonal; a page
that starts writing the session (say, a form with a CSRF token added to a public template) falls back to
``private, no-store`` instead of leaking a cookie into a cache, and the test that walks every public page
fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, g, request, session

PUBLIC_MAX_AGE = 60
View = TypeVar("View", bound=Callable)


def public_page(view: View) -> View:
    """Mark a view whose anonymous GET answer is the same for everyone (and may be cached for a minute)."""
    view.public_page = True  # type: ignore[attr-defined]
    return view


def is_public_endpoint(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return bool(getattr(view, "public_page", False))


def _impersonal(response: Response) -> bool:
    return (request.method in ("GET", "HEAD") and response.status_code == 200
            and not response.headers.getlist("Set-Cookie")
            and not session and not session.modified
            and is_public_endpoint(request.endpoint))


# Flask-Login marks any session without a login ``_fresh: False`` (and may note ``_id``); on their own
# they say nothing about the person, and kept they would make every later page of theirs private.
_BOOKKEEPING = frozenset({"_fresh", "_id"})


def _drop_bookkeeping_only_session() -> None:
    if session and session.keys() <= _BOOKKEEPING:
        session.clear()  # the cookie is deleted with this answer; the next one can be public


def apply_cache_rule(response: Response) -> Response:
    _drop_bookkeeping_only_session()
    if request.endpoint == "static" or response.headers.get("Cache-Control"):
        return response  # the view or WhiteNoise chose already (static files are immutable)
    if _impersonal(response):
        response.cache_control.public = True
        response.cache_control.max_age = PUBLIC_MAX_AGE
        response.vary.add("Cookie")  # someone logged in gets another page: a cache must not mix them
        if "lang" not in g:  # set from the address's language segment (i18n.pull_language)
            # No language in the address (the API, feeds): what it says follows Accept-Language.
            response.vary.add("Accept-Language")
        if not response.is_streamed:
            # A validator from the body: the same page gives the same ETag on every worker and host.
            response.set_etag(hashlib.blake2b(response.get_data(), digest_size=16).hexdigest())
            if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
                response.make_conditional(request)  # 304 when the copy the client holds is current
    else:
        response.cache_control.private = True
        response.cache_control.no_store = True
    return response


def init_app(app: Flask) -> None:
    # Registered first, so Flask runs it last: after every other after_request has had its say.
    app.after_request_funcs.setdefault(None, []).insert(0, apply_cache_rule)
