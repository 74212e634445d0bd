"""Forms that a cached public page can hold: protected by the browser's Origin header, not a cookie.

A CSRF token lives in the session, so a page that shows one sets a cookie and can never be cached. The
small public forms that only *start* a double opt-in (subscribe to the newsletter, follow a
recommendation) use this instead: modern browsers name the page a POST comes from (``Origin``, and
``Sec-Fetch-Site``), and we accept the post only from our own pages. A browser too old to send either
is let through; the emailed confirmation link, and the per-address limits in ``throttle``, stop abuse.
Their views are exempt from the session-bound CSRF check (``csrf.exempt``) and use ``CookielessForm``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import lazy_gettext as _l

from .forms import FlaskForm

FOREIGN_POST = _l("This form can only be sent from this website. Please fill it in on this page.")


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def from_this_site() -> bool:
    """True unless the browser says the POST came from another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    ours = {request.host.lower(), _host(current_app.config.get("BASE_URL", ""))}
    return _host(origin) in ours


class CookielessForm(FlaskForm):
    class Meta:
        csrf = False

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001 - WTForms' signature
        valid = super().validate(extra_validators)
        if not from_this_site():
            self.form_errors.append(str(FOREIGN_POST))
            return False
        return valid
