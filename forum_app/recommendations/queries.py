"""Reads of the public tracker that its pages, the home page and the open-data API share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import defaultload, lazyload, load_only

from ..accounts.models import Department
from ..core.extensions import db
from ..core.timeutil import city_today
from ..coreteam.models import CoreTeamMember
from ..planning.models import Forum, Topic
from ..planning.queries import HELD_STATUSES
from ..registrations.models import Registration
from ..web.links import MAX_ID
from . import workflow
from .display import PUBLIC_STATUSES
from .models import OPEN_MEASURES, ForumResult, Presentation, Recommendation, Status, StatusChange, forum_department


@dataclass(frozen=True)
class TookPart:
    """How many people took part in a held forum, and where the number comes from."""

    number: int
    recorded: bool  # True: the number staff recorded with the results; False: checked in and walk-ins


def took_part(forum_ids: Iterable[int]) -> dict[int, TookPart]:
    """{forum id: TookPart} of the held forums among ``forum_ids`` (a forum still to come has none): the one
    definition of "took part" that the forum's page, the API, the impact figures, the annual report and the
    cost per participant all read. The number staff record with the results counts (its form starts from
    the check-ins and staff add those who were not checked in); where none is recorded (no result, or a
    result saved before anyone came, at 0), the people checked in, walk-ins included. One query."""
    forum_ids = list(forum_ids)
    if not forum_ids:
        return {}
    checked_in = (select(Registration.forum_id, func.count().label("people"))
                  .where(Registration.forum_id.in_(forum_ids), Registration.attended_at.is_not(None))
                  .group_by(Registration.forum_id).subquery())
    rows = db.session.execute(
        select(Forum.id, ForumResult.attendance, checked_in.c.people)
        .outerjoin(ForumResult, ForumResult.forum_id == Forum.id)
        .outerjoin(checked_in, checked_in.c.forum_id == Forum.id)
        .where(Forum.id.in_(forum_ids), Forum.status.in_(HELD_STATUSES))).all()
    return {forum_id: TookPart(recorded, True) if recorded else TookPart(counted or 0, False)
            for forum_id, recorded, counted in rows}


def took_part_in(forum: Forum) -> TookPart | None:
    """For a forum's public page: None (and no query) until the forum is held."""
    return took_part([forum.id]).get(forum.id) if forum.status in HELD_STATUSES else None


def _number(args, name: str, low: int = 1, high: int = MAX_ID) -> int | None:  # noqa: ANN001
    value = args.get(name, type=int)
    return value if value is not None and low <= value <= high else None


def public_query(args):  # noqa: ANN001, ANN201 - request args; a select
    """Recommendations past the draft stage, filtered by year, topic, status and department."""
    query = select(Recommendation).join(Topic).where(Recommendation.status.in_(PUBLIC_STATUSES))
    year, topic, department = _number(args, "year", 2000, 2100), _number(args, "topic"), _number(args, "department")
    if year:
        query = query.where(Topic.year == year)
    if topic:
        query = query.where(Recommendation.topic_id == topic)
    if args.get("status") in {s.value for s in PUBLIC_STATUSES}:
        query = query.where(Recommendation.status == Status(args["status"]))
    if department:
        query = query.where(Recommendation.departments.any(Department.id == department))
    return query.order_by(Topic.year.desc(), Recommendation.topic_id, Recommendation.id)


PER_PAGE = 20  # recommendations on one page of the tracker
FILTERS = ("year", "topic", "status", "department")

# What a row of the tracker's list or the staff list shows, loaded with the page: not the history, the
# progress updates or the forums, which only the recommendation's own page needs.
CARD_OPTIONS = (lazyload(Recommendation.changes), lazyload(Recommendation.updates), lazyload(Recommendation.forums),
                defaultload(Recommendation.topic).lazyload(Topic.questions))
# A line of the dashboard's panel (a title, a status and a due date) needs neither the letters nor the
# presentations.
LINE_OPTIONS = (lazyload(Recommendation.hand_ons), lazyload(Recommendation.presentations))


def public_counts(query) -> dict[Status, int]:  # noqa: ANN001 - a select from public_query
    """{status: how many} of the recommendations ``query`` selects, counted in the database (one query
    for the tracker's summary line and its number of pages, however many there are)."""
    statuses = query.order_by(None).with_only_columns(Recommendation.status).subquery()
    counted = dict(db.session.execute(select(statuses.c.status, func.count()).group_by(statuses.c.status)).all())
    return {status: counted.get(status, 0) for status in Status}


