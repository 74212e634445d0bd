"""Staff pages: forum results, the recommendation workflow, progress updates, departments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..accounts.queries import department_choices, officials
from ..core.extensions import db, talisman
from ..core.timeutil import city_today
from ..i18n.content import localize
from ..i18n.forms import TranslatedTextField
from ..planning.forms import forum_choices, topic_choices
from ..planning.queries import budget_line_or_404, forum_by_id, forum_or_404, measure_cost_lines
from ..planning.services import delete_budget_line, save_measure_cost
from ..web.access import staff_required
from ..web.links import int_arg
from . import files, queries, services, workflow
from .display import status_label
from .forms import (
    AnswerForm,
    AssignForm,
    AttachmentForm,
    DepartmentForm,
    HandOnForm,
    MeasureCostForm,
    PresentationForm,
    ProgressForm,
    RecommendationForm,
    ResultForm,
    StatusForm,
)
from .models import Attachment, Department, ForumResult, HandOn, Presentation, Recommendation, Status

STAFF_PER_PAGE = 50

bp = Blueprint("recommendations_admin", __name__, url_prefix="/<lang:lang>/admin")


# --- forum results --------------------------------------------------------------------------

def _result_form(questions, current: ForumResult) -> ResultForm:  # noqa: ANN001
    """A result form with one translated field per guiding question of the forum's topic."""

    class Form(ResultForm):
        pass

    for question in questions:
        setattr(Form, f"finding_{question.id}",
                TranslatedTextField(localize(question.text).text, multiline=True, required=False))
    form = Form(obj=current)
    if not form.is_submitted():
        for finding in current.findings:
            getattr(form, f"finding_{finding.question_id}").data = dict(finding.text)
    return form


@bp.route("/forums/<int:forum_id>/result", methods=["GET", "POST"])
@staff_required("document_results")
def result(forum_id: int):
    forum = forum_or_404(forum_id)
    current = services.result_for(forum)
    questions = forum.topic.questions
    form = _result_form(questions, current)
    form.department_ids.choices = department_choices()
    if not form.is_submitted():
        form.department_ids.data = queries.departments_present(forum.id)
    if form.validate_on_submit():
        try:
            services.save_result(forum, attendance=form.attendance.data or 0, summary=form.summary.data,
                                 findings={q.id: getattr(form, f"finding_{q.id}").data for q in questions},
                                 publish=form.publish.data, department_ids=form.department_ids.data or [])
        except services.ResultError as error:
            form.publish.errors = [str(error.message)]
        else:
            flash(_("The results are saved."), "success")
            return redirect(url_for(".result", forum_id=forum.id))
    return render_template("recommendations/admin/result.html", forum=forum, form=form, result=current,
                           finding_fields=[getattr(form, f"finding_{q.id}") for q in questions],
                           upload=AttachmentForm(), checked_in=services.checked_in_count(forum.id)), \
        400 if form.errors else 200


@bp.route("/forums/<int:forum_id>/result/files", methods=["POST"])
@staff_required("document_results")
def upload(forum_id: int):
    forum = forum_or_404(forum_id)
    form = AttachmentForm()
    if form.validate_on_submit() and form.file.data:
        current = services.result_for(forum)
        try:
            services.add_attachment(current, form.file.data.filename, form.file.data.read())
        except services.ResultError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The file is added."), "success")
    else:
        flash(_("Choose a file first."), "error")
    return redirect(url_for(".result", forum_id=forum.id))


@bp.route("/files/<int:attachment_id>/delete", methods=["POST"])
@staff_required("document_results")
def delete_file(attachment_id: int):
    attachment = db.get_or_404(Attachment, attachment_id)
    forum_id = db.session.get(ForumResult, attachment.result_id).forum_id
    services.delete_attachment(attachment)
    flash(_("The file is deleted."), "success")
    return redirect(url_for(".result", forum_id=forum_id))


@bp.route("/files/<int:attachment_id>")
@staff_required("document_results")
@talisman(content_security_policy=files.FILE_POLICY)
def file(attachment_id: int):
    return files.serve_attachment(db.get_or_404(Attachment, attachment_id))


