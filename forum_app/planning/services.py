"""Rules of the year's plan. Views, the CLI, the API and the demo all go through these."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..core import audit, events
from ..core.database import atomic, rule
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import city_today
from ..i18n import gaps
from .models import (
    FORUM_TRANSITIONS,
    BudgetCategory,
    BudgetLine,
    Consultation,
    Forum,
    ForumFormat,
    ForumStatus,
    GuidingQuestion,
    Mandate,
    Organisation,
    PartnerInvitation,
    Proposal,
    ProposerKind,
    SideEvent,
    Topic,
    TopicOrigin,
    organisation_topic,
)
from .notifications import send_partner_invitation
from .queries import MAX_TOPICS_PER_YEAR, DepartmentCosts, measure_costs, participants, places_in, topics_in_year

MIN_QUESTIONS, MAX_QUESTIONS = 3, 4


class PlanningError(DomainError):
    """A planning rule refused something; ``message`` is translatable text for the person."""


class TopicLimitReached(PlanningError):
    def __init__(self, year: int) -> None:
        super().__init__(_l("%(year)d already has %(max)d topics, the most the mandate allows in one year. "
                            "Choose another year or remove a topic first.", year=year, max=MAX_TOPICS_PER_YEAR))


def save_topic(topic: Topic | None, *, year: int, questions: list[dict], proposal_id: int | None = None,
               **fields) -> Topic:  # noqa: ANN003
    """Create a topic, or update one, holding the six-a-year rule under concurrent saves.

    The count and the insert happen in one transaction under the year's write lock. ``proposal_id``:
    the question of the year's call the new topic is made from.
    """
    topic_id = topic.id if topic is not None else None
    with rule("topics", year):
        topic = db.session.get(Topic, topic_id) if topic_id else None
        moving_in = topic is None or topic.year != year
        if moving_in and topics_in_year(year) >= MAX_TOPICS_PER_YEAR:
            raise TopicLimitReached(year)
        questions = [q for q in questions if q]
        if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
            raise PlanningError(_l("A topic needs three or four guiding questions."))
        created = topic is None
        if created:
            topic = Topic(year=year)
            db.session.add(topic)
        topic.year = year
        for name, value in fields.items():
            setattr(topic, name, value)
        _set_questions(topic, questions)
        proposal = db.session.get(Proposal, proposal_id) if proposal_id else None
        if proposal is not None and proposal.topic_id is None:
            proposal.topic = topic
        audit.record("created" if created else "updated", topic, str(topic.title.get("sv", "")))
    return topic


def _set_questions(topic: Topic, questions: list[dict]) -> None:
    existing = {q.position: q for q in topic.questions}
    for position, text in enumerate(questions, start=1):
        if position in existing:
            existing[position].text = text
        else:
            topic.questions.append(GuidingQuestion(position=position, text=text))
    for position, question in existing.items():
        if position > len(questions):
            topic.questions.remove(question)


AGREEMENT_FIELDS = ("core_team_agreed_on", "core_team_agreement")


@atomic()
def record_agreement(topic: Topic, *, agreed_on: date, note: str = "") -> None:
    """The chapter asks that each topic's mandate be agreed with the core team: when it was, and a note of
    what was agreed (a change of a question, a condition). The day cannot be one still to come."""
    if agreed_on > city_today():
        raise PlanningError(_l("Record the agreement once it has been reached: the date cannot be in the future."))
    before = audit.snapshot(topic, AGREEMENT_FIELDS)
    topic.core_team_agreed_on, topic.core_team_agreement = agreed_on, note
    audit.record("updated", topic, str(topic.title.get("sv", "")),
                 changes=audit.changes(before, audit.snapshot(topic, AGREEMENT_FIELDS)))


@atomic()
def delete_topic(topic: Topic) -> None:
    if topic.forums:
        raise PlanningError(_l("This topic has forums. Move or delete them before deleting the topic."))
    audit.record("deleted", topic, str(topic.title.get("sv", "")))
    db.session.delete(topic)


@atomic()
def save_mandate(year: int, **fields) -> Mandate:  # noqa: ANN003
    mandate = db.session.scalar(select(Mandate).where(Mandate.year == year)) or Mandate(year=year)
    for name, value in fields.items():
        setattr(mandate, name, value)
    db.session.add(mandate)
    audit.record("updated", mandate, str(year))
    return mandate


# --- the call for questions before the year's topics ---------------------------------------

@atomic()
def open_consultation(year: int, *, closes_on, intro: dict) -> Consultation:  # noqa: ANN001 - a date
    """Open (or change) the call for questions for ``year``."""
    consultation = db.session.scalar(select(Consultation).where(Consultation.year == year))
    created = consultation is None
    consultation = consultation or Consultation(year=year)
    before = audit.snapshot(consultation, ("closes_on", "intro")) if not created else None
    consultation.closes_on, consultation.intro = closes_on, intro
    db.session.add(consultation)
    db.session.flush()
    audit.record("created" if created else "updated", consultation, str(year),
                 changes=audit.changes(before, audit.snapshot(consultation, ("closes_on", "intro"))))
    return consultation


class CallClosed(PlanningError):
    def __init__(self) -> None:
        super().__init__(_l("The call for questions has closed."))


@atomic()
def propose(consultation: Consultation, *, question: str, kind: ProposerKind, proposer: str,
            language: str) -> Proposal:
    """A question sent to the open call, from the public page."""
    if not consultation.is_open(city_today()):
        raise CallClosed()
    proposal = Proposal(consultation_id=consultation.id, question=question, kind=kind, language=language,
                        proposer="" if kind is ProposerKind.RESIDENT else proposer)
    db.session.add(proposal)
    db.session.flush()
    audit.record("created", proposal, question[:80])
    return proposal


@atomic()
def mark_same_question(proposal: Proposal, same_as: Proposal | None) -> None:
    """Mark ``proposal`` (and the proposals already marked as its duplicates) as the same question as
    ``same_as``; ``None`` makes it a question of its own again."""
    if same_as is not None:
        same_as = same_as.same_as or same_as  # always point at the first of the group
        if same_as.id == proposal.id or same_as.consultation_id != proposal.consultation_id:
            raise PlanningError(_l("Choose another question of the same call."))
        for duplicate in list(proposal.duplicates):
            duplicate.same_as = same_as
    before = audit.snapshot(proposal, ("same_as_id",))
    proposal.same_as = same_as
    db.session.flush()
    audit.record("updated", proposal, proposal.question[:80],
                 changes=audit.changes(before, audit.snapshot(proposal, ("same_as_id",))))


def origin_of(proposal: Proposal) -> TopicOrigin:
    """Where a topic made from this question came from, by who raised it."""
    kinds = proposal.kinds
    if proposal.raised_by_both:
        return TopicOrigin.BOTH
    if ProposerKind.DEPARTMENT in kinds:
        return TopicOrigin.OFFICIALS
    return TopicOrigin.ASSOCIATIONS if ProposerKind.ASSOCIATION in kinds else TopicOrigin.CORETEAM


# --- forums ---------------------------------------------------------------------------------

def validate_forum_times(forum: Forum) -> None:
    if forum.ends_at <= forum.starts_at:
        raise PlanningError(_l("The forum must end after it starts."))
    if forum.registration_closes_at and forum.registration_closes_at > forum.starts_at:
        raise PlanningError(_l("Registration must close before the forum starts."))
    if (forum.registration_opens_at and forum.registration_closes_at
            and forum.registration_opens_at >= forum.registration_closes_at):
        raise PlanningError(_l("Registration must open before it closes."))


FORUM_FIELDS = ("topic_id", "hook", "description", "venue_access", "food", "venue_name", "venue_address",
                "venue_stop", "venue_latitude", "venue_longitude", "capacity",
                "childcare_offered", "childcare_capacity", "interpretation_languages", "moderator",
                "moderator_role", "poster_languages", "format", "starts_at", "ends_at", "registration_opens_at",
                "registration_closes_at")


MOVING_FIELDS = ("starts_at", "ends_at", "venue_name", "venue_address")


class MoveNeedsConfirmation(PlanningError):
    """A published forum with people registered would move: staff first see how many will be told."""

    def __init__(self, people: int) -> None:
        super().__init__(_l("People will be told about the new time or place. Tick the box to confirm."))
        self.people = people


def save_forum(forum: Forum | None, *, partner_ids: list[int], confirm_move: bool = True,
               **fields) -> Forum:  # noqa: ANN003
    """Create a draft forum or change one. Times are UTC. Nothing is saved if a rule refuses.

    Moving a published forum (its time or venue) tells everyone registered (``events.forum_moved``), with a
    calendar file of a higher SEQUENCE; without ``confirm_move`` it is refused with the number of people who
    would be told, for the page to ask first."""
    with atomic():
        target = forum or Forum(status=ForumStatus.DRAFT)
        before = audit.snapshot(target, FORUM_FIELDS) if forum is not None else None
        moves = forum is not None and forum.status is ForumStatus.PUBLISHED and any(
            name in fields and fields[name] != getattr(forum, name) for name in MOVING_FIELDS)
        announced_start = target.starts_at
        for name in FORUM_FIELDS:
            if name in fields:
                setattr(target, name, fields[name])
        target.partners = [db.session.get(Organisation, oid) for oid in partner_ids or []]
        validate_forum_times(target)
        if moves:
            people = places_in(target).people_to_tell
            if people and not confirm_move:
                raise MoveNeedsConfirmation(people)
            target.calendar_sequence = (target.calendar_sequence or 0) + 1
            if target.starts_at != announced_start:
                target.previous_starts_at = announced_start
        db.session.add(target)
        if forum is None:
            audit.record("created", target)
        else:
            audit.record("updated", target, changes=audit.changes(before, audit.snapshot(target, FORUM_FIELDS)))
        if moves:
            events.forum_moved.send(target)  # registrations tells everyone registered, in this transaction
    if forum is not None:
        events.forum_saved.send(target)  # after the commit: registrations promotes under the forum's own rule
    return target


def move_forum(forum: Forum, status: ForumStatus, refusal) -> None:  # noqa: ANN001 - a lazy message
    """Change a forum's status along ``FORUM_TRANSITIONS`` only; ``refusal`` is the message otherwise.
    A forum that is published moves to held only once it has started."""
    started = forum.starts_at <= utcnow()
    if status not in FORUM_TRANSITIONS[forum.status] or (status is ForumStatus.HELD and not started):
        raise PlanningError(refusal)
    forum.status = status


@atomic()
def publish_forum(forum: Forum, *, accept_missing: Iterable[str] = ()) -> None:
    """Publish a draft. A text not yet in every language raises ``gaps.MissingTranslations`` unless staff
    confirmed those very languages (``accept_missing``): readers of them would see Swedish."""
    missing = gaps.missing_in(forum)
    gaps.require_confirmation(missing, accept_missing)
    move_forum(forum, ForumStatus.PUBLISHED, _l("Only a draft can be published."))
    audit.record("published", forum, changes={"untranslated": [None, missing]} if missing else None)


@atomic()
def cancel_forum(forum: Forum, *, confirmed: bool) -> None:
    """Cancel a forum. With registrations, staff must confirm that they have seen the warning."""
    if ForumStatus.CANCELLED not in FORUM_TRANSITIONS[forum.status]:
        raise PlanningError(_l("This forum can no longer be cancelled."))
    if places_in(forum).anyone and not confirmed:
        raise PlanningError(_l("People have registered for this forum. Tick the box to confirm that you "
                               "want to cancel it anyway."))
    move_forum(forum, ForumStatus.CANCELLED, _l("This forum can no longer be cancelled."))
    audit.record("cancelled", forum)
    events.forum_cancelled.send(forum)  # registrations tells everyone registered, in this transaction


@atomic()
def mark_forum_held(forum: Forum) -> None:
    move_forum(forum, ForumStatus.HELD, _l("Only a published forum that has started can be marked as held."))
    audit.record("held", forum)


# --- the side programme of a full day -------------------------------------------------------

@atomic()
def add_side_event(forum: Forum, *, starts_at, title: dict, text: dict) -> SideEvent:  # noqa: ANN001 - UTC datetime
    if forum.format is not ForumFormat.FULL_DAY:
        raise PlanningError(_l("A side programme belongs to a full-day forum. Change the format first."))
    if not forum.starts_at <= starts_at < forum.ends_at:
        raise PlanningError(_l("The item must start while the forum is on."))
    item = SideEvent(forum=forum, starts_at=starts_at, title=title, text=text)
    db.session.add(item)
    db.session.flush()
    audit.record("created", item, str(title.get("sv", "")))
    return item


@atomic()
def delete_side_event(item: SideEvent) -> None:
    audit.record("deleted", item, str(item.title.get("sv", "")))
    db.session.delete(item)


# --- budget ---------------------------------------------------------------------------------

@dataclass
class BudgetSummary:
    year: int
    lines: list[BudgetLine]
    by_category: dict[BudgetCategory, tuple[Decimal, Decimal]] = field(default_factory=dict)
    by_forum: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    planned: Decimal = Decimal("0")
    actual: Decimal = Decimal("0")
    attendance: dict[int, int] = field(default_factory=dict)
    by_department: list[DepartmentCosts] = field(default_factory=list)  # the departments' measures

    def cost_per_participant(self, forum_id: int) -> Decimal | None:
        people = self.attendance.get(forum_id)
        spent = self.by_forum.get(forum_id, (0, Decimal("0")))[1]
        if not people or not spent:
            return None
        return (spent / people).quantize(Decimal("0.01"))


def budget_summary(year: int) -> BudgetSummary:
    lines = list(db.session.scalars(
        select(BudgetLine).where(BudgetLine.year == year).order_by(BudgetLine.category, BudgetLine.id)))
    summary = BudgetSummary(year, lines)
    category = defaultdict(lambda: [Decimal("0"), Decimal("0")])
    per_forum = defaultdict(lambda: [Decimal("0"), Decimal("0")])
    for line in lines:
        actual = line.actual or Decimal("0")
        category[line.category][0] += line.planned
        category[line.category][1] += actual
        if line.forum_id:
            per_forum[line.forum_id][0] += line.planned
            per_forum[line.forum_id][1] += actual
        summary.planned += line.planned
        summary.actual += actual
    summary.by_category = {c: tuple(v) for c, v in category.items()}
    summary.by_forum = {f: tuple(v) for f, v in per_forum.items()}
    if per_forum:
        summary.attendance = participants(per_forum)  # who took part (recommendations.queries.took_part)
    summary.by_department = measure_costs([year]).get(year, [])
    return summary


BUDGET_FIELDS = ("year", "category", "description", "forum_id", "department", "planned", "actual")


@atomic()
def save_budget_line(line: BudgetLine | None, **fields) -> BudgetLine:  # noqa: ANN003
    target = line or BudgetLine()
    before = audit.snapshot(target, BUDGET_FIELDS) if line is not None else None
    for name in BUDGET_FIELDS:
        setattr(target, name, fields.get(name))
    db.session.add(target)
    audit.record("created" if line is None else "updated", target, target.description,
                 changes=audit.changes(before, audit.snapshot(target, BUDGET_FIELDS)))
    return target


MEASURE_COST_FIELDS = ("year", "description", "department_id", "recommendation_id", "planned", "actual")


@atomic()
def save_measure_cost(line: BudgetLine | None, **fields) -> BudgetLine:  # noqa: ANN003
    """A measure's planned and actual costs for one year, owned by one department: a budget line of the
    implementation category (so the forum's cost per participant leaves it out), audited as every line is."""
    target = line or BudgetLine(category=BudgetCategory.IMPLEMENTATION)
    before = audit.snapshot(target, MEASURE_COST_FIELDS) if line is not None else None
    for name in MEASURE_COST_FIELDS:
        setattr(target, name, fields.get(name))
    target.category = BudgetCategory.IMPLEMENTATION
    db.session.add(target)
    audit.record("created" if line is None else "updated", target, target.description,
                 changes=audit.changes(before, audit.snapshot(target, MEASURE_COST_FIELDS)))
    return target


@atomic()
def delete_budget_line(line: BudgetLine) -> None:
    audit.record("deleted", line, line.description, changes=audit.changes(audit.snapshot(line, BUDGET_FIELDS), {}))
    db.session.delete(line)


# --- organisations --------------------------------------------------------------------------

@atomic()
def save_organisation(organisation, *, topic_ids: list[int], **fields):  # noqa: ANN001, ANN003, ANN201
    name = fields["name"]
    clash = db.session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.lower()))
    if clash is not None and clash is not organisation:
        raise PlanningError(_l("An organisation with this name is already in the network."))
    target = organisation or Organisation()
    for key, value in fields.items():
        setattr(target, key, value)
    target.topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids)))) if topic_ids else []
    db.session.add(target)
    audit.record("created" if organisation is None else "updated", target, name)
    return target


