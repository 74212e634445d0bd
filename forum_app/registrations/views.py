"""Public registration: sign up, the confirmation, and the participant's own page behind a private link."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core import throttle
from ..core.database import Busy, begin_read, keep_after_commit
from ..core.models_base import utcnow
from ..planning.queries import public_forum_or_404, public_places_in
from ..web.links import external_url
from . import services
from .display import answers_to_check
from .forms import ChildcareChoiceForm, NeedsForm, RegistrationForm, ResendLinkForm, parse_ages
from .models import RegistrationStatus

bp = Blueprint("registrations", __name__, url_prefix="/<lang:lang>")


# Sending answers that a rule refuses once they were checked (changed on the way, or on a page that is old):
# nothing is saved, and the form says which answers to correct.
ANSWERS_CHANGED = _l("Some answers could not be sent as they were, so nothing is saved. Correct the marked "
                     "answers, then check them again.")


@bp.route("/forums/<int:forum_id>/register", methods=["GET", "POST"])
def register(forum_id: int):
    """The form (GET), and sending a registration (POST): the answers the check page carries in its hidden
    fields, or a whole form posted straight here (a page opened before the check step). Every rule is
    checked again: the answers may have been changed on the way, or the forum filled up meanwhile."""
    # While a person's answers are read and checked, and the answer page is written, nothing is written:
    # on SQLite a POST's transaction would otherwise hold the write lock that every other resident's
    # registration waits for (the rate limit and the registration take it for their own short steps).
    begin_read()
    form = RegistrationForm()
    if not form.is_submitted():
        codes = {code for code, _label in form.spoken_language.choices}
        form.spoken_language.data = g.lang if g.lang in codes else ""
        return _form_page(public_forum_or_404(forum_id), form, 200)
    if not form.validate():
        if "outlook" in request.form:  # from the check page: its answers were changed, or a rule changed
            form.form_errors.insert(0, str(ANSWERS_CHANGED))
        return _form_page(public_forum_or_404(forum_id), form, 400)
    headers = {}
    try:
        answer = _register(forum_id, form, _promised())
    except services.TryAgain as error:
        # A lock held too long (a rush, or a stuck writer): nothing was saved, the answers are kept.
        form.form_errors.append(str(error.message))
        answer, headers = 503, {"Retry-After": "30", "Cache-Control": "no-store"}
    if not isinstance(answer, int):
        return answer
    # Refused after a step that took the lock: the answers are shown again, checked, without it.
    begin_read()
    return _check_page(public_forum_or_404(forum_id), form, answer, headers)


@bp.route("/forums/<int:forum_id>/register/check", methods=["GET", "POST"])
def check_answers(forum_id: int):
    """The form's answers checked by every rule, then listed with a "Change" button each and one button
    that sends them (GOV.UK's "Check answers"). Nothing is saved here, and the answers travel in the
    page's hidden fields, never in a cookie. A "Change" button posts them back here and gets the form."""
    if request.method == "GET":  # nothing to check (a bookmark, a reload): the form
        return redirect(url_for(".register", forum_id=forum_id), 303)
    begin_read()
    forum = public_forum_or_404(forum_id)
    form = RegistrationForm()
    change = request.form.get("change")
    if change is not None:
        form.open_at(change)
        return _form_page(forum, form, 200)
    if not form.validate():
        return _form_page(forum, form, 400)
    return _check_page(forum, form, 200)


def _form_page(forum, form: RegistrationForm, status: int):  # noqa: ANN001, ANN202 - planning Forum; a response
    form.group_languages(forum)
    return render_template("registrations/register.html", forum=forum, form=form, counts=public_places_in(forum),
                           now=utcnow(), resend=ResendLinkForm(prefix="resend")), status


def _check_page(forum, form: RegistrationForm, status: int, headers: dict | None = None):  # noqa: ANN001, ANN202
    """The answers listed to check, and what sending them gives now (a place, the waiting list, or a choice
    about the childcare), so that it is said before it is sent."""
    now = utcnow()
    is_open = forum.registration_is_open(now)
    outlook = services.outlook(forum, len(parse_ages(form.children_ages.data))) if is_open else None
    return render_template("registrations/check.html", forum=forum, form=form, answers=answers_to_check(form, forum),
                           outlook=outlook, is_open=is_open, counts=public_places_in(forum), now=now), \
        status, headers or {}


def _promised() -> services.Outlook | None:
    """What the check page said sending gives; None for a form posted straight here."""
    try:
        return services.Outlook(request.form.get("outlook", ""))
    except ValueError:
        return None


def _register(forum_id: int, form: RegistrationForm, promised: services.Outlook | None):  # noqa: ANN202
    """The rate limit, then the registration: the answer page, or the status of the check page written again."""
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
        result = services.register(forum_id, form.registration_fields(g.lang), promised)
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