# --- recommendations ------------------------------------------------------------------------

@bp.route("/recommendations/mine")
@staff_required("see_own_measures")
def mine():
    """An official's own measures, the one due next first; those without a date last."""
    return render_template("recommendations/admin/mine.html", measures=queries.measures_of(current_user),
                           today=city_today())


@bp.route("/recommendations/")
@staff_required("see_recommendations")
def index():
    """Those the person may see, the latest changed first, 50 a page (``?page=``), by status if asked."""
    query = select(Recommendation).where(workflow.viewable_by(current_user))
    status = request.args.get("status")
    if status in {s.value for s in Status}:
        query = query.where(Recommendation.status == Status(status))
    else:
        status = None
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(-(-total // STAFF_PER_PAGE), 1)
    page = int_arg("page", 1, high=100_000)
    if page > pages:
        abort(404)
    rows = db.session.scalars(query.options(*queries.CARD_OPTIONS)
                              .order_by(Recommendation.updated_at.desc(), Recommendation.id.desc())
                              .limit(STAFF_PER_PAGE).offset((page - 1) * STAFF_PER_PAGE)).all()
    return render_template("recommendations/admin/index.html", recommendations=rows, status=status, page=page,
                           pages=pages, filters={"status": status} if status else {})


def _recommendation_form(recommendation: Recommendation | None) -> RecommendationForm:
    form = RecommendationForm(obj=recommendation)
    form.topic_id.choices = topic_choices()
    form.forum_ids.choices = forum_choices()
    form.department_ids.choices = department_choices()
    if recommendation is not None and not form.is_submitted():
        form.forum_ids.data = [f.id for f in recommendation.forums]
        form.department_ids.data = [d.id for d in recommendation.departments]
    elif recommendation is None and not form.is_submitted() and int_arg("forum"):
        forum = forum_by_id(int_arg("forum"))
        if forum is not None:
            form.forum_ids.data, form.topic_id.data = [forum.id], forum.topic_id
    return form


def _fields(form: RecommendationForm) -> dict:
    return {"title": form.title.data, "text": form.text.data, "within_competence": form.within_competence.data,
            "route": form.route.data, "mainstreamed": form.mainstreamed.data,
            "against_discrimination": form.against_discrimination.data}


@bp.route("/recommendations/new", methods=["GET", "POST"])
@staff_required("draft_recommendations")
def new():
    form = _recommendation_form(None)
    if form.validate_on_submit():
        created = services.create(current_user, topic_id=form.topic_id.data, forum_ids=form.forum_ids.data or [],
                                  department_ids=form.department_ids.data or [], **_fields(form))
        flash(_("The draft is saved."), "success")
        return redirect(url_for(".detail", recommendation_id=created.id))
    return render_template("recommendations/admin/form.html", form=form, recommendation=None), \
        400 if form.errors else 200


def _visible_or_403(recommendation_id: int) -> Recommendation:
    recommendation = db.get_or_404(Recommendation, recommendation_id)
    if not workflow.can_view(current_user, recommendation):
        abort(403)
    return recommendation


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@staff_required("see_recommendations")
def edit(recommendation_id: int):
    recommendation = _visible_or_403(recommendation_id)
    if not workflow.can_edit(current_user, recommendation):
        abort(403)
    form = _recommendation_form(recommendation)
    if form.validate_on_submit():
        services.edit(current_user, recommendation, forum_ids=form.forum_ids.data or [],
                      department_ids=form.department_ids.data or [], topic_id=form.topic_id.data, **_fields(form))
        flash(_("The recommendation is saved."), "success")
        return redirect(url_for(".detail", recommendation_id=recommendation.id))
    return render_template("recommendations/admin/form.html", form=form, recommendation=recommendation), \
        400 if form.errors else 200


def _status_choices(recommendation: Recommendation) -> list:
    """The moves this form makes. "Presented" is not one of them: recording the joint presentation moves
    the recommendation, with its date and body, in one step (the page links there instead)."""
    return [(s.value, status_label(s)) for s in workflow.allowed_moves(current_user, recommendation)
            if s is not Status.PRESENTED]


def _official_choices() -> list[tuple[int, str]]:
    return [(0, "—")] + [(u.id, f"{u.name or u.email} ({localize(u.department.name).text if u.department else '–'})")
                         for u in officials(inactive_too=True)]


def _detail_page(recommendation: Recommendation, status_form=None, progress_form=None, assign_form=None,  # noqa: ANN001
                 code: int = 200, hand_on_form=None, answer_form=None):
    can_update = workflow.can_post_update(current_user, recommendation)
    # Who may post an update changes the status of a measure in that one form, not in a second one
    # (a refused move sent to the status form itself is still shown there, with its message).
    shown = status_form is not None or not can_update
    status_form = status_form or StatusForm(prefix="status")
    status_form.to.choices = _status_choices(recommendation) if shown else []
    progress_form = progress_form or ProgressForm(prefix="progress")
    progress_form.to.choices = [("", "—")] + _status_choices(recommendation)
    assign_form = assign_form or AssignForm(prefix="assign", official_id=recommendation.responsible_official_id or 0,
                                            responsible_role=recommendation.responsible_role,
                                            due_on=recommendation.due_on)
    assign_form.official_id.choices = _official_choices()
    hand_on_form = hand_on_form or HandOnForm(prefix="handon")
    answer_forms = {h.id: AnswerForm(prefix=f"answer{h.id}", answered_on=h.answered_on, answer=h.answer)
                    for h in recommendation.hand_ons}
    if answer_form is not None:
        answer_forms[answer_form.hand_on_id] = answer_form
    return render_template(
        "recommendations/admin/detail.html", recommendation=recommendation, status_form=status_form,
        hand_on_form=hand_on_form, answer_forms=answer_forms,
        progress_form=progress_form, assign_form=assign_form, can_edit=workflow.can_edit(current_user, recommendation),
        can_budget=bool(workflow.cost_departments(current_user, recommendation)),
        can_assign=workflow.can_assign(current_user, recommendation),
        can_update=can_update), code


@bp.route("/recommendations/<int:recommendation_id>")
@staff_required("see_recommendations")
def detail(recommendation_id: int):
    return _detail_page(_visible_or_403(recommendation_id))


@bp.route("/recommendations/<int:recommendation_id>/status", methods=["POST"])
@staff_required("see_recommendations")
def change_status(recommendation_id: int):
    recommendation = _visible_or_403(recommendation_id)
    form = StatusForm(prefix="status")
    form.to.choices = [(s.value, s.value) for s in Status if s is not Status.PRESENTED]
    if form.validate_on_submit():
        try:
            services.change_status(current_user, recommendation, Status(form.to.data), note=form.note.data,
                                   decision_reason=form.decision_reason.data, outcome=form.outcome.data)
        except workflow.WorkflowError as error:
            getattr(form, getattr(error, "field", "to"), form.to).errors = [str(error.message)]
        else:
            flash(_("The status is now: %(status)s.", status=status_label(recommendation.status)), "success")
            return redirect(url_for(".detail", recommendation_id=recommendation.id))
    return _detail_page(recommendation, status_form=form, code=400 if form.errors else 200)


@bp.route("/recommendations/<int:recommendation_id>/assign", methods=["POST"])
@staff_required("route_recommendations")
def assign(recommendation_id: int):
    recommendation = _visible_or_403(recommendation_id)
    form = AssignForm(prefix="assign")
    form.official_id.choices = _official_choices()
    if form.validate_on_submit():
        services.assign(current_user, recommendation, official_id=form.official_id.data or None,
                        responsible_role=form.responsible_role.data, due_on=form.due_on.data)
        flash(_("The responsible official is saved."), "success")
        return redirect(url_for(".detail", recommendation_id=recommendation.id))
    return _detail_page(recommendation, assign_form=form, code=400)


@bp.route("/recommendations/<int:recommendation_id>/progress", methods=["POST"])
@staff_required("report_progress")
def progress(recommendation_id: int):
    recommendation = _visible_or_403(recommendation_id)
    form = ProgressForm(prefix="progress")
    form.to.choices = [("", "—")] + [(s.value, s.value) for s in Status]
    if form.validate_on_submit():
        try:
            services.post_update(current_user, recommendation, on=form.on.data, text=form.text.data,
                                 to=Status(form.to.data) if form.to.data else None, due_on=form.due_on.data,
                                 outcome=form.outcome.data)
        except workflow.WorkflowError as error:
            getattr(form, getattr(error, "field", "to"), form.to).errors = [str(error.message)]
        else:
            flash(_("The progress update is published."), "success")
            return redirect(url_for(".detail", recommendation_id=recommendation.id))
    return _detail_page(recommendation, progress_form=form, code=400)


# --- beyond the city's competence; the joint presentation ------------------------------------

def _upload(field) -> tuple[str, bytes] | None:  # noqa: ANN001 - a FileField
    return (field.data.filename, field.data.read()) if field.data and getattr(field.data, "filename", "") else None


@bp.route("/recommendations/<int:recommendation_id>/hand-on", methods=["POST"])
@staff_required("record_hand_on")
def hand_on(recommendation_id: int):
    recommendation = _visible_or_403(recommendation_id)
    form = HandOnForm(prefix="handon")
    if form.validate_on_submit():
        try:
            services.record_hand_on(recommendation, to_whom=form.to_whom.data, sent_on=form.sent_on.data,
                                    upload=_upload(form.letter))
        except workflow.WorkflowError as error:
            getattr(form, getattr(error, "field", "to_whom"), form.to_whom).errors = [str(error.message)]
        except services.ResultError as error:
            form.letter.errors = [str(error.message)]
        else:
            flash(_("The hand-on is recorded and shown on the tracker."), "success")
            return redirect(url_for(".detail", recommendation_id=recommendation.id, _anchor="hand-on"))
    return _detail_page(recommendation, hand_on_form=form, code=400)


@bp.route("/hand-on/<int:hand_on_id>/answer", methods=["POST"])
@staff_required("record_hand_on")
def hand_on_answer(hand_on_id: int):
    item = db.get_or_404(HandOn, hand_on_id)
    form = AnswerForm(prefix=f"answer{item.id}")
    form.hand_on_id = item.id
    if form.validate_on_submit():
        try:
            services.record_answer(item, answered_on=form.answered_on.data, answer=form.answer.data)
        except workflow.WorkflowError as error:
            form.answered_on.errors = [str(error.message)]
        else:
            flash(_("The answer is recorded."), "success")
            return redirect(url_for(".detail", recommendation_id=item.recommendation_id, _anchor="hand-on"))
    return _detail_page(item.recommendation, answer_form=form, code=400)


@bp.route("/hand-on/<int:hand_on_id>/letter")
@staff_required("see_recommendations")
@talisman(content_security_policy=files.FILE_POLICY)
def hand_on_letter(hand_on_id: int):
    return _serve_if_visible(db.get_or_404(HandOn, hand_on_id))


def _presentation_form() -> PresentationForm:
    form = PresentationForm()
    form.recommendation_ids.choices = [(r.id, localize(r.title).text) for r in queries.presentable()]
    form.member_ids.choices = [(m.id, m.name) for m in queries.core_team_now()]
    form.official_ids.choices = [(u.id, u.name or u.email) for u in officials(inactive_too=True)]
    form.department_ids.choices = department_choices()
    return form


@bp.route("/presentations/", methods=["GET", "POST"])
@staff_required("record_presentations")
def presentations():
    """The joint presentations to the decision makers, and a form to record one."""
    form = _presentation_form()
    if form.validate_on_submit():
        try:
            services.record_presentation(
                current_user, presented_on=form.presented_on.data, body=form.body.data,
                recommendation_ids=form.recommendation_ids.data or [], member_ids=form.member_ids.data or [],
                official_ids=form.official_ids.data or [], department_ids=form.department_ids.data or [],
                upload=_upload(form.material), decision_makers_present=form.decision_makers_present.data)
        except workflow.WorkflowError as error:
            getattr(form, getattr(error, "field", "presented_on"), form.presented_on).errors = [str(error.message)]
        except services.ResultError as error:
            form.material.errors = [str(error.message)]
        else:
            flash(_("The presentation is recorded and shown on the tracker."), "success")
            return redirect(url_for(".presentations"))
    return render_template("recommendations/admin/presentations.html", form=form,
                           presentations=queries.all_presentations()), 400 if form.errors else 200


@bp.route("/presentations/<int:presentation_id>/material")
@staff_required("see_recommendations")
@talisman(content_security_policy=files.FILE_POLICY)
def presentation_material(presentation_id: int):
    return _serve_if_visible(db.get_or_404(Presentation, presentation_id))


def _serve_if_visible(item):  # noqa: ANN001, ANN202 - a HandOn or a Presentation; a response
    if not workflow.can_view_file(current_user, item):
        abort(403)
    return files.serve_attachment(item)


# --- departments ----------------------------------------------------------------------------

@bp.route("/departments/", methods=["GET", "POST"])
@staff_required("manage_departments")
def departments():
    form = DepartmentForm()
    if form.validate_on_submit():
        services.add_department(form.name.data)
        flash(_("The department is saved."), "success")
        return redirect(url_for(".departments"))
    rows = db.session.scalars(select(Department).order_by(Department.id)).all()
    return render_template("recommendations/admin/departments.html", departments=rows, form=form), \
        400 if form.errors else 200


# --- a measure's costs ----------------------------------------------------------------------

def _costs_or_403(recommendation_id: int) -> tuple[Recommendation, list]:
    recommendation = _visible_or_403(recommendation_id)
    departments = workflow.cost_departments(current_user, recommendation)
    if not departments:
        abort(403)
    return recommendation, departments


def _cost_line_or_404(recommendation: Recommendation, line_id: int, departments: list):  # noqa: ANN202
    line = budget_line_or_404(line_id)
    if line.recommendation_id != recommendation.id:
        abort(404)
    if line.department_id not in {d.id for d in departments}:
        abort(403)  # another department's costs
    return line


@bp.route("/recommendations/<int:recommendation_id>/costs", methods=["GET", "POST"])
@bp.route("/recommendations/<int:recommendation_id>/costs/<int:line_id>", methods=["GET", "POST"])
@staff_required("budget_measures")
def costs(recommendation_id: int, line_id: int | None = None):
    """A measure's planned and actual costs, one line per year and purpose, each owned by a department and
    entered by its officials; the budget page, the report and the impact figures add them up."""
    recommendation, departments = _costs_or_403(recommendation_id)
    line = _cost_line_or_404(recommendation, line_id, departments) if line_id else None
    form = MeasureCostForm(obj=line)
    form.department_id.choices = [(d.id, localize(d.name).text) for d in departments]
    if line is None and not form.is_submitted():
        form.year.data = city_today().year
    if form.validate_on_submit():
        save_measure_cost(line, year=form.year.data, description=form.description.data,
                          department_id=form.department_id.data, recommendation_id=recommendation.id,
                          planned=form.planned.data, actual=form.actual.data)
        flash(_("The costs are saved."), "success")
        return redirect(url_for(".costs", recommendation_id=recommendation.id))
    lines = measure_cost_lines(recommendation.id)
    return render_template("recommendations/admin/costs.html", recommendation=recommendation, form=form, line=line,
                           lines=lines, editable={d.id for d in departments}), 400 if form.errors else 200


@bp.route("/recommendations/<int:recommendation_id>/costs/<int:line_id>/delete", methods=["POST"])
@staff_required("budget_measures")
def delete_cost(recommendation_id: int, line_id: int):
    recommendation, departments = _costs_or_403(recommendation_id)
    delete_budget_line(_cost_line_or_404(recommendation, line_id, departments))
    flash(_("The costs are deleted."), "success")
    return redirect(url_for(".costs", recommendation_id=recommendation.id))
