"""Staff pages of the plan: mandate and topics, forums, organisations, budget."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import city_today, local_naive, local_to_utc, year_arg
from ..i18n import gaps
from ..i18n.content import localize
from ..web import panels as registry
from ..web.access import staff_required
from ..web.confirm import confirm_missing_languages
from ..web.csvexport import csv_response
from ..web.links import int_arg
from . import queries, services
from .display import format_advice
from .forms import (
    AgreementForm,
    BudgetLineForm,
    CancelForumForm,
    ConsultationForm,
    CopyForumForm,
    ForumForm,
    MandateForm,
    OrganisationForm,
    PartnerInvitationForm,
    SameQuestionForm,
    SideEventForm,
    TopicForm,
    category_labels,
    forum_choices,
    kind_choices,
    position_text,
    topic_choices,
)
from .models import BudgetCategory, BudgetLine, Forum, Mandate, Organisation, Proposal, SideEvent, Topic

bp = Blueprint("planning_admin", __name__, url_prefix="/<lang:lang>/admin")


def _year() -> int:
    return year_arg(request.args)


# --- mandate and topics ---------------------------------------------------------------------

@bp.route("/topics/")
@staff_required("see_plan")
def topics():
    year = _year()
    mandate = db.session.scalar(select(Mandate).where(Mandate.year == year))
    year_topics = db.session.scalars(select(Topic).where(Topic.year == year).order_by(Topic.id)).all()
    return render_template("planning/admin/topics.html", year=year, mandate=mandate, topics=year_topics,
                           limit=services.MAX_TOPICS_PER_YEAR)


@bp.route("/mandate/<int:year>", methods=["GET", "POST"])
@staff_required("manage_plan")
def mandate(year: int):
    current = db.session.scalar(select(Mandate).where(Mandate.year == year))
    form = MandateForm(obj=current)
    if form.validate_on_submit():
        services.save_mandate(year, decided_by=form.decided_by.data, decided_on=form.decided_on.data,
                              decision_reference=form.decision_reference.data, description=form.description.data,
                              core_team_agreed_on=form.core_team_agreed_on.data)
        flash(_("The mandate for %(year)d is saved.", year=year), "success")
        return redirect(url_for(".topics", year=year))
    return render_template("planning/admin/mandate_form.html", form=form, year=year), 400 if form.errors else 200


def _from_proposal(form: TopicForm) -> None:
    """A new topic made from a question of the call: its words as the title, its origin, its year."""
    proposal = db.session.get(Proposal, request.args.get("proposal", type=int) or 0)
    if proposal is None:
        return
    form.proposal_id.data = proposal.id
    form.year.data = proposal.consultation.year
    form.title.data = {proposal.language: proposal.question[:200]}
    form.origin.data = services.origin_of(proposal)


def _topic_form_page(topic: Topic | None):
    form = TopicForm(obj=topic)
    if topic is not None and not form.is_submitted():
        for field, question in zip(form.question_fields(), topic.questions):
            field.data = question.text
    elif topic is None and not form.is_submitted():
        form.year.data = _year()
        _from_proposal(form)
    if form.validate_on_submit():
        proposal = {"proposal_id": form.proposal_id.data} if topic is None and form.proposal_id.data else {}
        try:
            saved = services.save_topic(
                topic, year=form.year.data, questions=[f.data for f in form.question_fields()],
                title=form.title.data, background=form.background.data, origin=form.origin.data,
                within_competence=form.within_competence.data, district=form.district.data, **proposal)
        except services.PlanningError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("The topic is saved."), "success")
            return redirect(url_for(".topics", year=saved.year))
    count = services.topics_in_year(form.year.data) if form.year.data else 0
    return render_template("planning/admin/topic_form.html", form=form, topic=topic, count=count,
                           agreement_form=_agreement_form(topic),
                           limit=services.MAX_TOPICS_PER_YEAR), 400 if (form.errors or form.form_errors) else 200


def _agreement_form(topic: Topic | None, form: AgreementForm | None = None) -> AgreementForm | None:
    if topic is None:
        return None
    return form or AgreementForm(prefix="agreement", agreed_on=topic.core_team_agreed_on,
                                 note=topic.core_team_agreement)


def _topic_page(topic: Topic, agreement_form: AgreementForm | None = None, code: int = 200):
    """A topic as the core team reads it: title, background, questions, and its agreement."""
    return render_template("planning/admin/topic.html", topic=topic,
                           agreement_form=_agreement_form(topic, agreement_form)), code


@bp.route("/topics/consultation", methods=["GET", "POST"])
@staff_required("manage_consultation")
def consultation():
    """The year's call for questions: open it, then see the proposals grouped by question."""
    year = _year()
    call = queries.consultation_for(year)
    form = ConsultationForm(obj=call)
    if form.validate_on_submit():
        services.open_consultation(year, closes_on=form.closes_on.data, intro=form.intro.data)
        flash(_("The call for questions for %(year)d is saved.", year=year), "success")
        return redirect(url_for(".consultation", year=year))
    groups = queries.question_groups(call) if call else []
    same_forms = {}
    for group in groups:
        for proposal in group.group:
            same = SameQuestionForm(prefix=f"p{proposal.id}", same_as=proposal.same_as_id or 0)
            same.same_as.choices = [(0, _("A question of its own"))] + [
                (other.id, f"{other.id}. {other.question[:80]}") for other in groups if other.id != proposal.id]
            same_forms[proposal.id] = same
    return render_template("planning/admin/consultation.html", year=year, call=call, form=form, groups=groups,
                           same_forms=same_forms, topics=queries.topics_made_from(call) if call else {},
                           today=city_today()), 400 if form.errors else 200


