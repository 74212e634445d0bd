"""Pages that belong to no single domain."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..accounts.access import staff_required
from ..accounts.models import Role
from ..extensions import db
from ..i18n import best_language_for_request

bp = Blueprint("site", __name__)
admin = Blueprint("admin", __name__, url_prefix="/<lang:lang>/admin")


@bp.route("/")
def root():
    return redirect(url_for("site.home", lang=best_language_for_request()))


@bp.route("/<lang:lang>/")
def home():
    return render_template("site/home.html")


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


def one_click_stop(token: str, stop, ask_template: str, done_template: str):  # noqa: ANN001, ANN201
    """An unsubscribe link: GET shows a button (mail scanners open links and must not unsubscribe);
    POST stops, and answers an RFC 8058 one-click POST from a mail program with 204."""
    from flask import Response, request

    if request.method == "POST":
        stop(token)
        if request.form.get("List-Unsubscribe") == "One-Click":
            return Response(status=204)
        return render_template(done_template)
    return render_template(ask_template, token=token)
