"""Pages that belong to no single domain."""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..core.database import LOCK_NOT_AVAILABLE, is_busy
from ..core.extensions import db
from ..core.storage import free_megabytes
from ..i18n import best_language_for_request, remember_language
from ..jobs import heartbeat
from ..mail.outbox.queries import needs_attention
from ..privacy.notice import duration, retention
from ..web import panels as registry
from ..web.access import staff_required
from ..web.http_cache import public_page

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


HEALTH_WAIT_MS = 500  # /healthz answers within a second, whatever holds the database's write lock


def _health_check(action) -> str:  # noqa: ANN001 - a callable
    """ "ok", or what failed, in a few words that name no data."""
    try:
        action()
    except SQLAlchemyError as error:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass
        if is_busy(error) or getattr(getattr(error, "orig", None), "sqlstate", None) == LOCK_NOT_AVAILABLE:
            return "failed: busy (another connection has held the write lock for over half a second)"
        return f"failed: {type(getattr(error, 'orig', error)).__name__}"
    return "ok"


def _disk_check() -> str:
    free, least = free_megabytes(current_app.instance_path), current_app.config["HEALTH_MIN_FREE_MB"]
    return "ok" if free >= least else f"failed: {free} MB free in the instance folder, under HEALTH_MIN_FREE_MB ({least})"


def _may_see_details() -> bool:
    """Which checks failed, and why, is for the operations team: a request with ``Authorization: Bearer
    <HEALTHZ_TOKEN>`` (a monitor) or a logged-in staff member. Anyone else gets the status and the names of
    the failed checks: not whether mail is failing or the scheduler is silent."""
    token = current_app.config["HEALTHZ_TOKEN"]
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return True
    return bool(current_user.is_authenticated and current_user.can("see_dashboard"))


@bp.route("/healthz")
def healthz():
    """503 naming the failed checks: the database answers a read (``database``) and takes a write, a
    heartbeat row committed (``database_write``, waiting half a second at most for the write lock), and
    the instance folder has room (``disk``, ``HEALTH_MIN_FREE_MB``). ``status`` is "unavailable" when
    the database cannot be read, "degraded" when only writing or the disk fails. The scheduler's heartbeat
    and failed emails are reported as warnings: they need a person, not a restart of the web."""
    checks = {"database": _health_check(lambda: db.session.execute(text("SELECT 1")))}
    if checks["database"] != "ok":
        checks["disk"] = _disk_check()
        failed = [name for name, result in checks.items() if result != "ok"]
        details = {"checks": checks} if _may_see_details() else {}
        return jsonify(status="unavailable", database=False, failed=failed, **details), 503
    checks["database_write"] = _health_check(lambda: heartbeat.beat("healthz", wait_ms=HEALTH_WAIT_MS))
    checks["disk"] = _disk_check()
    failed = [name for name, result in checks.items() if result != "ok"]
    if not _may_see_details():
        db.session.rollback()
        return jsonify(status="degraded" if failed else "ok", database=True, failed=failed), 503 if failed else 200

    warnings = []
    if heartbeat.is_silent():
        warnings.append("scheduler: no heartbeat for five minutes")
    mail = needs_attention()
    if mail["failed"]:
        warnings.append(f"mail: {mail['failed']} failed")
    if mail["stuck"]:
        warnings.append(f"mail: {mail['stuck']} waiting over an hour")
    db.session.rollback()
    return jsonify(status="degraded" if failed else "ok", database=True, failed=failed, checks=checks,
                   warnings=warnings), 503 if failed else 200


@admin.route("/")
@staff_required("see_dashboard")
def dashboard():
    return render_template("admin/dashboard.html", panels=registry.panels("dashboard"))