@bp.route("/topics/proposals/<int:proposal_id>/same", methods=["POST"])
@staff_required("manage_consultation")
def same_question(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    form = SameQuestionForm(prefix=f"p{proposal.id}")
    form.same_as.choices = [(0, "")] + [(p.id, "") for p in proposal.consultation.proposals]
    if form.validate_on_submit():
        target = db.session.get(Proposal, form.same_as.data) if form.same_as.data else None
        try:
            services.mark_same_question(proposal, target)
        except services.PlanningError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Saved: the proposals are grouped again."), "success")
    else:
        flash(_("Choose a question from the list."), "error")
    return redirect(url_for(".consultation", year=proposal.consultation.year, _anchor=f"proposal-{proposal.id}"))


@bp.route("/topics/new", methods=["GET", "POST"])
@staff_required("manage_plan")
def new_topic():
    return _topic_form_page(None)


@bp.route("/topics/<int:topic_id>", methods=["GET", "POST"])
@staff_required("see_plan")
def edit_topic(topic_id: int):
    """Staff who plan edit the topic here; the core team reads it and records its agreement."""
    topic = db.get_or_404(Topic, topic_id)
    if current_user.can("manage_plan"):
        return _topic_form_page(topic)
    if request.method == "POST":
        abort(403)
    return _topic_page(topic)


@bp.route("/topics/<int:topic_id>/agreement", methods=["POST"])
@staff_required("agree_topics")
def topic_agreement(topic_id: int):
    topic = db.get_or_404(Topic, topic_id)
    form = AgreementForm(prefix="agreement")
    if form.validate_on_submit():
        try:
            services.record_agreement(topic, agreed_on=form.agreed_on.data, note=form.note.data or "")
        except services.PlanningError as error:
            form.agreed_on.errors = [str(error.message)]
        else:
            flash(_("The core team's agreement is recorded."), "success")
            return redirect(url_for(".edit_topic", topic_id=topic.id, _anchor="agreement"))
    return _topic_page(topic, form, 400)  # the refusal beside the date, with what was typed


@bp.route("/topics/<int:topic_id>/delete", methods=["POST"])
@staff_required("manage_plan")
def delete_topic(topic_id: int):
    topic = db.get_or_404(Topic, topic_id)
    year = topic.year
    try:
        services.delete_topic(topic)
    except services.PlanningError as error:
        flash(str(error.message), "error")
        return redirect(url_for(".edit_topic", topic_id=topic_id))
    flash(_("The topic is deleted."), "success")
    return redirect(url_for(".topics", year=year))


# --- forums ---------------------------------------------------------------------------------

@bp.route("/forums/")
@staff_required("see_forums")
def forums():
    """Drafts included: the coming forums and this year's, or ``?year=`` an earlier year's."""
    forums = queries.forum_list(int_arg("year", low=2000, high=2100), queries.STAFF_STATUSES)
    return render_template("planning/admin/forums.html", forums=forums,
                           counts=queries.places(forums.coming + forums.earlier))


# What "copy from an earlier forum" takes: everything but the dates and the registrations.
COPIED_FIELDS = tuple(name for name in services.FORUM_FIELDS
                      if name not in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"))


def _forum_form(forum: Forum | None, earlier: Forum | None = None) -> ForumForm:
    form = ForumForm(obj=forum)
    if earlier is not None and not form.is_submitted():
        for name in COPIED_FIELDS:
            if hasattr(form, name):  # the map position is one box for two columns: below
                getattr(form, name).data = getattr(earlier, name)
        form.partner_ids.data = [o.id for o in earlier.partners]
        form.venue_position.data = position_text(earlier.venue_latitude, earlier.venue_longitude)
    form.topic_id.choices = topic_choices()
    form.partner_ids.choices = [(o.id, o.name) for o in
                                db.session.scalars(select(Organisation).order_by(Organisation.name))]
    if forum is not None and not form.is_submitted():
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            getattr(form, name).data = local_naive(getattr(forum, name))
        form.partner_ids.data = [o.id for o in forum.partners]
        form.venue_position.data = position_text(forum.venue_latitude, forum.venue_longitude)
    return form


def _forum_fields(form: ForumForm) -> dict:
    fields = {name: getattr(form, name).data for name in services.FORUM_FIELDS if hasattr(form, name)}
    fields.update(form.position())  # one box for the position, as a map gives it: two columns
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        fields[name] = local_to_utc(fields[name]) if fields[name] else None
    return fields


def _forum_form_page(forum: Forum | None):
    copy_form = CopyForumForm(request.args) if forum is None else None
    earlier = None
    if copy_form is not None:
        copy_form.copy.choices = [(0, "—")] + forum_choices()
        earlier = db.session.get(Forum, copy_form.copy.data) if copy_form.copy.data else None
    form = _forum_form(forum, earlier)
    move_people = 0
    if form.validate_on_submit():
        try:
            target = services.save_forum(forum, partner_ids=form.partner_ids.data or [],
                                         confirm_move=form.confirm_move.data, **_forum_fields(form))
        except services.MoveNeedsConfirmation as asked:
            move_people = asked.people  # the page says how many will be told, and asks
            form.form_errors.append(str(asked.message))
        except services.PlanningError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("The forum is saved."), "success")
            if not any((target.venue_access or {}).values()):
                flash(_("Nothing is written about access yet. Residents who use a wheelchair, a walker or a pram, or "
                        "who need a hearing loop, decide on it: write how to get in and around."), "warning")
            advice = format_advice(target)
            if advice:
                flash(advice, "warning")
            return redirect(url_for(".forum", forum_id=target.id))
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("planning/admin/forum_form.html", form=form, forum=forum, copy_form=copy_form,
                           copied=earlier, move_people=move_people), status


@bp.route("/forums/new", methods=["GET", "POST"])
@staff_required("manage_forums")
def new_forum():
    return _forum_form_page(None)


@bp.route("/forums/<int:forum_id>/edit", methods=["GET", "POST"])
@staff_required("manage_forums")
def edit_forum(forum_id: int):
    return _forum_form_page(db.get_or_404(Forum, forum_id))


@bp.route("/forums/<int:forum_id>")
@staff_required("see_forums")
def forum(forum_id: int):
    forum = db.get_or_404(Forum, forum_id)
    return render_template("planning/admin/forum.html", forum=forum, counts=queries.places_in(forum),
                           panels=registry.panels("forum_admin", forum), now=utcnow())


@bp.route("/forums/<int:forum_id>/programme", methods=["GET", "POST"])
@staff_required("manage_forums")
def side_programme(forum_id: int):
    """The side programme of a full-day forum: add an item, see and delete the others."""
    forum = db.get_or_404(Forum, forum_id)
    form = SideEventForm()
    if form.validate_on_submit():
        day = local_naive(forum.starts_at).date()
        try:
            services.add_side_event(forum, starts_at=local_to_utc(datetime.combine(day, form.time.data)),
                                    title=form.title.data, text=form.text.data)
        except services.PlanningError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("The item is added to the side programme."), "success")
            return redirect(url_for(".side_programme", forum_id=forum.id))
    return render_template("planning/admin/side_programme.html", forum=forum, form=form), \
        400 if (form.errors or form.form_errors) else 200


