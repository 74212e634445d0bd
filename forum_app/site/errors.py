"""Error pages in the reader's language, for people and for the JSON API."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..core.database import Busy, is_busy
from ..core.extensions import db
from ..web.problems import MESSAGES, TITLES, problem

BUSY_MESSAGE = _l("Many people are doing the same thing right now. Nothing was saved. Please try again in a moment.")
CSRF_MESSAGE = _l("The form had expired or did not come from this site. Nothing was saved. "
                  "Please go back, reload the page and send it again.")


def _render(code: int, message=None):  # noqa: ANN001
    if request.path.startswith("/api/"):
        return problem(code, str(message or MESSAGES.get(code, MESSAGES[500]))), code
    return render_template(
        "errors/error.html",
        code=code,
        title=TITLES.get(code, TITLES[500]),
        message=message or MESSAGES.get(code, MESSAGES[500]),
    ), code


def _rollback_quietly() -> None:
    """End the failed transaction; a database that went away cannot, and the page is shown all the same."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass


def _forget_session() -> None:
    """End the failed transaction, and render the page as for a visitor: looking up who is logged
    in would ask the database again."""
    _rollback_quietly()
    g._login_user = current_app.login_manager.anonymous_user()


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):  # noqa: ANN001
        return _render(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        body, code = _render(error.code)
        allowed = getattr(error, "valid_methods", None)  # a 405 says which methods the address takes
        return (body, code, {"Allow": ", ".join(allowed)}) if allowed else (body, code)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(Busy)
    def database_unavailable(error: Exception):
        # The database is down or restarting (or, on SQLite, busy for too long): a page that says
        # so, not a traceback. Once it answers again, the pool's pre-ping reconnects by itself.
        app.logger.warning("database unavailable: %s", error)
        _forget_session()
        body, code = _render(503, BUSY_MESSAGE if isinstance(error, Busy) or is_busy(error) else None)
        return body, code, {"Retry-After": "30", "Cache-Control": "no-store"}

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error", exc_info=error)
        _rollback_quietly()
        return _render(InternalServerError.code)

    @app.teardown_appcontext
    def end_session(_error) -> None:  # noqa: ANN001
        """End the request's session here, where a failure is caught, before Flask-SQLAlchemy's own
        teardown (teardowns run last-registered first), whose error would escape every handler and
        become the server's bare 500 in place of the page already written: the rollback at the end
        of a request fails when the database server went away (a PostgreSQL restart) meanwhile."""
        try:
            db.session.remove()
        except SQLAlchemyError as error:
            app.logger.warning("the database connection broke at the end of a request: %s", error)
            try:
                db.session().invalidate()  # the pool forgets the broken connection, without a rollback
            except SQLAlchemyError:
                pass
            db.session.registry.clear()
