"""Public registration: sign up, the confirmation, and the participant's own page behind a private link."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core import throttle
from ..core.database import Busy, begin_read, keep_after_commit
from ..core.models_base import utcnow
from ..planning.queries import public_forum_or_404, public_places_in
from ..web.links import external_url
from . import services
from .forms import ChildcareChoiceForm, NeedsForm, RegistrationForm, ResendLinkForm
from .models import RegistrationStatus

bp = Blueprint("registrations", __name__, url_prefix="/<lang:lang>")


@bp.route("/forums/<int:forum_id>/register", methods=["GET", "POST"])
def register(forum_id: int):
    # While a person's answers are read and checked, and the answer page is written, nothing is written:
    # on SQLite a POST's transaction would otherwise hold the write lock that every other resident's
    # registration waits for (the rate limit and the registration take it for their own short steps).
    begin_read()
    now = utcnow()
    form = RegistrationForm()
    forum = None  # a post reads it under the registration's lock, or when the form is written again
    if not form.is_submitted():
        forum = public_forum_or_404(forum_id)
        codes = {code for code, _label in form.spoken_language.choices}
        form.spoken_language.data = g.lang if g.lang in codes else ""
    headers = {}
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
    else:
        try:
            answer = _register(forum_id, form)
        except services.TryAgain as error:
            # A lock held too long (a rush, or a stuck writer): nothing was saved, the form keeps what was typed.
            form.form_errors.append(str(error.message))
            status, headers = 503, {"Retry-After": "30", "Cache-Control": "no-store"}
        else:
            if not isinstance(answer, int):
                return answer
            status = answer
    if status in (409, 429, 503):  # refused after a step that took the lock: the form is written again without it
        begin_read()
    forum = forum or public_forum_or_404(forum_id)
    form.group_languages(forum)
    return render_template("registrations/register.html", forum=forum, form=form, counts=public_places_in(forum),
                           now=now, resend=ResendLinkForm(prefix="resend")), status, headers


def _register(forum_id: int, form: RegistrationForm):  # noqa: ANN202 - the answer page, or the form's status
    """The rate limit, then the registration: the answer page, or the status of the form written again."""
    try:
        allowed = throttle.registration_allowed()
    except Busy as error:
        raise services.TryAgain() from error
    if not allowed:
        form.form_errors.append(_("Many people have been registered from this connection in the last hour. "
                                  "Please try again later, or call or write to the integration office "
                                  "and we will register you."))
        return 429
    # The registration reads the forum under its lock (a forum that is not open, or not there, is
    # refused), and the answer page shows it and what the registration saved, as saved.
    keep_after_commit()
    try:
        result = services.register(forum_id, form.registration_fields(g.lang))
    except services.TryAgain:
        raise
    except services.RegistrationError as error:
        form.form_errors.append(str(error.message))
        return 409
    begin_read()
    manage_url = (external_url("registrations.manage", lang=g.lang, token=result.token)
                  if result.shows_link else None)
    choice = ChildcareChoiceForm(formdata=None, data={"choice": result.choice}) if result.childcare_full else None
    return render_template("registrations/registered.html", forum=result.forum, result=result,
                           manage_url=manage_url, choice=choice), 200, {"Cache-Control": "private, no-store"}


@bp.route("/forums/<int:forum_id>/register/childcare", methods=["POST"])
def childcare_choice(forum_id: int):
    """The answer page's choice when the childcare was full: come without childcare, or wait for a place."""
    form = ChildcareChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    without = request.form.get("come") == "without"
    try:
        chosen = services.choose_childcare(form.choice.data, without)
    except services.RegistrationError as error:
        flash(str(error.message), "error")
        return redirect(url_for("planning.forum", forum_id=forum_id))
    if chosen.token:  # no email address: the page showed the private link, and now shows where they stand
        flash(_came_without_message(chosen.registration) if without else
              _("You are on the waiting list for a childcare place. If one becomes free, it goes to the first "
                "person on the list who needs it."), "success")
        return redirect(url_for(".manage", token=chosen.token))
    # With an email address one answer for everyone, as the registration's answer page (services.Registered).
    forum = public_forum_or_404(forum_id)
    return render_template("registrations/childcare_chosen.html", forum=forum), 200, {
        "Cache-Control": "private, no-store"}


def _came_without_message(registration) -> str:  # noqa: ANN001
    if registration.status is RegistrationStatus.CONFIRMED:
        return _("Your place is confirmed, without childcare. Welcome!")
    return _("The forum filled up meanwhile: you are on the waiting list for a place, without childcare.")


@bp.route("/forums/<int:forum_id>/resend-link", methods=["POST"])
def resend_link(forum_id: int):
    forum = public_forum_or_404(forum_id)
    form = ResendLinkForm(prefix="resend")
    if form.validate_on_submit():
        try:
            throttle.check("resend-link", form.email.data)
        except throttle.TooMany as error:
            flash(str(error.message), "error")
            return redirect(url_for("planning.forum", forum_id=forum.id))
        services.offer_new_link(forum.id, form.email.data)
        # The same answer whether or not the address is registered: nobody can probe who is coming.
        flash(_("If this address or number is registered for the forum, a message with a way to get a new "
                "private link is on its way."), "success")
        return redirect(url_for("planning.forum", forum_id=forum.id))
    flash(str(form.email.errors[0]) if form.email.errors else _("Enter your email address or mobile number."), "error")
    return redirect(url_for(".register", forum_id=forum.id))