@bp.route("/forums/<int:forum_id>/programme/<int:item_id>/delete", methods=["POST"])
@staff_required("manage_forums")
def delete_side_event(forum_id: int, item_id: int):
    item = db.get_or_404(SideEvent, item_id)
    if item.forum_id != forum_id:
        abort(404)
    services.delete_side_event(item)
    flash(_("The item is removed from the side programme."), "success")
    return redirect(url_for(".side_programme", forum_id=forum_id))


@bp.route("/forums/<int:forum_id>/publish", methods=["POST"])
@staff_required("manage_forums")
def publish_forum(forum_id: int):
    forum = db.get_or_404(Forum, forum_id)
    try:
        services.publish_forum(forum, accept_missing=request.form.getlist("accept_missing"))
    except gaps.MissingTranslations as missing:
        return confirm_missing_languages(missing, _("Publish anyway"), url_for(".forum", forum_id=forum_id))
    except services.PlanningError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The forum is published. Residents can now register."), "success")
    return redirect(url_for(".forum", forum_id=forum_id))


@bp.route("/forums/<int:forum_id>/held", methods=["POST"])
@staff_required("manage_forums")
def mark_held(forum_id: int):
    forum = db.get_or_404(Forum, forum_id)
    try:
        services.mark_forum_held(forum)
    except services.PlanningError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The forum is marked as held."), "success")
    return redirect(url_for(".forum", forum_id=forum_id))


