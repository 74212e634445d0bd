"""The figures behind the chapter's impact indicators, for one year and the year before.

Pure reads, and a fixed number of queries whatever the amount of data: every figure of both
years comes from the same fixed set of queries, registrations counted in the database. Who took part is
``recommendations.queries.took_part``, the one definition every page, file and API answer reads. Feedback is never shown below ``MIN_ANSWERS`` answers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from statistics import median

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, case, cast, func, or_, select

from ..accounts.models import Department, User
from ..core.extensions import db
from ..core.timeutil import local_to_utc, utc_to_local
from ..coreteam.models import Meeting, meeting_official_present
from ..i18n.content import language_display_name, localize
from ..planning.models import BudgetCategory, BudgetLine, Forum, ForumStatus, Mandate, Topic
from ..planning.queries import HELD_STATUSES, measure_costs
from ..recommendations.display import PUBLIC_STATUSES, status_label
from ..recommendations.models import (
    Presentation,
    Recommendation,
    Status,
    StatusChange,
    forum_department,
    recommendation_department,
)
from ..recommendations.queries import TookPart, took_part
from ..registrations.models import Registration, RegistrationStatus
from ..registrations.queries import returning_people
from .models import SCORED, FeedbackAnswer, FeedbackInvitation

MIN_ANSWERS = 5  # fewer answers than this are never shown: a person could be recognised
# Only an answer with a one-time credential (a personal link or a code from a slip) counts anywhere.
_COUNTS = FeedbackAnswer.credential.is_not(None)
HELD = (ForumStatus.HELD, ForumStatus.DOCUMENTED)
DECIDED = (Status.ACCEPTED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.PARTLY_IMPLEMENTED)
DONE = (Status.IMPLEMENTED, Status.PARTLY_IMPLEMENTED)
AGREE = 4  # "mostly" or "completely"

QUESTION_LABELS = {
    "got_to_speak": _l("Did you get to say what you wanted?"),
    "interpretation": _l("Was the interpretation enough?"),
    "childcare": _l("Was the childcare enough?"),
    "represented": _l("Do you feel the forum represents people like you?"),
    "come_again": _l("Would you come again?"),
    "daily_life": _l("Has the forum's work made daily life better for you or people you know?"),
    "cooperation": _l("Did the forum help you work together with people from other groups?"),
}
SCALE = {
    1: _l("Not at all"), 2: _l("A little"), 3: _l("Partly"), 4: _l("Mostly"), 5: _l("Completely"),
}


# Where each figure's data arises: a stable key (the API gives it) and the sentence under the figure.
SOURCES = {
    "registrations": _l("Source: the registrations and the check-ins at the door."),
    "results": _l("Source: the results staff record for each forum, else the check-ins at the door."),
    "recommendations": _l("Source: the recommendations in the tracker, their status history and the marks "
                          "staff set on them."),
    "departments": _l("Source: the departments recorded with each forum's results, the officials present at "
                      "core-team meetings, and the departments that own a measure."),
    "presentations": _l("Source: the joint presentations to the decision makers that staff record."),
    "feedback": _l("Source: the anonymous feedback form, each answer with a one-time credential."),
    "budget": _l("Source: the budget's actual costs, entered by staff and the departments' officials."),
}

# The chapter's impact indicators, in its order, each with the figures that answer it (docs/architecture.md).
CHAPTER = [
    ("mainstreaming", _l("Migration-specific aspects are built into broader measures."), ("mainstreamed",)),
    ("direct_dialogue", _l("The city holds a direct dialogue with residents and uses their practical expertise."),
     ("forums_held", "participants", "returning_participants")),
    ("implemented", _l("Recommended measures are implemented."), ("accepted_implemented", "days_to_implementation")),
    ("own_dialogue", _l("All departments, not only the integration office, open a dialogue of their own."),
     ("dialogue_departments",)),
    ("taken_up", _l("Recommendations are taken up by the competent departments."),
     ("departments", "days_to_decision", "measure_costs_planned", "measure_costs_actual")),
    ("discrimination", _l("Recommendations lead to effective, broad measures against discrimination."),
     ("against_discrimination", "against_discrimination_implemented")),
    ("decision_makers", _l("Decision makers know the effects of measures on non-citizens and take them into "
                           "account."), ("presentations", "decision_makers_present")),
    ("represented", _l("Members of minority groups feel represented by the forum."), ("represented",)),
    ("daily_life", _l("Migrants experience improvements in daily life."), ("daily_life",)),
    ("cooperation", _l("Better cooperation between migrant groups."), ("cooperation",)),
]


@dataclass
class Figure:
    key: str
    label: object  # a lazy string
    definition: object
    unit: str  # count, percent, days, money
    value: float | int | None
    previous: float | int | None
    source: str = "registrations"  # a key of SOURCES
    few_answers: bool = False  # rests on fewer than MIN_ANSWERS answers this year, so it is not shown

    @property
    def source_text(self) -> object:
        return SOURCES[self.source]

    @property
    def threshold(self) -> int:
        return MIN_ANSWERS

    @property
    def change(self) -> float | int | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)


@dataclass
class Row:
    key: str
    label: str
    value: float | int
    previous: float | int


@dataclass
class Breakdown:
    key: str
    label: object
    definition: object
    unit: str
    rows: list[Row] = field(default_factory=list)

    @property
    def largest(self) -> float:
        return max([r.value or 0 for r in self.rows] + [r.previous or 0 for r in self.rows] + [1])


@dataclass
class Indicators:
    year: int
    figures: list[Figure]
    breakdowns: list[Breakdown]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def chapter(self) -> list[tuple[str, object, list[Figure]]]:
        """The chapter's indicators, each with its figures."""
        return [(key, label, [self.figure(k) for k in keys]) for key, label, keys in CHAPTER]


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _base_language(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()


# --- one year's raw numbers -----------------------------------------------------------------

def _participation(forums: list, totals: list, interpreted: list) -> dict[int, dict]:
    """Each year's participation from the counts per forum and spoken language (``_participation_queries``)."""
    by_year: dict[int, dict] = defaultdict(lambda: {
        "forums": 0, "took_part": 0, "registered": 0, "present": 0, "walk_ins": 0, "languages": Counter(), "people": 0,
        "interp_asked": 0, "interp_present": 0, "interp_met": 0, "child_asked": 0, "child_present": 0,
        "child_met": 0})
    forum_info = {}
    for forum_id, year, childcare, offered in forums:
        by_year[year]["forums"] += 1
        forum_info[forum_id] = (year, childcare, {_base_language(c) for c in offered or []})
    for forum_id, language, *counts in totals:
        year, childcare, _offered = forum_info[forum_id]
        stats = by_year[year]
        counted = dict(zip(_TOTALS, (value or 0 for value in counts)))
        for key, value in counted.items():
            stats[key] += value
        stats["child_met"] += counted["child_present"] if childcare else 0
        if counted["present"]:
            stats["languages"][language or ""] += counted["present"]
    for forum_id, language, count in interpreted:
        year, _childcare, offered = forum_info[forum_id]
        by_year[year]["interp_met"] += count if _base_language(language) in offered else 0
    return by_year


# Who counts: a confirmed registration, and a walk-in only once checked in.
_COUNTED = and_(Registration.status == RegistrationStatus.CONFIRMED,
                or_(Registration.walk_in.is_(False), Registration.attended_at.is_not(None)))
_PRESENT = Registration.attended_at.is_not(None)
_INTERPRETATION = func.coalesce(Registration.interpretation_language, "") != ""
_CHILDREN = func.coalesce(cast(Registration.children_ages, String), "[]").not_in(("[]", "null"))
_TOTALS = ("people", "registered", "present", "walk_ins", "interp_asked", "interp_present", "child_asked",
           "child_present")


def _how_many(condition) -> object:  # noqa: ANN001 - a SQL condition; the sum is a column expression
    return func.sum(case((condition, 1), else_=0))


def _participation_queries(forum_ids: list[int]) -> tuple[list, list]:
    """Counted in the database, one row per forum and spoken language (and per interpretation language):
    the impact page reads two years of registrations, which at ten thousand a year cost more to turn
    into Python rows than to count."""
    if not forum_ids:
        return [], []
    of_forums = (Registration.forum_id.in_(forum_ids), _COUNTED)
    language = func.coalesce(Registration.spoken_language, "")
    totals = db.session.execute(select(
        Registration.forum_id, language, func.count(), _how_many(Registration.walk_in.is_(False)),
        _how_many(_PRESENT), _how_many(and_(_PRESENT, Registration.walk_in.is_(True))),
        _how_many(_INTERPRETATION), _how_many(and_(_INTERPRETATION, _PRESENT)), _how_many(_CHILDREN),
        _how_many(and_(_CHILDREN, _PRESENT)),
    ).where(*of_forums).group_by(Registration.forum_id, language)).all()
    interpreted = db.session.execute(
        select(Registration.forum_id, Registration.interpretation_language, func.count())
        .where(*of_forums, _PRESENT, _INTERPRETATION)
        .group_by(Registration.forum_id, Registration.interpretation_language)).all()
    return totals, interpreted


def _recommendations(recs: list, changes: list) -> dict[int, dict]:
    first: dict[tuple[int, Status], object] = {}
    for rec_id, to_status, at in changes:
        first.setdefault((rec_id, to_status), utc_to_local(at).date())
    by_year: dict[int, dict] = defaultdict(lambda: {"statuses": Counter(), "decided": 0, "implemented": 0,
                                                    "mainstreamed": 0, "discrimination": 0,
                                                    "discrimination_done": 0, "to_decision": [],
                                                    "to_implementation": []})
    for rec_id, year, status, presented_on, mainstreamed, discrimination in recs:
        stats = by_year[year]
        stats["statuses"][status] += 1
        if status in DECIDED:
            stats["decided"] += 1
            stats["implemented"] += status is Status.IMPLEMENTED
            stats["mainstreamed"] += bool(mainstreamed)
            stats["discrimination"] += bool(discrimination)
            stats["discrimination_done"] += bool(discrimination) and status in DONE
        presented = presented_on or first.get((rec_id, Status.PRESENTED))
        decisions = [first[(rec_id, s)] for s in (Status.ACCEPTED, Status.DECLINED) if (rec_id, s) in first]
        decided = min(decisions) if decisions else None
        if presented and decided and decided >= presented:
            stats["to_decision"].append((decided - presented).days)
        implemented = first.get((rec_id, Status.IMPLEMENTED))
        accepted = first.get((rec_id, Status.ACCEPTED))
        if accepted and implemented and implemented >= accepted:
            stats["to_implementation"].append((implemented - accepted).days)
    return by_year


def _feedback(answers: list) -> dict[int, dict]:
    by_year: dict[int, dict] = defaultdict(lambda: {"answers": 0, **{q: [0, 0] for q in SCORED}})
    for year, *scores in answers:
        stats = by_year[year]
        stats["answers"] += 1
        for question, score in zip(SCORED, scores):
            if score is not None:
                stats[question][0] += 1
                stats[question][1] += score >= AGREE
    return by_year


def _median(values: list[int]) -> float | None:
    return round(float(median(values)), 1) if values else None


# --- the figures ----------------------------------------------------------------------------

def indicators(year: int) -> Indicators:
    years = (year - 1, year)
    forums = db.session.execute(
        select(Forum.id, Topic.year, Forum.childcare_offered, Forum.interpretation_languages)
        .join(Topic, Topic.id == Forum.topic_id).where(Topic.year.in_(years), Forum.status.in_(HELD))).all()
    participation = _participation_queries([row[0] for row in forums])
    recs = db.session.execute(
        select(Recommendation.id, Topic.year, Recommendation.status, Recommendation.presented_on,
               Recommendation.mainstreamed, Recommendation.against_discrimination)
        .join(Topic, Topic.id == Recommendation.topic_id)
        .where(Topic.year.in_(years), Recommendation.status.in_(PUBLIC_STATUSES))).all()
    rec_year = {r[0]: (r[1], r[2]) for r in recs}
    presentations = _presentations(years)
    in_dialogue = _departments_in_dialogue(years, [row[0] for row in forums], {row[0]: row[1] for row in forums})
    spent_on_measures = measure_costs(years)
    changes = db.session.execute(
        select(StatusChange.recommendation_id, StatusChange.to_status, StatusChange.at)
        .where(StatusChange.recommendation_id.in_(list(rec_year))).order_by(StatusChange.at)).all() if recs else []
    departments = db.session.execute(
        select(recommendation_department.c.recommendation_id, Department.id, Department.name)
        .join(Department, Department.id == recommendation_department.c.department_id)
        .where(recommendation_department.c.recommendation_id.in_(list(rec_year)))).all() if recs else []
    answers = db.session.execute(
        select(Topic.year, *[getattr(FeedbackAnswer, q) for q in SCORED])
        .join(Forum, Forum.id == FeedbackAnswer.forum_id).join(Topic, Topic.id == Forum.topic_id)
        .where(Topic.year.in_(years), _COUNTS)).all()
    costs = dict(db.session.execute(
        select(BudgetLine.year, func.sum(BudgetLine.actual))
        .where(BudgetLine.year.in_(years), BudgetLine.actual.is_not(None),
               BudgetLine.category != BudgetCategory.IMPLEMENTATION)
        .group_by(BudgetLine.year)).all())

    people = _participation(forums, *participation)
    took = took_part(row[0] for row in forums)
    forum_year = {row[0]: row[1] for row in forums}
    for forum_id, counted in took.items():
        people[forum_year[forum_id]]["took_part"] += counted.number
    coming_back = {y: returning_people(f for f, fy in forum_year.items() if fy == y) for y in years}
    outcomes = _recommendations(recs, changes)
    feedback = _feedback(answers)
    owners = _department_owners(departments, rec_year)
    for y in years:
        in_dialogue[y] |= owners[y]
    now, before = year, year - 1

    def pair(compute) -> tuple:  # noqa: ANN001
        return compute(now), compute(before)

    def cost(y: int) -> float | None:
        spent, participants = costs.get(y), people[y]["took_part"]
        return round(float(Decimal(spent) / participants), 0) if spent and participants else None

    def agree(question: str):  # noqa: ANN202
        def compute(y: int) -> float | None:
            stats = feedback[y]
            answered, agreeing = stats[question]
            return _share(agreeing, answered) if answered >= MIN_ANSWERS else None
        return compute

    def said(key: str, label, definition) -> Figure:  # noqa: ANN001 - lazy strings
        """A share from the feedback, which says so when it rests on fewer than ``MIN_ANSWERS`` answers."""
        return Figure(key, label, definition, "percent", *pair(agree(key)), source="feedback",
                      few_answers=feedback[now][key][0] < MIN_ANSWERS)

    def measures(y: int, which: str) -> float:
        return float(sum(getattr(c, which) for c in spent_on_measures.get(y, [])))

    figures = [
        Figure("forums_held", _l("Forums held"), _l("Forums of the year's topics that were marked as held."),
               "count", *pair(lambda y: people[y]["forums"])),
        Figure("participants", _l("Took part"),
               _l("People who took part in the year's forums: for each forum the number staff recorded with its "
                  "results, else the people checked in at the door, walk-ins included."),
               "count", *pair(lambda y: people[y]["took_part"]), source="results"),
        Figure("returning_participants", _l("Came back"),
               _l("People who took part who had taken part in an earlier forum too, each counted once. They are "
                  "recognised by a coded key of their email address or phone number, so people who left neither "
                  "are not counted."),
               "count", *pair(lambda y: coming_back[y])),
        Figure("registered", _l("Registered"),
               _l("Confirmed registrations made before the forums (not the waiting list, not cancelled)."),
               "count", *pair(lambda y: people[y]["registered"])),
        Figure("present", _l("Checked in at the door"),
               _l("People checked in at the forums, walk-ins included. Not everyone who takes part is checked "
                  "in: see “Took part”."),
               "count", *pair(lambda y: people[y]["present"])),
        Figure("walk_ins", _l("Walk-ins"), _l("People who came without registering first."),
               "count", *pair(lambda y: people[y]["walk_ins"])),
        Figure("interpretation_asked", _l("Asked for an interpreter"),
               _l("Share of participants (registered or walk-in) who asked for interpretation."),
               "percent", *pair(lambda y: _share(people[y]["interp_asked"], people[y]["people"]))),
        Figure("interpretation_met", _l("Interpretation need met"),
               _l("Of those who asked for an interpreter and came, the share whose language was interpreted "
                  "at the forum."),
               "percent", *pair(lambda y: _share(people[y]["interp_met"], people[y]["interp_present"]))),
        Figure("childcare_asked", _l("Asked for childcare"),
               _l("Share of participants who registered children for childcare."),
               "percent", *pair(lambda y: _share(people[y]["child_asked"], people[y]["people"]))),
        Figure("childcare_met", _l("Childcare need met"),
               _l("Of those who asked for childcare and came, the share at forums that offered childcare."),
               "percent", *pair(lambda y: _share(people[y]["child_met"], people[y]["child_present"]))),
        Figure("accepted_implemented", _l("Accepted recommendations implemented"),
               _l("Of the recommendations the city accepted, the share now fully implemented."),
               "percent", *pair(lambda y: _share(outcomes[y]["implemented"], outcomes[y]["decided"])),
               source="recommendations"),
        Figure("days_to_decision", _l("Days from presentation to decision"),
               _l("Median number of days between presenting a recommendation to the city's leadership and "
                  "its acceptance or refusal."),
               "days", *pair(lambda y: _median(outcomes[y]["to_decision"])), source="recommendations"),
        Figure("days_to_implementation", _l("Days from decision to implementation"),
               _l("Median number of days between accepting a recommendation and its implementation."),
               "days", *pair(lambda y: _median(outcomes[y]["to_implementation"])),
               source="recommendations"),
        Figure("departments", _l("Departments that own a measure"),
               _l("Number of different departments, other than the integration office, responsible for an "
                  "accepted recommendation."),
               "count", *pair(lambda y: len(owners[y])), source="recommendations"),
        Figure("dialogue_departments", _l("Departments in dialogue"),
               _l("Number of different departments, other than the integration office, that sent someone to a "
                  "forum or a core-team meeting in the year, or own an accepted recommendation."),
               "count", *pair(lambda y: len(in_dialogue[y])), source="departments"),
        Figure("mainstreamed", _l("Measures in the regular service"),
               _l("Of the recommendations the city accepted, the share carried out as part of a department's "
                  "regular, broader service rather than as a project of its own (mainstreaming)."),
               "percent", *pair(lambda y: _share(outcomes[y]["mainstreamed"], outcomes[y]["decided"])),
               source="recommendations"),
        Figure("against_discrimination", _l("Measures against discrimination"),
               _l("Recommendations the city accepted that are marked as acting against discrimination."),
               "count", *pair(lambda y: outcomes[y]["discrimination"]), source="recommendations"),
        Figure("against_discrimination_implemented", _l("Measures against discrimination carried out"),
               _l("Of the accepted measures against discrimination, those implemented fully or in part."),
               "count", *pair(lambda y: outcomes[y]["discrimination_done"]), source="recommendations"),
        Figure("presentations", _l("Presentations to decision makers"),
               _l("Joint presentations of the forum's recommendations to the city's decision makers, by core-team "
                  "members and officials together."),
               "count", *pair(lambda y: presentations[y][0]), source="presentations"),
        Figure("decision_makers_present", _l("Decision makers reached"),
               _l("Decision makers present at those presentations, as staff recorded them."),
               "count", *pair(lambda y: presentations[y][1]), source="presentations"),
        Figure("feedback_answers", _l("Feedback answers"),
               _l("Anonymous answers from participants after the forums (online and on paper), each with a one-time "
                  "credential: a personal link or a code from a slip."),
               "count", *pair(lambda y: feedback[y]["answers"]), source="feedback"),
        said("represented", _l("Feel represented"),
             _l("Share who answered “mostly” or “completely” to: do you feel the forum represents people "
                "like you? Shown from 5 answers.")),
        said("got_to_speak", _l("Got to say what they wanted"),
             _l("Share who answered “mostly” or “completely” to: did you get to say what you wanted? "
                "Shown from 5 answers.")),
        said("come_again", _l("Would come again"),
             _l("Share who answered “mostly” or “completely” to: would you come again? Shown from 5 answers.")),
        said("daily_life", _l("Daily life better"),
             _l("Share who answered “mostly” or “completely” to: has the forum's work made daily life better "
                "for you or people you know? Shown from 5 answers.")),
        said("cooperation", _l("Working with other groups"),
             _l("Share who answered “mostly” or “completely” to: did the forum help you work together with "
                "people from other groups? Shown from 5 answers.")),
        Figure("cost_per_participant", _l("Cost per participant"),
               _l("The year's actual costs in the budget (not the departments' measures) divided by the "
                  "number of people who took part."),
               "money", *pair(cost), source="budget"),
        Figure("measure_costs_planned", _l("Departments' measures: planned"),
               _l("What the departments plan to spend on the forum's recommendations in the year, in their "
                  "budget lines."),
               "money", *pair(lambda y: measures(y, "planned")), source="budget"),
        Figure("measure_costs_actual", _l("Departments' measures: spent"),
               _l("What the departments have spent on the forum's recommendations in the year so far."),
               "money", *pair(lambda y: measures(y, "actual")), source="budget"),
    ]
    return Indicators(year, figures, [
        _language_breakdown(people[now]["languages"], people[before]["languages"]),
        _status_breakdown(outcomes[now]["statuses"], outcomes[before]["statuses"]),
        _department_breakdown(departments, rec_year, year),
        _feedback_breakdown([f for f in figures if f.key in FEEDBACK_FIGURES]),
        _costs_breakdown(spent_on_measures, year),
    ])


FEEDBACK_FIGURES = ("represented", "got_to_speak", "come_again", "daily_life", "cooperation")


def _presentations(years: tuple[int, int]) -> dict[int, tuple[int, int]]:
    """Per year: the joint presentations to the decision makers, and the decision makers present."""
    counted: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for presented_on, present in db.session.execute(select(Presentation.presented_on,
                                                           Presentation.decision_makers_present)
                                                    .where(Presentation.presented_on >= date(min(years), 1, 1),
                                                           Presentation.presented_on <= date(max(years), 12, 31))):
        counted[presented_on.year][0] += 1
        counted[presented_on.year][1] += present or 0
    return {y: tuple(counted[y]) for y in years}


def _departments_in_dialogue(years: tuple[int, int], forum_ids: list[int], forum_year: dict[int, int]
                             ) -> dict[int, set]:
    """Per year, the departments other than the integration office that sent someone to a held forum of the
    year's topics or to a core-team meeting in the year (an official recorded as present); the caller adds
    those that own a measure."""
    office = current_app.config["INTEGRATION_OFFICE_DEPARTMENT"].strip().lower()
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    in_dialogue: dict[int, set] = {y: set() for y in years}

    def add(year: int, department_id: int | None) -> None:
        if department_id is not None and (names.get(department_id) or {}).get("sv", "").strip().lower() != office:
            in_dialogue[year].add(department_id)

    if forum_ids:
        for forum_id, department_id in db.session.execute(
                select(forum_department.c.forum_id, forum_department.c.department_id)
                .where(forum_department.c.forum_id.in_(forum_ids))):
            add(forum_year[forum_id], department_id)
    start = local_to_utc(datetime(min(years), 1, 1))
    end = local_to_utc(datetime(max(years) + 1, 1, 1))
    for starts_at, department_id in db.session.execute(
            select(Meeting.starts_at, User.department_id)
            .join(meeting_official_present, meeting_official_present.c.meeting_id == Meeting.id)
            .join(User, User.id == meeting_official_present.c.user_id)
            .where(Meeting.starts_at >= start, Meeting.starts_at < end)):
        add(utc_to_local(starts_at).year, department_id)
    return in_dialogue


def _costs_breakdown(costs: dict, year: int) -> Breakdown:
    spent: dict[int, list] = {}
    for y, index in ((year, 1), (year - 1, 2)):
        for c in costs.get(y, []):
            spent.setdefault(c.department_id, [localize(c.name).text, 0.0, 0.0])[index] = float(c.actual)
    rows = [Row(str(i), label, n, p) for i, (label, n, p) in sorted(spent.items(), key=lambda kv: -kv[1][1])]
    return Breakdown("measure_costs_by_department", _l("Departments' measures: spent, by department"),
                     _l("What each department has spent on the forum's recommendations in the year."), "money",
                     rows)


def _department_owners(departments: list, rec_year: dict) -> dict[int, set]:
    office = current_app.config["INTEGRATION_OFFICE_DEPARTMENT"].strip().lower()
    owners: dict[int, set] = defaultdict(set)
    for rec_id, department_id, name in departments:
        year, status = rec_year[rec_id]
        if status in DECIDED and (name or {}).get("sv", "").strip().lower() != office:
            owners[year].add(department_id)
    return owners


def _language_breakdown(now: Counter, before: Counter) -> Breakdown:
    codes = sorted(set(now) | set(before), key=lambda c: (-now[c], -before[c], c))
    return Breakdown("participants_by_language", _l("Participants by spoken language"),
                     _l("People present, by the language they said they would speak."), "count",
                     [Row(code or "none", language_display_name(code) if code else str(_l("Not stated")),
                          now[code], before[code]) for code in codes])


def _status_breakdown(now: Counter, before: Counter) -> Breakdown:
    return Breakdown("recommendations_by_status", _l("Recommendations by status"),
                     _l("Recommendations on the year's topics, by where they are now."), "count",
                     [Row(s.value, status_label(s), now[s], before[s]) for s in PUBLIC_STATUSES
                      if now[s] or before[s]])


def _department_breakdown(departments: list, rec_year: dict, year: int) -> Breakdown:
    counts: dict[int, list] = {}
    for rec_id, department_id, name in departments:
        entry = counts.setdefault(department_id, [localize(name).text, 0, 0])
        entry[1 if rec_year[rec_id][0] == year else 2] += 1
    rows = [Row(str(i), label, n, p) for i, (label, n, p) in sorted(counts.items(), key=lambda kv: -kv[1][1])]
    return Breakdown("recommendations_by_department", _l("Recommendations by department"),
                     _l("Recommendations on the year's topics, by the department they are addressed to."),
                     "count", rows)


def _feedback_breakdown(figures: list[Figure]) -> Breakdown:
    return Breakdown("feedback", _l("What participants say"),
                     _l("Share answering “mostly” or “completely”, from the anonymous feedback."), "percent",
                     [Row(f.key, str(f.label), f.value, f.previous) for f in figures
                      if f.value is not None or f.previous is not None])


# --- one forum ------------------------------------------------------------------------------

@dataclass
class ForumFeedback:
    answers: int
    questions: list[dict]  # each: key, label, counts per score 1..5, answered; empty below MIN_ANSWERS

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS


def forum_feedback(forum_id: int) -> ForumFeedback:
    """The counted answers of one forum, per question and score; nothing below ``MIN_ANSWERS`` answers, and no
    question that fewer than ``MIN_ANSWERS`` people answered (the childcare question of the one person who
    used it would show that person's answer)."""
    rows = db.session.execute(select(*[getattr(FeedbackAnswer, q) for q in SCORED])
                              .where(FeedbackAnswer.forum_id == forum_id, _COUNTS)).all()
    if len(rows) < MIN_ANSWERS:
        return ForumFeedback(len(rows), [])
    questions = []
    for index, question in enumerate(SCORED):
        counts = Counter(row[index] for row in rows if row[index] is not None)
        answered = sum(counts.values())
        if answered >= MIN_ANSWERS:
            questions.append({"key": question, "label": QUESTION_LABELS[question], "answered": answered,
                              "counts": [(score, SCALE[score], counts[score]) for score in range(1, 6)],
                              "agree": _share(counts[4] + counts[5], answered)})
    return ForumFeedback(len(rows), questions)


def forum_comments(forum_id: int) -> list[str]:
    """Free-text comments, for staff only, in an order that says nothing about who wrote them."""
    return list(db.session.scalars(select(FeedbackAnswer.comment).where(
        FeedbackAnswer.forum_id == forum_id, FeedbackAnswer.comment != "", _COUNTS).order_by(FeedbackAnswer.comment)))


def report_data(year: int) -> dict:
    """What the annual report lists besides the figures: the mandate, topics, forums, recommendations."""
    mandate = db.session.scalar(select(Mandate).where(Mandate.year == year))
    topics = list(db.session.scalars(select(Topic).where(Topic.year == year).order_by(Topic.id)))
    forums = list(db.session.scalars(select(Forum).join(Topic, Topic.id == Forum.topic_id)
                                     .where(Topic.year == year, Forum.status.in_(HELD)).order_by(Forum.starts_at)))
    attendance: dict[int, TookPart] = took_part(f.id for f in forums)
    recommendations = list(db.session.scalars(
        select(Recommendation).join(Topic, Topic.id == Recommendation.topic_id)
        .where(Topic.year == year, Recommendation.status.in_(PUBLIC_STATUSES))
        .order_by(Recommendation.topic_id, Recommendation.id)))
    return {"mandate": mandate, "topics": topics, "forums": forums, "attendance": attendance,
            "recommendations": recommendations, "measure_costs": measure_costs([year]).get(year, [])}


def due_thank_yous(*, ended_after: datetime, ended_before: datetime) -> list[int]:
    """The registrations to thank: participants who came, with an email address or a phone number and a manage
    link, of held
    forums that ended between the two moments; not yet thanked. Oldest first."""
    thanked = select(FeedbackInvitation.registration_id)
    return list(db.session.scalars(select(Registration.id).join(Forum, Forum.id == Registration.forum_id).where(
        Forum.status.in_(HELD_STATUSES), Forum.ends_at < ended_before, Forum.ends_at > ended_after,
        Registration.status == RegistrationStatus.CONFIRMED, Registration.attended_at.is_not(None),
        or_(Registration.email != "", Registration.phone != ""),  # by email, else by SMS
        Registration.token_hash.is_not(None), Registration.id.not_in(thanked))
        .order_by(Registration.id)))
