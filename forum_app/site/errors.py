"""Error pages in the reader's language, for people and for the JSON API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("The file or form is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
}
MESSAGES = {
    400: _l("Please go back, reload the page and try again."),
    403: _l("If you think you should have access, ask the integration office."),
    404: _l("The page may have moved, or the link may be wrong or out of date."),
    405: _l("Please go back and try again."),
    413: _l("Please send a smaller file."),
    429: _l("Please wait a few minutes and try again."),
    500: _l("The error has been logged. Please try again in a moment."),
}
CSRF_MESSAGE = _l("The form had expired or did not come from this site. Nothing was saved. "
                  "Please go back, reload the page and send it again.")


def _render(code: int, message=None):  # noqa: ANN001
    if request.path.startswith("/api/"):
        return jsonify(error=str(TITLES.get(code, TITLES[500])), status=code), code
    return render_template(
        "errors/error.html",
        code=code,
        title=TITLES.get(code, TITLES[500]),
        message=message or MESSAGES.get(code, MESSAGES[500]),
    ), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):  # noqa: ANN001
        return _render(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _render(error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error", exc_info=error)
        from ..extensions import db

        db.session.rollback()
        return _render(InternalServerError.code)