@bp.route("/forums/<int:forum_id>/cancel", methods=["GET", "POST"])
@staff_required("manage_forums")
def cancel_forum(forum_id: int):
    forum = db.get_or_404(Forum, forum_id)
    form = CancelForumForm()
    places = queries.places_in(forum)
    if form.validate_on_submit():
        try:
            services.cancel_forum(forum, confirmed=form.confirm.data)
        except services.PlanningError as error:
            form.confirm.errors = [str(error.message)]
        else:
            flash(_("The forum is cancelled."), "success")
            return redirect(url_for(".forum", forum_id=forum_id))
    return render_template("planning/admin/forum_cancel.html", forum=forum, form=form, places=places,
                           phone_only=queries.phone_only(forum)), 400 if form.errors else 200


@bp.route("/forums/<int:forum_id>/invite-list")
@staff_required("manage_forums")
def invite_list(forum_id: int):
    """Organisations to invite: the forum's partners and everyone linked to its topic."""
    forum = db.get_or_404(Forum, forum_id)
    organisations = services.organisations_to_invite(forum)
    if request.args.get("format") in ("csv", "xlsx"):
        labels = dict(kind_choices())
        rows = [[o.name, str(labels[o.kind.value]), o.contact_person, o.email, o.phone, o.communities,
                 " ".join(o.languages or [])] for o in organisations]
        return csv_response(f"invite-forum-{forum.id}.csv",
                            [_("Name"), _("Kind"), _("Contact person"), _("Email address"), _("Phone"),
                             _("Communities they reach"), _("Languages they work in")], rows)
    return render_template("planning/admin/invite_list.html", forum=forum, organisations=organisations)


@bp.route("/forums/<int:forum_id>/invite-partners", methods=["GET", "POST"])
@staff_required("manage_forums")
def invite_partners(forum_id: int):
    """Send the forum's invitation to its partner organisations by email, and see who got what when."""
    forum = db.get_or_404(Forum, forum_id)
    organisations = services.organisations_to_invite(forum)
    log = queries.partner_invitations(forum)
    invited = {entry.organisation_id for entry in log}
    form = PartnerInvitationForm()
    form.organisation_ids.choices = [(o.id, o.name) for o in organisations if o.email]
    if not form.is_submitted():
        form.organisation_ids.data = [o.id for o in organisations if o.email and o.id not in invited]
    if form.validate_on_submit():
        try:
            sent = services.send_partner_invitations(forum, form.organisation_ids.data or [], current_user.id)
        except services.PlanningError as error:
            form.organisation_ids.errors = [str(error.message)]
        else:
            flash(ngettext("The invitation is on its way to %(num)d organisation.",
                           "The invitation is on its way to %(num)d organisations.", len(sent)), "success")
            return redirect(url_for(".invite_partners", forum_id=forum.id))
    return render_template("planning/admin/invite_partners.html", forum=forum, form=form, log=log,
                           organisations=organisations), 400 if form.errors else 200