@atomic()
def delete_organisation(organisation: Organisation) -> None:
    audit.record("deleted", organisation, organisation.name)
    db.session.delete(organisation)


def organisations_to_invite(forum: Forum) -> list:
    """The forum's partners and every organisation linked to its topic, each once, by name."""

    linked = select(organisation_topic.c.organisation_id).where(organisation_topic.c.topic_id == forum.topic_id)
    partner_ids = [o.id for o in forum.partners]
    return list(db.session.scalars(
        select(Organisation).where(Organisation.id.in_(linked) | Organisation.id.in_(partner_ids))
        .order_by(Organisation.name)))


@atomic()
def send_partner_invitations(forum: Forum, organisation_ids: list[int], user_id: int | None) -> list[PartnerInvitation]:
    """Email the forum's invitation to the chosen partner organisations, each in its own language, through
    the outbox (saved with the log rows in one transaction), and log who got what and when."""
    if forum.status is not ForumStatus.PUBLISHED:
        raise PlanningError(_l("Publish the forum first: the invitation links to its public page."))
    chosen = [o for o in organisations_to_invite(forum) if o.id in set(organisation_ids) and o.email]
    if not chosen:
        raise PlanningError(_l("Choose at least one organisation with an email address."))
    sent = []
    for organisation in chosen:
        subject = send_partner_invitation(forum, organisation, organisation.mail_language)
        invitation = PartnerInvitation(forum_id=forum.id, organisation_id=organisation.id,
                                       organisation_name=organisation.name, email=organisation.email,
                                       language=organisation.mail_language, subject=subject[:300],
                                       sent_by_id=user_id)
        db.session.add(invitation)
        sent.append(invitation)
    db.session.flush()
    for invitation in sent:
        audit.record("sent", invitation, invitation.organisation_name)
    return sent