@bp.route("/registration/new-link/<offer>", methods=["GET", "POST"])
def new_link(offer: str):
    """The button in an emailed offer of a new link (GET shows it, so a mail scanner changes nothing);
    pressing it replaces the private link and opens the registration with the new one."""
    if request.method == "POST":
        token = services.take_new_link(offer)
        if token is not None:
            flash(_("This is your new private link. Keep it: the old one no longer works."), "success")
            return redirect(url_for(".manage", token=token))
    elif services.new_link_offered(offer) is not None:
        return render_template("registrations/new_link.html")
    return render_template("registrations/new_link_gone.html"), 410


def _registration_or_404(token: str):
    """The registration behind a private link. A cancelled one still opens, read-only, so that its owner
    can download or delete what it holds until it is anonymised (then the link stops working)."""
    registration = services.by_token(token)
    if registration is None:
        abort(404)
    return registration


@bp.route("/registration/<token>", methods=["GET", "POST"])
def manage(token: str):
    registration = _registration_or_404(token)
    cancelled = registration.status is RegistrationStatus.CANCELLED
    changeable = not cancelled and services.can_still_change(registration)
    form = NeedsForm()
    if not form.is_submitted():
        form.fill_from(registration)
    if form.is_submitted() and not changeable:  # a read-only registration: say why, change nothing
        form.form_errors.append(_("This registration is cancelled. You can still download or delete your "
                                  "information here.") if cancelled else str(services.ForumOver().message))
    elif form.validate_on_submit():
        was_waiting = registration.status is RegistrationStatus.WAITING
        try:
            registration = services.change_needs(registration.id, form.needs_fields())
        except services.RegistrationError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("Your changes are saved, and your place is confirmed. Welcome!")
                  if was_waiting and registration.status is RegistrationStatus.CONFIRMED
                  else _("Your changes are saved."), "success")
            return redirect(url_for(".manage", token=token))
    form.group_languages(registration.forum)
    page = render_template("registrations/manage.html", registration=registration, forum=registration.forum,
                           form=form, token=token, position=services.waiting_position(registration),
                           changeable=changeable, cancelled=cancelled,
                           held_by_childcare=changeable and services.held_by_childcare(registration),
                           can_register_again=cancelled and registration.forum.registration_is_open(utcnow()))
    # A private page: never kept by a shared computer's browser or a proxy.
    return page, 400 if (form.errors or form.form_errors) else 200, {"Cache-Control": "no-store"}


@bp.route("/registration/<token>/without-childcare", methods=["POST"])
def without_childcare(token: str):
    """From the manage page of someone waiting only for a childcare place: come without childcare."""
    registration = _registration_or_404(token)
    try:
        registration = services.come_without_childcare(registration.id)
    except services.RegistrationError as error:
        flash(str(error.message), "error")
    else:
        flash(_came_without_message(registration), "success")
    return redirect(url_for(".manage", token=token))


@bp.route("/registration/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    """"Cancel my registration" asks first: a page with one button (a link opened by mistake, or by a mail
    scanner, changes nothing); the button cancels, and the private page then says it is cancelled."""
    registration = _registration_or_404(token)
    if registration.status is RegistrationStatus.CANCELLED:
        return redirect(url_for(".manage", token=token))
    if request.method == "GET":
        if not services.can_still_change(registration):
            return redirect(url_for(".manage", token=token))
        return render_template("registrations/cancel.html", registration=registration, forum=registration.forum,
                               token=token), 200, {"Cache-Control": "no-store"}
    try:
        services.cancel(registration.id)
    except services.RegistrationError as error:
        flash(str(error.message), "error")
        return redirect(url_for(".manage", token=token))
    flash(_("Your registration is cancelled. Thank you for letting us know."), "success")
    return redirect(url_for(".manage", token=token))


@bp.route("/registration/<token>/data", methods=["POST"])
def download_data(token: str):
    """"Download my data": the registration as JSON, for the person behind the private link only."""
    registration = _registration_or_404(token)
    body = json.dumps(services.export_own(registration.id), ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="my-registration.json"', "Cache-Control": "no-store"})


@bp.route("/registration/<token>/delete", methods=["POST"])
def delete(token: str):
    registration = _registration_or_404(token)
    services.delete_personal_data(registration.id)
    flash(_("All your information for this forum has been deleted."), "success")
    return redirect(url_for("planning.forums"))




# --- the short links an SMS carries ---------------------------------------------------------------

short = Blueprint("registrations_short", __name__, url_prefix="/r")


@short.route("/<token>", endpoint="manage")
def short_manage(token: str):
    """``/r/<token>``: the private page, in the language the person registered in (an SMS has no room for
    the language in its link). Private: nothing kept by a browser or a proxy, no cookie."""
    registration = _registration_or_404(token)
    # Private (the site's default for a page that is not public: "private, no-store"), no cookie.
    return redirect(url_for("registrations.manage", lang=registration.language, token=token), 303), \
        {"Referrer-Policy": "no-referrer"}


@short.route("/n/<offer>", endpoint="new_link")
def short_new_link(offer: str):
    """``/r/n/<offer>``: an offer of a new private link sent by SMS, opened in its owner's language."""
    registration = services.new_link_offered(offer)
    lang = registration.language if registration is not None else "sv"
    return redirect(url_for("registrations.new_link", lang=lang, offer=offer), 303), {"Referrer-Policy": "no-referrer"}
