"""How a recommendation's audited fields read in a history (``web/history.py``): statuses by their
words, people and departments by name, forums by their hooks, dates as the pages show them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.queries import departments_by_id, users_by_id
from ..core.extensions import db
from ..coreteam.queries import members_by_id
from ..i18n.content import localize
from ..planning.history import forum_names, topic_names
from ..web.history import Field, day, describe, enum_of, names, number, plain, text, yes_no
from .models import Recommendation, Status


def _people(ids: list[int]) -> dict[int, str]:
    return {u.id: u.name or u.email for u in users_by_id(ids)}


def _departments(ids: list[int]) -> dict[int, str]:
    return {d.id: localize(d.name).text for d in departments_by_id(ids)}


def _recommendations(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Recommendation.id, Recommendation.title)
                              .where(Recommendation.id.in_(ids))).all() if ids else []
    return {row[0]: localize(row[1]).text for row in rows}


def _members(ids: list[int]) -> dict[int, str]:
    return {m.id: m.name for m in members_by_id(ids)}


def _count(value) -> str:  # noqa: ANN001 - a whole number, or None when not recorded
    return "–" if value is None else number(value)


people = names(_people)

describe("Recommendation", {
    "title": Field(_l("Short title"), text), "text": Field(_l("Recommendation"), text),
    "topic_id": Field(_l("Topic"), topic_names), "forums": Field(_l("From the forums"), forum_names),
    "within_competence": Field(_l("Lies within the city's competence"), yes_no),
    "route": Field(_l("If outside: how the city passes it on"), text),
    "departments": Field(_l("Addressed to"), names(_departments)),
    "responsible_official_id": Field(_l("Responsible official (project lead)"), people),
    "responsible_role": Field(_l("Responsible role, as shown to the public"), text),
    "due_on": Field(_l("Planned completion date"), day),
    "status": Field(_l("Status"), enum_of(Status)), "note": Field(_l("Why (shown in the history)"), plain),
    "progress": Field(_l("Progress"), day), "on": Field(_l("Date"), day), "update": Field(_l("Progress"), text),
    "outcome": Field(_l("What was done"), text), "presented_on": Field(_l("Presented on"), day),
    "presented_to": Field(_l("To which meeting"), plain),
    "decision_reason": Field(_l("Reason given for declining"), text),
    "mainstreamed": Field(_l("Carried out as part of a department's regular service (mainstreaming)"), yes_no),
    "against_discrimination": Field(_l("Acts against discrimination"), yes_no),
})
describe("HandOn", {"answered_on": Field(_l("Answered on"), day), "answer": Field(_l("The answer, in short"), text)})
describe("Presentation", {
    "presented_on": Field(_l("Presented on"), day), "body": Field(_l("To which body"), plain),
    "recommendations": Field(_l("Recommendations presented"), names(_recommendations)),
    "members": Field(_l("Core-team members who presented"), names(_members)),
    "officials": Field(_l("Officials who presented"), people),
    "departments": Field(_l("Departments that presented (where no official is named)"), names(_departments)),
    "decision_makers_present": Field(_l("How many decision makers were present"), _count),
})
# What the recommendations' pages record on other domains' rows: the departments present at a forum (with its
# results) and a measure's costs (a budget line owned by a department).
describe("Forum", {"departments_present": Field(_l("Departments that took part"), names(_departments))})
describe("BudgetLine", {"department_id": Field(_l("Department"), names(_departments)),
                        "recommendation_id": Field(_l("Recommendation"), names(_recommendations))})
