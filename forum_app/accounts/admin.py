"""Users: staff, core team accounts and department officials."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from .access import staff_required
from .forms import UserForm
from .models import User
from .queries import department_choices
from .services import AccountError, invite_user, send_password_link

bp = Blueprint("accounts_admin", __name__, url_prefix="/<lang:lang>/admin/users")


def _form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    form.department_id.choices = [(0, "—")] + department_choices()
    if user is not None and not form.is_submitted():
        form.department_id.data = user.department_id or 0
    return form


@bp.route("/", methods=["GET", "POST"])
@staff_required()
def users():
    form = _form()
    if form.validate_on_submit():
        try:
            user = invite_user(form.email.data, form.role.data, name=form.name.data, language=form.language.data,
                               department_id=form.department_id.data or None)
        except AccountError as error:
            form.email.errors.append(str(error.message))
        else:
            flash(_("%(email)s can now choose a password with the link we sent.", email=user.email), "success")
            return redirect(url_for(".users"))
    rows = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    return render_template("accounts/users.html", users=rows, form=form), 400 if form.errors else 200


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@staff_required()
def user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = _form(user)
    del form.email  # the address is the login; a new address is a new account
    if form.validate_on_submit():
        user.name, user.role, user.language = form.name.data, form.role.data, form.language.data
        user.department_id = form.department_id.data or None
        user.active = form.active.data
        db.session.commit()
        flash(_("The user is saved."), "success")
        return redirect(url_for(".users"))
    return render_template("accounts/user.html", user=user, form=form), 400 if form.errors else 200


@bp.route("/<int:user_id>/password-link", methods=["POST"])
@staff_required()
def password_link(user_id: int):
    user = db.get_or_404(User, user_id)
    send_password_link(user)
    flash(_("A link to choose a password is sent to %(email)s.", email=user.email), "success")
    return redirect(url_for(".user", user_id=user.id))
