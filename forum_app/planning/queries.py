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
from functools import lru_cache

from flask import abort, current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from ..extensions import db
from ..models_base import utcnow
from ..timeutil import utc_to_local
from .models import Consultation, Forum, ForumStatus, Mandate, PartnerInvitation, Proposal, ProposerKind, Topic

PUBLIC_STATUSES = (ForumStatus.PUBLISHED, ForumStatus.CANCELLED, ForumStatus.HELD, ForumStatus.DOCUMENTED)
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


PlaceCounter = Callable[[list[Forum]], dict[int, tuple[int, int]]]
AttendanceCounter = Callable[[list[int]], dict[int, int]]


def install_counters(app, *, places: PlaceCounter, attendance: AttendanceCounter) -> None:  # noqa: ANN001
    """``places(forums)`` answers {forum id: (confirmed, waiting)}; ``attendance(forum_ids)`` answers
    {forum id: people checked in}."""
    app.extensions["forum_counters"] = {"places": places, "attendance": attendance}


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


@lru_cache(maxsize=None)
def _public_cards(upcoming_only: bool):  # noqa: ANN202 - a Select
    # Built once per process: putting a select and its loader options together costs more than
    # running it on a page that shows four forums. ``now`` is a parameter.
    query = _as_cards(select(Forum).where(Forum.status.in_(PUBLIC_STATUSES)))
    if upcoming_only:
        query = query.where(Forum.ends_at >= bindparam("now")).limit(bindparam("limit"))
    return query.order_by(Forum.starts_at, Forum.id)


def upcoming_and_past() -> tuple[list[Forum], list[Forum]]:
    """Every public forum: the coming ones soonest first, the past ones latest first (one query)."""
    now = utcnow()
    forums = db.session.scalars(_public_cards(False)).all()
    return [f for f in forums if f.ends_at >= now], [f for f in reversed(forums) if f.ends_at < now]


def upcoming_forums(limit: int) -> list[Forum]:
    return list(db.session.scalars(_public_cards(True), {"now": utcnow(), "limit": limit}))


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


def all_forums() -> list[Forum]:
    return list(db.session.scalars(select(Forum).order_by(Forum.starts_at.desc())))


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
