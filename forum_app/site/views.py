"""Pages that belong to no single domain."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .. import heartbeat
from ..accounts.access import staff_required
from ..extensions import db
from ..http_cache import public_page
from ..i18n import best_language_for_request, remember_language
from ..outbox.sending import needs_attention
from . import registry
from .privacy import duration, retention

bp = Blueprint("site", __name__)
admin = Blueprint("admin", __name__, url_prefix="/<lang:lang>/admin")


@bp.route("/")
def root():
    response = redirect(url_for("site.home", lang=best_language_for_request()))
    response.vary.update(("Cookie", "Accept-Language"))  # and private, no-store: see http_cache
    return response


@bp.route("/<lang:lang>/language")
def choose_language():
    """The language switcher: remember the choice for ``/``, then show the same page in that language."""
    target = request.args.get("next", "")  # below the script root, see i18n.templating
    if not target.startswith(f"/{g.lang}/") or "\\" in target:
        return remember_language(redirect(url_for("site.home")), g.lang)
    return remember_language(redirect(request.script_root + target), g.lang)


@bp.route("/<lang:lang>/")
@public_page
def home():
    return render_template("site/home.html", panels=registry.panels("home"))


@bp.route("/<lang:lang>/privacy")
@public_page
def privacy():
    return render_template("site/privacy.html", retention=retention(), duration=duration)


@bp.route("/healthz")
def healthz():
    """503 naming the failed check when the database does not answer. The scheduler's heartbeat
    and failed emails are reported as warnings: they need a person, not a restart of the web."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass
        return jsonify(status="unavailable", database=False, failed=["database"],
                       checks={"database": f"failed: {type(getattr(error, 'orig', error)).__name__}"}), 503

    warnings = []
    if heartbeat.is_silent():
        warnings.append("scheduler: no heartbeat for five minutes")
    mail = needs_attention()
    if mail["failed"]:
        warnings.append(f"mail: {mail['failed']} failed")
    if mail["stuck"]:
        warnings.append(f"mail: {mail['stuck']} waiting over an hour")
    db.session.rollback()
    return jsonify(status="ok", database=True, failed=[], checks={"database": "ok"}, warnings=warnings)


@admin.route("/")
@staff_required("see_dashboard")
def dashboard():
    return render_template("admin/dashboard.html", panels=registry.panels("dashboard"))
