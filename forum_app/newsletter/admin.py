"""Staff pages of the newsletter: issues drafted from the period, edited per language, previewed,
tested and scheduled; the year's plan against the chapter's two to four issues."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.extensions import db
from ..core.timeutil import city_today, local_naive, local_to_utc
from ..i18n import LANGUAGES, gaps
from ..web.access import staff_required
from ..web.confirm import confirm_missing_languages
from . import sending, services
from .forms import IssueForm, ScheduleForm, TestSendForm, section_form_class
from .models import Issue, IssueStatus, Section

bp = Blueprint("newsletter_admin", __name__, url_prefix="/<lang:lang>/admin/newsletter")


@bp.route("/", methods=["GET", "POST"])
@staff_required("manage_newsletter")
def index():
    form = IssueForm()
    if form.validate_on_submit():
        try:
            issue = services.create_issue(form.title.data, form.period_start.data, form.period_end.data)
        except services.NewsletterError as error:
            form.period_end.errors = [str(error.message)]
        else:
            flash(_("The issue is drafted from the period's work. Edit it before you send it."), "success")
            return redirect(url_for(".issue", issue_id=issue.id))
    issues = db.session.scalars(select(Issue).order_by(Issue.period_end.desc())).all()
    return render_template("newsletter/admin/index.html", form=form, issues=issues,
                           plan=services.year_plan(city_today().year),
                           subscribers=services.subscriber_counts()), 400 if form.errors else 200


@bp.route("/<int:issue_id>", methods=["GET", "POST"])
@staff_required("manage_newsletter")
def issue(issue_id: int):
    """The issue in one form. Adding, removing and moving an article are buttons of that same form
    (``do``): what was typed is saved first, so nothing is lost; an article being removed is not checked."""
    issue = db.get_or_404(Issue, issue_id)
    form = section_form_class(issue)(obj=issue)
    if not form.is_submitted():
        for section in issue.sections:
            getattr(form, f"heading_{section.id}").data = dict(section.heading)
            getattr(form, f"body_{section.id}").data = dict(section.body)
    editable = issue.status in (IssueStatus.DRAFT, IssueStatus.SCHEDULED)
    action, _dash, target = request.form.get("do", "save").partition("-")
    sections = {section.id: section for section in issue.sections}
    removing = sections.get(int(target)) if action == "remove" and target.isdigit() else None
    if removing is not None:
        del form[f"heading_{removing.id}"], form[f"body_{removing.id}"]
    if editable and form.validate_on_submit():
        services.save_issue(issue, title=form.title.data, sections={
            section_id: (form[f"heading_{section_id}"].data, form[f"body_{section_id}"].data)
            for section_id in sections if f"heading_{section_id}" in form})
        return _after_save(issue, action, sections.get(int(target)) if target.isdigit() else None)
    schedule_form = ScheduleForm(prefix="schedule", send_at=local_naive(issue.send_at))
    test_form = TestSendForm(prefix="test")
    return render_template("newsletter/admin/issue.html", issue=issue, form=form, editable=editable,
                           schedule_form=schedule_form, test_form=test_form, reach=services.reach(issue),
                           counts=sending.counts(issue.id)), 400 if form.errors else 200


def _after_save(issue: Issue, action: str, section: Section | None):  # noqa: ANN202 - a redirect
    if action == "add":
        added = services.add_article(issue)
        flash(_("The issue is saved and a new article is added at the end."), "success")
        return redirect(url_for(".issue", issue_id=issue.id, _anchor=f"section-{added.id}"))
    if action == "remove" and section is not None:
        services.delete_section(section)
        flash(_("The issue is saved and the article is removed."), "success")
        return redirect(url_for(".issue", issue_id=issue.id, _anchor="sections"))
    if action in ("up", "down") and section is not None:
        services.move_section(section, -1 if action == "up" else 1)
        flash(_("The issue is saved and the article is moved."), "success")
        return redirect(url_for(".issue", issue_id=issue.id, _anchor=f"section-{section.id}"))
    flash(_("The issue is saved."), "success")
    return redirect(url_for(".issue", issue_id=issue.id))


@bp.route("/<int:issue_id>/preview/<code>")
@staff_required("manage_newsletter")
def preview(issue_id: int, code: str):
    if code not in LANGUAGES:
        abort(404)
    issue = db.get_or_404(Issue, issue_id)
    _subject, _text, html = sending.IssueRenderer(issue).parts(code)
    return html


@bp.route("/<int:issue_id>/test", methods=["POST"])
@staff_required("manage_newsletter")
def test_send(issue_id: int):
    issue = db.get_or_404(Issue, issue_id)
    form = TestSendForm(prefix="test")
    if form.validate_on_submit():
        services.send_test(issue, form.email.data, form.language.data)
        flash(_("A test is sent to %(email)s.", email=form.email.data), "success")
    else:
        flash(_("Enter an email address like name@example.org."), "error")
    return redirect(url_for(".issue", issue_id=issue.id))


@bp.route("/<int:issue_id>/schedule", methods=["POST"])
@staff_required("manage_newsletter")
def schedule(issue_id: int):
    issue = db.get_or_404(Issue, issue_id)
    form = ScheduleForm(prefix="schedule")
    if form.validate_on_submit():
        try:
            services.schedule(issue, local_to_utc(form.send_at.data),
                              accept_missing=request.form.getlist("accept_missing"))
        except gaps.MissingTranslations as missing:
            return confirm_missing_languages(missing, _("Schedule anyway"), url_for(".issue", issue_id=issue.id))
        except services.NewsletterError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The issue will be sent at the chosen time."), "success")
    else:
        flash(_("Enter when to send."), "error")
    return redirect(url_for(".issue", issue_id=issue.id))


@bp.route("/<int:issue_id>/unschedule", methods=["POST"])
@staff_required("manage_newsletter")
def unschedule(issue_id: int):
    issue = db.get_or_404(Issue, issue_id)
    try:
        services.unschedule(issue)
    except services.NewsletterError as error:
        flash(str(error.message), "error")
    return redirect(url_for(".issue", issue_id=issue.id))