def filter_choices() -> dict:
    return {
        "years": db.session.scalars(select(Topic.year).distinct().order_by(Topic.year.desc())).all(),
        "topics": db.session.scalars(select(Topic).options(load_only(Topic.id, Topic.year, Topic.title),
                                                           lazyload(Topic.questions))
                                     .order_by(Topic.year.desc(), Topic.id)).all(),
        "departments": db.session.scalars(select(Department).order_by(Department.id)).all(),
    }


# Counted in the database: the home page should not load every recommendation. Built once: the home
# page runs it on every view, and putting the statement together costs more than running it.
_TRACKER_COUNTS = (select(Recommendation.status, func.count())
                   .where(Recommendation.status.in_(PUBLIC_STATUSES)).group_by(Recommendation.status))


def tracker_summary() -> dict:
    counts = dict(db.session.execute(_TRACKER_COUNTS).all())
    return {"total": sum(counts.values()), "implemented": counts.get(Status.IMPLEMENTED, 0),
            "in_progress": counts.get(Status.IN_PROGRESS, 0) + counts.get(Status.PARTLY_IMPLEMENTED, 0)}


def workspace_data() -> dict:
    """For the core team's workspace and the officials' dashboard."""
    results = db.session.scalars(select(ForumResult).order_by(ForumResult.updated_at.desc()).limit(5)).all()
    drafts = db.session.scalars(select(Recommendation).where(Recommendation.status.in_(workflow.DRAFTING))
                                .options(*CARD_OPTIONS, *LINE_OPTIONS)
                                .order_by(Recommendation.updated_at.desc())).all()
    mine = []
    if current_user.is_authenticated and current_user.can("see_own_measures"):
        mine = [r for r in db.session.scalars(select(Recommendation).where(Recommendation.status != Status.DRAFT)
                                              .options(*CARD_OPTIONS, *LINE_OPTIONS))
                if workflow.is_responsible(current_user, r)]
    return {"results": results, "drafts": drafts, "mine": mine}



def measures_of(user) -> list[Recommendation]:  # noqa: ANN001 - a User
    """The measures an official is responsible for (in person or through their department), the one due
    next first, those without a planned completion date last, implemented and declined ones at the end."""
    rows = db.session.scalars(select(Recommendation).where(Recommendation.status != Status.DRAFT)
                              .order_by(Recommendation.id)).all()
    mine = [r for r in rows if workflow.is_responsible(user, r)]
    return sorted(mine, key=lambda r: (r.status not in OPEN_MEASURES, r.due_on is None, r.due_on or 0, r.id))


def presentable() -> list:
    """Recommendations that can be presented to the decision makers: agreed by the core team or later.
    Their id and title only (rows with ``.id`` and ``.title``): the form's choices need no more, and ten
    years of recommendations with their history cost four times the page."""
    return list(db.session.execute(select(Recommendation.id, Recommendation.title)
                                   .where(Recommendation.status != Status.DRAFT)
                                   .order_by(Recommendation.topic_id, Recommendation.id)))


def core_team_now() -> list:
    """The core-team members whose term runs today (who can present with the officials)."""
    today = city_today()
    return list(db.session.scalars(select(CoreTeamMember).where(
        CoreTeamMember.term_start <= today, CoreTeamMember.term_end >= today).order_by(CoreTeamMember.name)))


def all_presentations() -> list[Presentation]:
    return list(db.session.scalars(select(Presentation).order_by(Presentation.presented_on.desc())))


def status_changes_between(begin: datetime, finish: datetime) -> list[tuple[StatusChange, Recommendation]]:
    """Each move of a recommendation between ``begin`` and ``finish`` (not its creation), oldest first, with
    the recommendation: the newsletter tells what became of them."""
    return list(db.session.execute(select(StatusChange, Recommendation).join(Recommendation).where(
        StatusChange.at >= begin, StatusChange.at <= finish, StatusChange.from_status.is_not(None))
        .order_by(StatusChange.at)).all())


def sitemap_recommendations() -> list[tuple[int, datetime]]:
    """Every public recommendation's id and when it last changed, for the sitemap."""
    return list(db.session.execute(select(Recommendation.id, Recommendation.updated_at)
                                   .where(Recommendation.status.in_(PUBLIC_STATUSES)).order_by(Recommendation.id))
                .all())


def departments_present(forum_id: int) -> list[int]:
    """The departments recorded with a forum's results as having taken part."""
    return sorted(db.session.scalars(select(forum_department.c.department_id)
                                     .where(forum_department.c.forum_id == forum_id)))
