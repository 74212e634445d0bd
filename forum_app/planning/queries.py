"""Reads of the plan that pages, the API, the dashboard and other domains share.

Places taken and left, and who came: a forum's capacity is planning's, but who has a place is the
business of ``registrations``, which sits above planning. Registrations installs its counters at
start-up (``install_counters``); planning's pages, the budget and the API then ask :func:`places`
and :func:`attendance` without importing a higher domain. Each is one grouped query for any number
of forums.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from flask import abort, current_app
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from ..accounts.models import Department
from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import city_today, utc_to_local
from .models import (
    BudgetLine,
    Consultation,
    Forum,
    ForumStatus,
    Mandate,
    PartnerInvitation,
    Proposal,
    ProposerKind,
    Topic,
)

PUBLIC_STATUSES = (ForumStatus.PUBLISHED, ForumStatus.CANCELLED, ForumStatus.HELD, ForumStatus.DOCUMENTED)
HELD_STATUSES = (ForumStatus.HELD, ForumStatus.DOCUMENTED)  # it took place
MAX_TOPICS_PER_YEAR = 6


@dataclass(frozen=True)
class Places:
    """Places in one forum: its capacity, the confirmed registrations and the waiting list."""

    capacity: int
    confirmed: int = 0
    waiting: int = 0

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.confirmed >= self.capacity

    @property
    def anyone(self) -> bool:
        return bool(self.confirmed or self.waiting)

    @property
    def people_to_tell(self) -> int:
        """Everyone with a place or on the waiting list: those a change of the forum is told to."""
        return self.confirmed + self.waiting


PlaceCounter = Callable[[list[Forum]], dict[int, tuple[int, int]]]
AttendanceCounter = Callable[[list[int]], dict[int, int]]


def install_counters(app, *, places: PlaceCounter, attendance: AttendanceCounter,  # noqa: ANN001
                     phone_only: Callable[[int], int]) -> None:
    """``places(forums)`` answers {forum id: (confirmed, waiting)}; ``attendance(forum_ids)`` answers
    {forum id: people checked in}; ``phone_only(forum_id)``: those registered with a phone number only."""
    app.extensions.setdefault("forum_counters", {}).update(places=places, attendance=attendance,
                                                          phone_only=phone_only)


def install_participant_counter(app, counter: AttendanceCounter) -> None:  # noqa: ANN001
    """``counter(forum_ids)`` answers {forum id: people who took part} for the held forums: the one
    definition of "took part", which ``recommendations`` owns (with the forum's results); the budget's
    cost per participant reads it through :func:`participants`."""
    app.extensions.setdefault("forum_counters", {})["participants"] = counter


def phone_only(forum: Forum) -> int:
    """How many of a forum's registered people can only be reached by phone."""
    counter = _counter("phone_only")
    return counter(forum.id) if counter else 0


def _counter(name: str):  # noqa: ANN202
    return current_app.extensions.get("forum_counters", {}).get(name)


def places(forums: Iterable[Forum]) -> dict[int, Places]:
    forums = list(forums)
    counter = _counter("places")
    counted = counter(forums) if counter and forums else {}
    return {f.id: Places(f.capacity, *counted.get(f.id, (0, 0))) for f in forums}


def attendance(forum_ids: Iterable[int]) -> dict[int, int]:
    forum_ids = list(forum_ids)
    counter = _counter("attendance")
    return counter(forum_ids) if counter and forum_ids else {}


def participants(forum_ids: Iterable[int]) -> dict[int, int]:
    forum_ids = list(forum_ids)
    counter = _counter("participants")
    return counter(forum_ids) if counter and forum_ids else {}


def places_in(forum: Forum) -> Places:
    return places([forum])[forum.id]


def public_places(forums: Iterable[Forum]) -> dict[int, Places]:
    """Places as residents and the open data see them: a cancelled forum has none and shows no count."""
    forums = list(forums)
    counted = places(forums)
    return {f.id: Places(0) if f.status is ForumStatus.CANCELLED else counted[f.id] for f in forums}


def public_places_in(forum: Forum) -> Places:
    return public_places([forum])[forum.id]


@lru_cache(maxsize=None)
def _forum_with_questions():  # noqa: ANN202 - a Select
    # The invitation shows the topic's guiding questions: one query with them rather than two, built
    # once (at first use: at import time not every model is mapped yet).
    return (select(Forum).where(Forum.id == bindparam("forum_id"))
            .options(joinedload(Forum.topic).joinedload(Topic.questions)))


def public_forum_or_404(forum_id: int) -> Forum:
    forum = db.session.scalars(_forum_with_questions(), {"forum_id": forum_id}).unique().first()
    if forum is None or forum.status not in PUBLIC_STATUSES:
        abort(404)
    return forum


def _as_cards(query):  # noqa: ANN001, ANN202 - a Select
    """Load what a forum card shows (planning/_macros.html) and no more: not the long texts, not the
    topic's guiding questions. The list pages spend half their database time turning columns into
    Python; a card needs a third of them. (A card that starts showing another column would lazy-load
    it once per forum: the query-count tests catch that.)"""
    return query.options(
        load_only(Forum.id, Forum.topic_id, Forum.hook, Forum.starts_at, Forum.ends_at, Forum.venue_name,
                  Forum.venue_address, Forum.capacity, Forum.status, Forum.registration_opens_at,
                  Forum.registration_closes_at),
        joinedload(Forum.topic).load_only(Topic.id, Topic.title).lazyload(Topic.questions))


# --- the forum lists: the coming forums, this year's, and an archive by year -----------------------
#
# A list page shows a bounded number of forums whatever the years behind it: the coming ones and those
# of the current year, with the earlier years one link each (``?year=``). A forum's year is its topic's
# (the year of the mandate it answers), so the archive of 2024 is the forums on the 2024 topics. Each
# read below is one indexed query: ``ix_forum_status_ends_at``, ``ix_topic_year`` with ``ix_forum_topic_id``.

STAFF_STATUSES = tuple(ForumStatus)


@dataclass(frozen=True)
class ForumList:
    """One page of a forum list: ``coming`` soonest first, ``earlier`` (held or cancelled) latest first,
    and the years that have forums, latest first. ``year`` is the archive's year, None on the first page."""

    coming: list[Forum]
    earlier: list[Forum]
    years: list[int]
    year: int | None
    this_year: int


@lru_cache(maxsize=None)
def _cards(statuses: tuple[ForumStatus, ...], *, coming: bool):  # noqa: ANN202 - a Select
    query = _as_cards(select(Forum).where(Forum.status.in_(statuses)))
    if coming:
        query = query.where(Forum.ends_at >= bindparam("now"))
    else:
        query = query.join(Topic, Topic.id == Forum.topic_id).where(Topic.year == bindparam("year"))
    return query.order_by(Forum.starts_at, Forum.id)


@lru_cache(maxsize=None)
def _years(statuses: tuple[ForumStatus, ...]):  # noqa: ANN202 - a Select
    return (select(Topic.year).where(select(Forum.id).where(Forum.topic_id == Topic.id, Forum.status.in_(statuses))
                                     .exists()).distinct().order_by(Topic.year.desc()))


def forum_list(year: int | None, statuses: tuple[ForumStatus, ...] = PUBLIC_STATUSES) -> ForumList:
    """The coming forums and this year's earlier ones (``year`` None), or every forum of ``year``."""
    now, this_year = utcnow(), city_today().year
    years = list(db.session.scalars(_years(statuses)))
    if year is None:
        coming = list(db.session.scalars(_cards(statuses, coming=True), {"now": now}))
        of_year = db.session.scalars(_cards(statuses, coming=False), {"year": this_year}).all()
    else:
        of_year = db.session.scalars(_cards(statuses, coming=False), {"year": year}).all()
        coming = [f for f in of_year if f.ends_at >= now]
    earlier = [f for f in reversed(of_year) if f.ends_at < now]
    return ForumList(coming, earlier, years, year, this_year)


@lru_cache(maxsize=None)
def _upcoming_cards():  # noqa: ANN202 - a Select
    # Built once per process: putting a select and its loader options together costs more than
    # running it on a page that shows four forums. ``now`` and ``limit`` are parameters.
    return _cards(PUBLIC_STATUSES, coming=True).limit(bindparam("limit"))


def upcoming_forums(limit: int) -> list[Forum]:
    return list(db.session.scalars(_upcoming_cards(), {"now": utcnow(), "limit": limit}))


def topics_in_year(year: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Topic).where(Topic.year == year)) or 0