# --- access and erasure by address (see personal_data.py) -------------------------------------

def _organisations_of(address) -> list:  # noqa: ANN001 - personal_data.Address
    from ..core.addresses import normalize_email, normalize_phone  # noqa: PLC0415 - core; only for this rare request

    rows = db.session.scalars(select(Organisation).order_by(Organisation.id))
    if address.email:
        return [o for o in rows if o.email and normalize_email(o.email) == address.email]
    return [o for o in rows if o.phone and normalize_phone(o.phone) == address.phone]


def _partner_invitations_of(address) -> list:  # noqa: ANN001 - personal_data.Address
    if not address.email:
        return []
    return list(db.session.scalars(select(PartnerInvitation).where(
        func.lower(PartnerInvitation.email) == address.email).order_by(PartnerInvitation.id)))


def export_by_address(address) -> dict | None:  # noqa: ANN001 - personal_data.Address
    """A partner organisation's contact person: the organisation's contact details and the invitations sent."""
    organisations = [audit.snapshot(o, ("name", "contact_person", "email", "phone", "mail_language"))
                     for o in _organisations_of(address)]
    invitations = [audit.snapshot(i, ("forum_id", "organisation_name", "email", "subject", "sent_at"))
                   for i in _partner_invitations_of(address)]
    return {"organisations": organisations, "partner_invitations": invitations} if organisations or invitations else None


def erase_by_address(address) -> dict:  # noqa: ANN001 - personal_data.Address
    """The organisation stays (it is not a person); its contact person's name, address and phone go."""
    organisations = _organisations_of(address)
    for organisation in organisations:
        organisation.contact_person, organisation.email, organisation.phone = "", "", ""
    invitations = _partner_invitations_of(address)
    for invitation in invitations:
        invitation.email = ""
    return {"organisation_contacts": len(organisations), "partner_invitations": len(invitations)}
