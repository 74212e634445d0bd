"""Public pages of the core team: what it is and how to join."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from ..core import throttle
from . import services
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
        services.volunteer(name=form.name.data, email=form.email.data or "", phone=form.phone.data or "",
                           language=g.lang, languages=form.languages.data or [], message=form.message.data)
        flash(_("Thank you! The integration office will contact you about the core team."), "success")
        return redirect(url_for(".join"))
    return render_template("coreteam/join.html", form=form), 400 if form.errors else 200