def year_topics(year: int) -> tuple[Mandate | None, list[Topic], list[int]]:
    """The year's mandate, its topics, and every year that has topics (for the year navigation)."""
    mandate = db.session.scalar(select(Mandate).where(Mandate.year == year))
    topics = db.session.scalars(select(Topic).where(Topic.year == year).order_by(Topic.id)).all()
    years = db.session.scalars(select(Topic.year).distinct().order_by(Topic.year)).all()
    return mandate, list(topics), list(years)


def home_upcoming_forums(limit: int = 4) -> dict:
    upcoming = upcoming_forums(limit)
    return {"forums": upcoming, "counts": public_places(upcoming), "now": utcnow()}


def dashboard_plan() -> dict:
    now = utcnow()
    year = utc_to_local(now).year
    upcoming = list(db.session.scalars(select(Forum).where(Forum.ends_at >= now).order_by(Forum.starts_at)))
    return {"year": year, "topic_count": topics_in_year(year), "limit": MAX_TOPICS_PER_YEAR,
            "upcoming": upcoming, "counts": places(upcoming)}


# --- the call for questions ---------------------------------------------------------------------

def open_call(today) -> Consultation | None:  # noqa: ANN001 - a date
    """The call for questions open today (the latest year's, if two are open)."""
    return db.session.scalar(select(Consultation).where(Consultation.closes_on >= today)
                             .order_by(Consultation.year.desc()).limit(1))


