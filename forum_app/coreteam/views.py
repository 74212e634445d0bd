"""Public pages of the core team: what it is and how to join; the invitation to an account."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user

from .. import throttle
from ..accounts.services import AccountError
from ..extensions import db
from . import services
from ..accounts.forms import NewPasswordForm
from .forms import VolunteerForm

bp = Blueprint("coreteam", __name__, url_prefix="/<lang:lang>")


@bp.route("/core-team/", methods=["GET", "POST"])
def join():
    form = VolunteerForm()
    if form.validate_on_submit():
        try:
            throttle.check("volunteer", form.email.data or "")
        except throttle.TooMany as error:
            form.form_errors.append(str(error.message))
            return render_template("coreteam/join.html", form=form), 429
        services.add_volunteer(name=form.name.data, email=form.email.data or "", phone=form.phone.data or "",
                               language=g.lang, languages=form.languages.data or [], message=form.message.data)
        db.session.commit()
        flash(_("Thank you! The integration office will contact you about the core team."), "success")
        return redirect(url_for(".join"))
    return render_template("coreteam/join.html", form=form), 400 if form.errors else 200


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    found = services.usable_invitation(token)
    if found is None:
        abort(404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.password.data)
        except (services.CoreTeamError, AccountError) as error:
            form.form_errors.append(str(error.message))
        else:
            login_user(user)
            flash(_("Your password is saved. Welcome to the core team's workspace."), "success")
            return redirect(url_for("coreteam_admin.workspace"))
    return render_template("coreteam/invitation.html", form=form, member=found.member), 400 if form.errors else 200
