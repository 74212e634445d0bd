"""Rules for results and recommendations: saving results, the workflow, progress, followers, reminders."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, delete, insert, or_, select, update

from ..accounts.models import Department, User
from ..accounts.queries import departments_by_id, users_by_id
from ..core import audit, signed_links, storage, throttle
from ..core.database import atomic
from ..core.addresses import normalize_email
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import city_today
from ..coreteam.queries import members_by_id
from ..i18n.content import localize
from ..jobs.once import claim_and_do
from ..planning.models import Forum, ForumStatus
from ..planning.queries import attendance, forums_by_id
from ..planning.services import PlanningError, move_forum
from . import workflow
from .models import (
    OPEN_MEASURES,
    Attachment,
    Finding,
    Follower,
    ForumResult,
    HandOn,
    Presentation,
    ProgressUpdate,
    Recommendation,
    Status,
    StatusChange,
    forum_department,
)
from .notifications import (
    notify_followers,
    notify_progress,
    send_assignment,
    send_follow_confirmation,
    send_silence_reminder,
)

# --- forum results --------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Checked by the file's first bytes, not by the name or the browser's word for it.
SIGNATURES = {b"\xff\xd8\xff": ("image/jpeg", ".jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
              b"%PDF-": ("application/pdf", ".pdf")}


class ResultError(DomainError):
    """A rule of this domain refused; see ``errors.DomainError``."""


NOT_YET_HELD = _l("Results can be published once the forum has taken place. Until then you can save them "
                  "without publishing.")


def checked_in_count(forum_id: int) -> int:
    return attendance([forum_id]).get(forum_id, 0)


def result_for(forum: Forum) -> ForumResult:
    result = db.session.scalar(select(ForumResult).where(ForumResult.forum_id == forum.id))
    return result or ForumResult(forum_id=forum.id, attendance=checked_in_count(forum.id))


@atomic()
def save_result(forum: Forum, *, attendance: int, summary: dict, findings: dict[int, dict], publish: bool,
                department_ids: list[int] | None = None) -> ForumResult:
    """Save a forum's results; publishing them needs a forum that has taken place, and marks it documented
    (a published forum that has started is marked held on the way, as staff would). A result can be
    prepared, unpublished, before the forum."""
    if publish and forum.status is not ForumStatus.DOCUMENTED:
        if forum.status is ForumStatus.PUBLISHED and forum.starts_at <= utcnow():
            move_forum(forum, ForumStatus.HELD, NOT_YET_HELD)
            audit.record("held", forum)
        try:
            move_forum(forum, ForumStatus.DOCUMENTED, NOT_YET_HELD)
        except PlanningError as error:
            raise ResultError(error.message) from error
    result = result_for(forum)
    result.attendance, result.summary, result.published = attendance, summary, publish
    existing = {f.question_id: f for f in result.findings}
    for question in forum.topic.questions:
        text = findings.get(question.id) or {}
        if question.id in existing:
            existing[question.id].text = text
        elif text:
            result.findings.append(Finding(question_id=question.id, text=text))
    db.session.add(result)
    changes = None
    if department_ids is not None:
        changes = _set_departments_present(forum.id, sorted({int(i) for i in department_ids}))
    audit.record("updated", forum, "result", changes=changes)
    return result


def _set_departments_present(forum_id: int, department_ids: list[int]) -> dict | None:
    """The departments that sent someone to the forum (the chapter's "departments in dialogue"); the audit
    change when they differ from before."""
    before = sorted(db.session.scalars(select(forum_department.c.department_id)
                                       .where(forum_department.c.forum_id == forum_id)))
    if before == department_ids:
        return None
    db.session.execute(delete(forum_department).where(forum_department.c.forum_id == forum_id))
    known = set(db.session.scalars(select(Department.id).where(Department.id.in_(department_ids))))
    if known:
        db.session.execute(insert(forum_department), [{"forum_id": forum_id, "department_id": i}
                                                      for i in department_ids if i in known])
    return {"departments_present": [before, sorted(known)]}


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_upload(filename: str, data: bytes) -> dict:
    """Store a checked file under a random name; the name shown keeps the person's name but always
    ends in the extension of the type found in the bytes (a PDF named x.html downloads as x.pdf).
    Returns the columns of a stored file (``models.StoredFile``). The file is there whole or not at
    all, and goes again if the transaction that records it is not committed."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ResultError(_l("The file is larger than 10 MB."))
    kind = next((value for signature, value in SIGNATURES.items() if data.startswith(signature)), None)
    if kind is None:
        raise ResultError(_l("Only photos (JPEG, PNG) and PDF files can be added."))
    content_type, suffix = kind
    storage_name = uuid.uuid4().hex + suffix  # never the uploaded name: no paths, no surprises
    path = upload_folder() / storage_name
    try:
        storage.write_whole(path, data)
    except OSError as error:
        if not storage.is_disk_full(error):
            raise
        current_app.logger.error("upload refused: %s", error)
        raise ResultError(_l("The file could not be saved: the server's disk is full. Nothing was saved. "
                             "Please tell the technical staff, and try again later.")) from error
    storage.remove_unless_committed(db.session(), path)
    safe_name = (Path(filename or "file").stem[:140] or "file") + suffix
    return {"filename": safe_name, "content_type": content_type, "size": len(data), "storage_name": storage_name}


@atomic()
def add_attachment(result: ForumResult, filename: str, data: bytes) -> Attachment:
    stored = store_upload(filename, data)
    safe_name = stored["filename"]
    if result.id is None:
        db.session.add(result)
    db.session.flush()
    attachment = Attachment(result_id=result.id, **stored)
    db.session.add(attachment)
    audit.record("created", attachment, safe_name)
    return attachment


@atomic()
def delete_attachment(attachment: Attachment) -> None:
    (upload_folder() / attachment.storage_name).unlink(missing_ok=True)
    audit.record("deleted", attachment, attachment.filename)
    db.session.delete(attachment)


@atomic()
def add_department(name: dict) -> Department:
    department = Department(name=name)
    db.session.add(department)
    audit.record("created", department, name.get("sv", ""))
    return department


# --- recommendations ------------------------------------------------------------------------

@atomic()
def create(user: User, *, topic_id: int, forum_ids: list[int], department_ids: list[int], **fields) -> Recommendation:  # noqa: ANN003

    recommendation = Recommendation(topic_id=topic_id, status=Status.DRAFT, **fields)
    recommendation.forums = forums_by_id(forum_ids)
    recommendation.departments = departments_by_id(department_ids)
    recommendation.changes.append(StatusChange(from_status=None, to_status=Status.DRAFT, user_id=user.id))
    db.session.add(recommendation)
    audit.record("created", recommendation, str((recommendation.title or {}).get("sv", "")), user_id=user.id)
    return recommendation


@atomic()
def edit(user: User, recommendation: Recommendation, *, forum_ids: list[int], department_ids: list[int],
         **fields) -> None:  # noqa: ANN003

    if not workflow.can_edit(user, recommendation):
        raise workflow.WorkflowError(_l("Your role may not make this change."))
    names = tuple(fields)
    before = {**audit.snapshot(recommendation, names), "forums": sorted(f.id for f in recommendation.forums),
              "departments": sorted(d.id for d in recommendation.departments)}
    for name, value in fields.items():
        setattr(recommendation, name, value)
    recommendation.forums = forums_by_id(forum_ids)
    recommendation.departments = departments_by_id(department_ids)
    recommendation.updated_at = utcnow()
    after = {**audit.snapshot(recommendation, names), "forums": sorted(f.id for f in recommendation.forums),
             "departments": sorted(d.id for d in recommendation.departments)}
    audit.record("updated", recommendation, str((recommendation.title or {}).get("sv", "")), user_id=user.id,
                 changes=audit.changes(before, after))


ASSIGN_FIELDS = ("responsible_official_id", "responsible_role", "due_on")


@atomic()
def assign(user: User, recommendation: Recommendation, *, official_id: int | None, responsible_role: dict,
           due_on: date | None = None) -> None:
    """The project lead of a measure, the role the public sees, and when the measure should be done."""
    if not workflow.can_assign(user, recommendation):
        raise workflow.WorkflowError(_l("Your role may not make this change."))
    before = audit.snapshot(recommendation, ASSIGN_FIELDS)
    newly_responsible = official_id is not None and official_id != recommendation.responsible_official_id
    recommendation.responsible_official_id = official_id
    recommendation.responsible_role = responsible_role
    recommendation.due_on = due_on
    recommendation.updated_at = utcnow()
    audit.record("updated", recommendation, str(recommendation.title.get("sv", "")),
                 changes=audit.changes(before, audit.snapshot(recommendation, ASSIGN_FIELDS)))
    if newly_responsible:
        db.session.flush()
        db.session.expire(recommendation, ["responsible_official"])
        send_assignment(recommendation)  # the official hears at once, saved with the change


@atomic()
def change_status(user: User, recommendation: Recommendation, to: Status, *, note: str = "", **given) -> StatusChange:  # noqa: ANN003
    """Move a recommendation one step, as the workflow table allows; record who, when and why."""
    change = _move(user, recommendation, to, note=note, given=given)
    audit.record("status_changed", recommendation, str((recommendation.title or {}).get("sv", "")), user_id=user.id,
                 changes={"status": [change.from_status.value if change.from_status else None, to.value],
                          **({"note": [None, note]} if note else {})})
    return change


def _move(user: User, recommendation: Recommendation, to: Status, *, note: str, given: dict,
          at: datetime | None = None) -> StatusChange:
    """The status change itself, checked, with the followers' emails queued; the caller audits and commits."""
    workflow.check_move(user, recommendation, to, given)
    _refuse_future(given.get("presented_on"), _l("The presentation date cannot be in the future. "
                                                 "Record the presentation once it has happened."), "presented_on")
    for name in ("presented_on", "presented_to", "decision_reason", "outcome"):
        if given.get(name):
            setattr(recommendation, name, given[name])
    change = StatusChange(from_status=recommendation.status, to_status=to, user_id=user.id, note=note,
                          at=at or utcnow())
    recommendation.changes.append(change)
    recommendation.status = to
    recommendation.updated_at = utcnow()
    db.session.flush()

    notify_followers(recommendation, change)  # into the outbox, saved with the change
    return change


class FutureDateError(workflow.WorkflowError):
    """A date after today where only what has happened may be recorded; ``field`` names the form field."""

    def __init__(self, message, field: str) -> None:  # noqa: ANN001 - a lazy string
        super().__init__(message)
        self.field = field


def _refuse_future(day: date | None, message, field: str) -> None:  # noqa: ANN001 - a lazy string
    """Updates and presentations record what happened: a date after today in the city is refused."""
    if day is not None and day > city_today():
        raise FutureDateError(message, field)


@atomic()
def post_update(user: User, recommendation: Recommendation, *, on: date, text: dict,
                to: Status | None = None, due_on: date | None = None, **given) -> ProgressUpdate:  # noqa: ANN003
    """One update of a measure: what happened, and if it changed, the new status and the new planned date.
    All of it is one event: one line in the history, one entry on the public timeline (the status change
    carries the update's moment, which is how the timeline knows they belong together)."""
    if not workflow.can_post_update(user, recommendation):
        raise workflow.WorkflowError(_l("Your role may not make this change."))
    _refuse_future(on, _l("A progress update tells what has happened: its date cannot be in the future."), "on")
    moving = to is not None and to is not recommendation.status
    if moving:
        workflow.check_move(user, recommendation, to, given)  # refused before anything is added
    changed: dict = {"on": [None, on.isoformat()], "update": [None, text]}
    now = utcnow()
    update_row = ProgressUpdate(on=on, text=text, user_id=user.id, created_at=now)
    recommendation.updates.append(update_row)
    if moving:
        before = recommendation.status
        _move(user, recommendation, to, note="", given=given, at=now)
        changed["status"] = [before.value, to.value]
        if given.get("outcome"):
            changed["outcome"] = [None, given["outcome"]]
    if due_on is not None and due_on != recommendation.due_on:
        changed["due_on"] = [recommendation.due_on.isoformat() if recommendation.due_on else None, due_on.isoformat()]
        recommendation.due_on = due_on
    recommendation.updated_at = now
    audit.record("progress", recommendation, str((recommendation.title or {}).get("sv", "")), user_id=user.id,
                 changes=changed)
    db.session.flush()
    notify_progress(recommendation)  # each follower's evening email of the day's progress, saved with it
    return update_row


def remind_silent_measures() -> int:
    """Remind the responsible official of a measure, once per occasion: in progress with no update for N
    days (again after another N days), or an accepted measure whose planned completion date has passed
    (once after the date; a new date starts again)."""

    days = current_app.config["RECOMMENDATION_SILENCE_DAYS"]
    cutoff = utcnow() - timedelta(days=days)
    today = city_today()
    silent = and_(Recommendation.status.in_([Status.IN_PROGRESS, Status.PARTLY_IMPLEMENTED]),
                  Recommendation.updated_at <= cutoff,
                  or_(Recommendation.last_reminded_at.is_(None), Recommendation.last_reminded_at <= cutoff))
    # overdue_reminded_for holds the date the last "date has passed" reminder was about
    overdue = and_(Recommendation.status.in_(OPEN_MEASURES), Recommendation.due_on < today,
                   or_(Recommendation.overdue_reminded_for.is_(None),
                       Recommendation.overdue_reminded_for != Recommendation.due_on))
    due = and_(Recommendation.responsible_official_id.is_not(None), or_(silent, overdue))
    ids = db.session.scalars(select(Recommendation.id).where(due).order_by(Recommendation.id)).all()

    def claim(recommendation_id: int) -> bool:
        return bool(db.session.execute(
            update(Recommendation).where(Recommendation.id == recommendation_id, due)
            .values(last_reminded_at=utcnow(), overdue_reminded_for=case(
                (overdue, Recommendation.due_on), else_=Recommendation.overdue_reminded_for))).rowcount)

    def remind(recommendation_id: int) -> None:
        recommendation = db.session.get(Recommendation, recommendation_id, populate_existing=True)
        send_silence_reminder(recommendation, overdue=recommendation.is_overdue(today))

    return claim_and_do(ids, claim, remind)


# --- beyond the city's competence, and the joint presentation --------------------------------

@atomic()
def record_hand_on(recommendation: Recommendation, *, to_whom: str, sent_on: date,
                   upload: tuple[str, bytes] | None = None) -> HandOn:
    """The city passes on a recommendation outside its competence (e.g. a letter to the government)."""
    if recommendation.within_competence:
        raise ResultError(_l("Only a recommendation outside the city's competence is passed on."))
    _refuse_future(sent_on, _l("Record the letter once it has been sent: the date cannot be in the future."),
                   "sent_on")
    stored = store_upload(*upload) if upload else {}
    hand_on = HandOn(recommendation=recommendation, to_whom=to_whom, sent_on=sent_on, **stored)
    db.session.add(hand_on)
    db.session.flush()
    recommendation.updated_at = utcnow()
    audit.record("created", hand_on, to_whom)
    return hand_on


@atomic()
def record_answer(hand_on: HandOn, *, answered_on: date, answer: dict) -> None:
    _refuse_future(answered_on, _l("The answer's date cannot be in the future."), "answered_on")
    if answered_on < hand_on.sent_on:
        raise FutureDateError(_l("The answer cannot come before the letter was sent."), "answered_on")
    before = audit.snapshot(hand_on, ("answered_on", "answer"))
    hand_on.answered_on, hand_on.answer = answered_on, answer
    hand_on.recommendation.updated_at = utcnow()
    audit.record("updated", hand_on, hand_on.to_whom,
                 changes=audit.changes(before, audit.snapshot(hand_on, ("answered_on", "answer"))))


@atomic()
def record_presentation(user: User, *, presented_on: date, body: str, recommendation_ids: list[int],
                        member_ids: list[int], official_ids: list[int], department_ids: list[int] = (),
                        upload: tuple[str, bytes] | None = None,
                        decision_makers_present: int | None = None) -> Presentation:
    """A joint presentation to the decision makers, in one step: who presented (at least one core-team
    member together with the city: a named official, or a department where no official is named, as the
    chapter asks), which recommendations, and each of them
    agreed by the core team now stands as presented on that day to that body. A recommendation is
    presented once to one meeting: the same date and body again is refused."""
    _refuse_future(presented_on, _l("The presentation date cannot be in the future. "
                                    "Record the presentation once it has happened."), "presented_on")
    if not recommendation_ids:
        raise FutureDateError(_l("Choose the recommendations that were presented."), "recommendation_ids")
    if not member_ids:
        raise FutureDateError(_l("A joint presentation needs at least one member of the core team. "
                                 "Choose who presented."), "member_ids")
    if not official_ids and not department_ids:
        raise FutureDateError(_l("A joint presentation needs at least one official or department of the city. "
                                 "Choose who presented."), "official_ids")
    recommendations = list(db.session.scalars(
        select(Recommendation).where(Recommendation.id.in_(recommendation_ids)).order_by(Recommendation.id)))
    same_meeting = [r for r in recommendations for p in r.presentations
                    if p.presented_on == presented_on and p.body.casefold() == body.casefold()]
    if same_meeting:
        raise FutureDateError(_l("“%(title)s” is already recorded as presented to this body on this day.",
                                 title=localize(same_meeting[0].title).text), "recommendation_ids")
    stored = store_upload(*upload) if upload else {}
    presentation = Presentation(presented_on=presented_on, body=body, decision_makers_present=decision_makers_present,
                                **stored)
    db.session.add(presentation)
    presentation.recommendations = recommendations
    presentation.members = members_by_id(member_ids)
    presentation.officials = users_by_id(official_ids)
    presentation.departments = departments_by_id(department_ids)
    db.session.flush()
    for recommendation in recommendations:
        recommendation.updated_at = utcnow()
        if recommendation.status is Status.AGREED:
            _move(user, recommendation, Status.PRESENTED, note="",
                  given={"presented_on": presented_on, "presented_to": body})
            audit.record("status_changed", recommendation, str(recommendation.title.get("sv", "")), user_id=user.id,
                         changes={"status": [Status.AGREED.value, Status.PRESENTED.value],
                                  "presented_on": [None, presented_on.isoformat()], "presented_to": [None, body]})
    audit.record("created", presentation, body, changes={
        "presented_on": [None, presented_on.isoformat()], "body": [None, body],
        "decision_makers_present": [None, decision_makers_present],
        "recommendations": [None, [r.id for r in recommendations]],
        "members": [None, sorted(m.id for m in presentation.members)],
        "officials": [None, sorted(u.id for u in presentation.officials)],
        "departments": [None, sorted(d.id for d in presentation.departments)]})
    return presentation


# --- followers ------------------------------------------------------------------------------

CONFIRM_DAYS = 7


@atomic()
def follow(email: str, language: str, *, recommendation_id: int | None = None, topic_id: int | None = None) -> None:
    """Start a double opt-in: nothing is sent about changes until the emailed link is opened."""

    email = normalize_email(email)
    follower = db.session.scalar(select(Follower).where(
        Follower.email == email,
        Follower.recommendation_id.is_(None) if recommendation_id is None
        else Follower.recommendation_id == recommendation_id,
        Follower.topic_id.is_(None) if topic_id is None else Follower.topic_id == topic_id))
    if follower is None:
        follower = Follower(email=email, language=language, recommendation_id=recommendation_id, topic_id=topic_id)
        db.session.add(follower)
    elif follower.confirmed_at:
        return  # already following: say nothing more
    else:
        follower.language = language
    db.session.flush()
    if throttle.email_allowed("follow-confirm", email):
        send_follow_confirmation(follower)


def follow_confirmable(token: str) -> Follower | None:
    return signed_links.resolve("follow-confirm", token, Follower, max_age_days=CONFIRM_DAYS)


def confirm_follow(token: str) -> Follower | None:
    return signed_links.confirm("follow-confirm", token, Follower, max_age_days=CONFIRM_DAYS)


def unfollow(token: str) -> bool:
    """One click, no login; nothing is kept."""
    return signed_links.remove("unfollow", token, Follower)


# --- access and erasure by address (see personal_data.py) -------------------------------------

def _follows_of(address) -> list[Follower]:  # noqa: ANN001 - personal_data.Address
    if not address.email:
        return []
    return list(db.session.scalars(select(Follower).where(Follower.email == address.email).order_by(Follower.id)))


def export_by_address(address) -> list[dict]:  # noqa: ANN001 - personal_data.Address
    return [audit.snapshot(follower, ("email", "language", "recommendation_id", "topic_id", "created_at",
                                      "confirmed_at")) for follower in _follows_of(address)]


def erase_by_address(address) -> dict:  # noqa: ANN001 - personal_data.Address
    follows = _follows_of(address)
    for follower in follows:
        db.session.delete(follower)
    return {"follows": len(follows)}