def consultation_for(year: int) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.year == year))


def question_groups(consultation: Consultation) -> list[Proposal]:
    """The first proposal of each question (its duplicates hang on it): those raised by both an
    association and a department first, then the ones most people raised."""
    firsts = list(db.session.scalars(
        select(Proposal).where(Proposal.consultation_id == consultation.id, Proposal.same_as_id.is_(None))
        .options(selectinload(Proposal.duplicates)).order_by(Proposal.id)))
    return sorted(firsts, key=lambda p: (not p.raised_by_both, -len(p.group), p.id))


def topics_made_from(consultation: Consultation) -> dict[int, Topic]:
    """{proposal id: topic} for the questions of this call that became a topic."""
    return {p.id: p.topic for p in consultation.proposals if p.topic_id is not None}


@dataclass(frozen=True)
class ProposedBy:
    names: list[str]  # associations and departments, by name, each once
    residents: int


def proposed_by(topic: Topic) -> ProposedBy | None:
    """Who raised the question a topic was made from (its duplicates included), for the public page."""
    if topic.proposal is None:
        return None
    group = topic.proposal.group
    names = list(dict.fromkeys(p.proposer for p in group if p.kind is not ProposerKind.RESIDENT and p.proposer))
    return ProposedBy(names, sum(1 for p in group if p.kind is ProposerKind.RESIDENT))


def partner_invitations(forum: Forum) -> list[PartnerInvitation]:
    """Who was sent the forum's invitation, newest first."""
    return list(db.session.scalars(select(PartnerInvitation).where(PartnerInvitation.forum_id == forum.id)
                                   .order_by(PartnerInvitation.sent_at.desc(), PartnerInvitation.id.desc())))


# --- what other domains and the API read of the plan -------------------------------------------

def forum_by_id(forum_id: int) -> Forum | None:
    return db.session.get(Forum, forum_id)


def forum_or_404(forum_id: int) -> Forum:
    """A forum whatever its status, for a staff page about it."""
    return db.get_or_404(Forum, forum_id)


def topic_or_404(topic_id: int) -> Topic:
    return db.get_or_404(Topic, topic_id)


def topic_title(topic_id: int) -> dict:
    """A topic's title in every language (``TranslatedText``)."""
    return db.session.get(Topic, topic_id).title


def forums_by_id(forum_ids: Iterable[int]) -> list[Forum]:
    """The forums with these ids (a measure names the forums it came from)."""
    forum_ids = list(forum_ids)
    return list(db.session.scalars(select(Forum).where(Forum.id.in_(forum_ids)))) if forum_ids else []


def published_not_over(limit: int) -> list[Forum]:
    """Published forums that have not ended yet (one under way too), soonest first: the core team's work."""
    return list(db.session.scalars(select(Forum).where(Forum.ends_at >= utcnow(), Forum.status == ForumStatus.PUBLISHED)
                                   .order_by(Forum.starts_at).limit(limit)))


