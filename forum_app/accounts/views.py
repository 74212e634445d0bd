"""Login and logout, in every language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..core import throttle
from .forms import ForgotPasswordForm, LoginForm, NewPasswordForm
from .models import User
from .services import (
    AccessEnded,
    AccountError,
    TooManyAttempts,
    authenticate,
    log_out,
    request_password_reset,
    user_for_password_token,
)
from .services import set_password as set_new_password

bp = Blueprint("accounts", __name__, url_prefix="/<lang:lang>")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _start_session(user: User) -> None:
    """A fresh session at login: nothing from before (a planted session or CSRF token) carries over."""
    session.clear()
    login_user(user)


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
        except AccessEnded as exc:
            form.form_errors.append(str(exc.message))
            return render_template("accounts/login.html", form=form), 401
        if user is not None:
            _start_session(user)
            flash(_("You are logged in."), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("admin.dashboard"))
        form.password.errors.append(_("The email address or password is not right."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            throttle.check("password-reset", form.email.data)
        except throttle.TooMany as exc:
            form.form_errors.append(str(exc.message))
            return render_template("accounts/forgot_password.html", form=form), 429
        request_password_reset(form.email.data)
        # The same answer whether or not the address has an account.
        flash(_("If the address has an account, a link to choose a new password is on its way."), "success")
        return redirect(url_for(".login"))
    return render_template("accounts/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = user_for_password_token(token)
    if user is None:
        abort(404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = set_new_password(token, form.password.data)
        except AccountError as error:
            form.password.errors.append(str(error.message))
        else:
            _start_session(user)
            flash(_("Your password is saved."), "success")
            return redirect(url_for("admin.dashboard"))
    return render_template("accounts/set_password.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        log_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("site.home"))
