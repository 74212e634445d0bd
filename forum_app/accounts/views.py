"""Login and logout, in every language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from .forms import LoginForm
from .services import TooManyAttempts, authenticate

bp = Blueprint("accounts", __name__, url_prefix="/<lang:lang>")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr)
        except TooManyAttempts as exc:
            form.form_errors.append(str(exc.message))
            return render_template("accounts/login.html", form=form), 429
        if user is not None:
            login_user(user)
            flash(_("You are logged in."), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("admin.dashboard"))
        form.password.errors.append(_("The email address or password is not right."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("site.home"))
