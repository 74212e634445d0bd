"""Errors in the reader's language: the titles and messages of the error pages (``site/errors.py``), and the
API's errors as RFC 9457 problem details."""

from __future__ import annotations

from flask import jsonify
from flask_babel import lazy_gettext as _l

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("The file or form is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is unavailable for a moment"),
}
MESSAGES = {
    400: _l("Please go back, reload the page and try again."),
    403: _l("If you think you should have access, ask the integration office."),
    404: _l("The page may have moved, or the link may be wrong or out of date."),
    405: _l("Please go back and try again."),
    413: _l("Please send a smaller file."),
    429: _l("Please wait a few minutes and try again."),
    500: _l("The error has been logged. Please try again in a moment."),
    503: _l("We cannot reach our database just now. Nothing was saved. Please try again in a few minutes."),
}


def problem(code: int, detail: str, **extra):  # noqa: ANN003, ANN201 - a JSON response
    """An error of the API as RFC 9457 "problem details", in the reader's language (``Accept-Language``);
    ``error`` repeats the title for clients written against the first version."""
    title = str(TITLES.get(code, TITLES[500]))
    response = jsonify(type="about:blank", title=title, status=code, detail=detail, error=title, **extra)
    response.status_code = code
    response.mimetype = "application/problem+json"
    return response
