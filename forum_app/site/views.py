"""Pages that belong to no single domain."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..accounts.access import staff_required
from ..accounts.models import Role
from ..extensions import db
from ..http_cache import public_page
from ..i18n import best_language_for_request, remember_language

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
    target = request.args.get("next", "")
    if not target.startswith(f"/{g.lang}/") or "\\" in target:
        target = url_for("site.home")
    return remember_language(redirect(target), g.lang)


@bp.route("/<lang:lang>/")
@public_page
def home():
    return render_template("site/home.html")


@bp.route("/<lang:lang>/privacy")
@public_page
def privacy():
    from .privacy import duration, retention

    return render_template("site/privacy.html", retention=retention(), duration=duration)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)


@admin.route("/")
@staff_required(Role.ADMIN, Role.CORETEAM, Role.OFFICIAL)
def dashboard():
    return render_template("admin/dashboard.html")