# --- organisations --------------------------------------------------------------------------

@bp.route("/organisations/")
@staff_required("manage_plan")
def organisations():
    rows = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("planning/admin/organisations.html", organisations=rows, kinds=dict(kind_choices()))


def _organisation_page(organisation: Organisation | None):
    form = OrganisationForm(obj=organisation)
    form.topic_ids.choices = topic_choices()
    if organisation is not None and not form.is_submitted():
        form.topic_ids.data = [t.id for t in organisation.topics]
    if form.validate_on_submit():
        try:
            saved = services.save_organisation(
                organisation, topic_ids=form.topic_ids.data or [],
                **{name: getattr(form, name).data for name in
                   ("name", "kind", "contact_person", "email", "phone", "communities", "languages", "mail_language",
                    "notes")})
        except services.PlanningError as error:
            form.name.errors = [str(error.message)]
        else:
            flash(_("The organisation is saved."), "success")
            return redirect(url_for(".organisations", _anchor=f"org-{saved.id}"))
    return render_template("planning/admin/organisation_form.html", form=form,
                           organisation=organisation), 400 if form.errors else 200


@bp.route("/organisations/new", methods=["GET", "POST"])
@staff_required("manage_plan")
def new_organisation():
    return _organisation_page(None)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@staff_required("manage_plan")
def edit_organisation(organisation_id: int):
    return _organisation_page(db.get_or_404(Organisation, organisation_id))


@bp.route("/organisations/<int:organisation_id>/delete", methods=["POST"])
@staff_required("manage_plan")
def delete_organisation(organisation_id: int):
    services.delete_organisation(db.get_or_404(Organisation, organisation_id))
    flash(_("The organisation is deleted."), "success")
    return redirect(url_for(".organisations"))


# --- budget ---------------------------------------------------------------------------------

@bp.route("/budget/")
@staff_required("manage_budget")
def budget():
    year = _year()
    summary = services.budget_summary(year)
    if request.args.get("format") in ("csv", "xlsx"):
        labels = category_labels()
        rows = [[str(labels[line.category]), line.description, line.forum_id or "",
                 localize(line.owner.name).text if line.owner else line.department, line.recommendation_id or "",
                 line.planned, "" if line.actual is None else line.actual] for line in summary.lines]
        # The departments' totals follow the lines, one row each, as on the page.
        rows += [[_("Total for the department"), "", "", localize(c.name).text, "", c.planned, c.actual]
                 for c in summary.by_department]
        return csv_response(f"budget-{year}.csv", [_("Category"), _("Description"), _("Forum"),
                                                    _("Department"), _("Recommendation"), _("Planned (SEK)"),
                                                    _("Actual (SEK)")], rows)
    forums = {f.id: f for f in db.session.scalars(select(Forum).where(Forum.id.in_(summary.by_forum)))}
    return render_template("planning/admin/budget.html", year=year, summary=summary, forums=forums,
                           labels=category_labels(), categories=list(BudgetCategory))


def _budget_page(line: BudgetLine | None):
    form = BudgetLineForm(obj=line)
    form.forum_id.choices = [(0, "—")] + forum_choices()
    if line is None and not form.is_submitted():
        form.year.data = _year()
    elif line is not None and not form.is_submitted():
        form.forum_id.data = line.forum_id or 0
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in services.BUDGET_FIELDS}
        target = services.save_budget_line(line, **{**fields, "forum_id": fields["forum_id"] or None})
        flash(_("The budget line is saved."), "success")
        return redirect(url_for(".budget", year=target.year))
    return render_template("planning/admin/budget_form.html", form=form, line=line), 400 if form.errors else 200


@bp.route("/budget/new", methods=["GET", "POST"])
@staff_required("manage_budget")
def new_budget_line():
    return _budget_page(None)


@bp.route("/budget/<int:line_id>", methods=["GET", "POST"])
@staff_required("manage_budget")
def edit_budget_line(line_id: int):
    return _budget_page(db.get_or_404(BudgetLine, line_id))


@bp.route("/budget/<int:line_id>/delete", methods=["POST"])
@staff_required("manage_budget")
def delete_budget_line(line_id: int):
    line = db.get_or_404(BudgetLine, line_id)
    year = line.year
    services.delete_budget_line(line)
    flash(_("The budget line is deleted."), "success")
    return redirect(url_for(".budget", year=year))



