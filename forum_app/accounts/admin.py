"""Users: staff, core team accounts and department officials."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..core.extensions import db
from ..web.access import staff_required
from .forms import UserForm
from .models import User
from .queries import all_users, department_choices
from .services import AccountError, invite_user, send_password_link, update_user

bp = Blueprint("accounts_admin", __name__, url_prefix="/<lang:lang>/admin/users")


def _form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    form.department_id.choices = [(0, "—")] + department_choices()
    if user is not None and not form.is_submitted():
        form.department_id.data = user.department_id or 0
    return form


@bp.route("/", methods=["GET", "POST"])
@staff_required("manage_users")
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
    return render_template("accounts/users.html", users=all_users(), form=form), 400 if form.errors else 200


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@staff_required("manage_users")
def user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = _form(user)
    del form.email  # the address is the login; a new address is a new account
    if form.validate_on_submit():
        update_user(user, name=form.name.data, role=form.role.data, language=form.language.data,
                    department_id=form.department_id.data or None, active=form.active.data)
        flash(_("The user is saved."), "success")
        return redirect(url_for(".users"))
    return render_template("accounts/user.html", user=user, form=form), 400 if form.errors else 200


@bp.route("/<int:user_id>/password-link", methods=["POST"])
@staff_required("manage_users")
def password_link(user_id: int):
    user = db.get_or_404(User, user_id)
    send_password_link(user)
    flash(_("A link to choose a password is sent to %(email)s.", email=user.email), "success")
    return redirect(url_for(".user", user_id=user.id))