def published_starting_after(moment: datetime, limit: int) -> list[Forum]:
    """Published forums that start after ``moment``, soonest first: a newsletter's "coming up"."""
    return list(db.session.scalars(select(Forum).where(Forum.starts_at > moment, Forum.status == ForumStatus.PUBLISHED)
                                   .order_by(Forum.starts_at).limit(limit)))


def held_between(begin: datetime, finish: datetime) -> list[Forum]:
    """Forums held (or documented) that started between ``begin`` and ``finish``, in order."""
    return list(db.session.scalars(select(Forum).where(
        Forum.starts_at >= begin, Forum.starts_at <= finish, Forum.status.in_(HELD_STATUSES))
        .order_by(Forum.starts_at)))


def topics_created_between(begin: datetime, finish: datetime) -> list[Topic]:
    return list(db.session.scalars(select(Topic).where(Topic.created_at >= begin, Topic.created_at <= finish)
                                   .order_by(Topic.id)))


def public_topics_query(year: int | None) -> Select:
    """The API's topics, newest year first (a query, so the caller can page it)."""
    query = select(Topic).order_by(Topic.year.desc(), Topic.id)
    return query.where(Topic.year == year) if year else query


def public_forums_query(topic_id: int | None) -> Select:
    """The API's public forums, latest first, optionally of one topic (a query, so the caller can page it)."""
    query = select(Forum).where(Forum.status.in_(PUBLIC_STATUSES)).order_by(Forum.starts_at.desc(), Forum.id)
    return query.where(Forum.topic_id == topic_id) if topic_id else query


def sitemap_forums() -> list[tuple[int, datetime]]:
    """Every public forum's id and when it last changed, for the sitemap."""
    return list(db.session.execute(select(Forum.id, Forum.updated_at).where(Forum.status.in_(PUBLIC_STATUSES))
                                   .order_by(Forum.id)).all())


def public_forum_years() -> list[int]:
    """The years that have public forums, latest first."""
    return list(db.session.scalars(_years(PUBLIC_STATUSES)))


def calendar_forums() -> list[Forum]:
    """The public forums not yet over, soonest first, with what their calendar events say (the side programme);
    cancelled ones too, so a subscribed calendar takes them off."""
    return list(db.session.scalars(
        select(Forum).where(Forum.status.in_((ForumStatus.PUBLISHED, ForumStatus.CANCELLED)), Forum.ends_at >= utcnow())
        .options(selectinload(Forum.side_programme)).order_by(Forum.starts_at, Forum.id)))


@dataclass
class DepartmentCosts:
    """One department's measure costs in one year: what it planned and what it has spent so far."""

    department_id: int
    name: dict
    planned: Decimal
    actual: Decimal


def measure_costs(years: Iterable[int]) -> dict[int, list[DepartmentCosts]]:
    """The departments' measure costs per year and department, largest plan first: the one sum the budget
    page, its CSV, the impact figures and the annual report all read. A budget line counts when a department
    owns it (the costs of a measure, issue 27 item 6); the forum's own costs have no department."""
    rows = db.session.execute(
        select(BudgetLine.year, BudgetLine.department_id, func.sum(BudgetLine.planned),
               func.sum(func.coalesce(BudgetLine.actual, 0)))
        .where(BudgetLine.year.in_(list(years)), BudgetLine.department_id.is_not(None))
        .group_by(BudgetLine.year, BudgetLine.department_id)).all()
    names = dict(db.session.execute(select(Department.id, Department.name).where(
        Department.id.in_({row[1] for row in rows}))).all()) if rows else {}
    by_year: dict[int, list[DepartmentCosts]] = {}
    for year, department_id, planned, actual in rows:
        by_year.setdefault(year, []).append(DepartmentCosts(department_id, names.get(department_id) or {},
                                                            Decimal(planned or 0), Decimal(actual or 0)))
    for costs in by_year.values():
        costs.sort(key=lambda c: (-c.planned, c.department_id))
    return by_year


def measure_cost_lines(recommendation_id: int) -> list[BudgetLine]:
    """A measure's cost lines, newest year first (the measure's costs page)."""
    return list(db.session.scalars(select(BudgetLine).where(BudgetLine.recommendation_id == recommendation_id)
                                   .order_by(BudgetLine.year.desc(), BudgetLine.id)))


def budget_line_or_404(line_id: int) -> BudgetLine:
    return db.get_or_404(BudgetLine, line_id)
