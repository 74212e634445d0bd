"""Issue 27 items 3 and 6: departments budget their measures (an official enters the costs of their own
department's measure; totals per department on the budget page, in its CSV and in the report), and the
data behind the chapter's indicators is collected where it arises, on the staff forms, audited."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import select

from forum_app.accounts.models import Department, User
from forum_app.core.audit import AuditEvent
from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.planning.models import BudgetCategory, BudgetLine, ForumStatus
from forum_app.recommendations.models import Presentation, Recommendation, Status, forum_department
from forum_app.web import history

from .. import factories
from ..conftest import submit
from .test_hand_on_and_presentations import _people
from .test_tracker import _rec


def _measure(app, status=Status.IN_PROGRESS) -> tuple[int, int, int]:  # noqa: ANN001
    """An accepted measure addressed to employment; (its id, employment's id, social services' id)."""
    with app.app_context():
        work, social = Department(name={"sv": "Arbetsmarknadsförvaltningen", "en": "Employment department"}), \
            Department(name={"sv": "Socialförvaltningen", "en": "Social services"})
        db.session.add_all([work, social])
        db.session.commit()
        return _rec(status, department=work).id, work.id, social.id


def _as(app, make_user, role: str, email: str, department_id: int | None = None):  # noqa: ANN001, ANN202
    """A client of its own, logged in as a new user of ``role`` (in ``department_id``)."""
    client = app.test_client()
    make_user(email, role)
    with app.app_context():
        db.session.scalar(select(User).where(User.email == email)).department_id = department_id
        db.session.commit()
    assert submit(client, "/sv/login", {"email": email, "password": "correct horse battery"}).status_code == 302
    return client


def test_an_official_budgets_their_departments_measure_and_the_budget_page_adds_it_up(app, make_user):
    rec_id, work_id, social_id = _measure(app)
    client = _as(app, make_user, "official", "karin@example.org", work_id)
    with app.app_context():
        year = city_today().year
    url = f"/en/admin/recommendations/{rec_id}/costs"
    assert "Costs of the measure" in client.get(f"/en/admin/recommendations/{rec_id}").get_data(as_text=True)
    response = submit(client, url, {"year": str(year), "department_id": str(work_id), "description": "Handledare",
                                    "planned": "40,000.50", "actual": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    # Another department's name is not a choice for her: refused, with what she typed kept.
    refused = submit(client, url, {"year": str(year), "department_id": str(social_id), "description": "Lokal",
                                   "planned": "900"})
    assert refused.status_code == 400 and 'value="Lokal"' in refused.get_data(as_text=True)
    with app.app_context():
        line = db.session.scalar(select(BudgetLine))
        assert (line.year, line.category, line.department_id, line.recommendation_id, line.planned, line.actual) == (
            year, BudgetCategory.IMPLEMENTATION, work_id, rec_id, Decimal("40000.50"), None)
        line_id = line.id
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "BudgetLine",
                                                          AuditEvent.action == "created")) is not None
    response = submit(client, f"{url}/{line_id}", {"year": str(year), "department_id": str(work_id),
                                                   "description": "Handledare", "planned": "40000",
                                                   "actual": "12500"})
    assert response.status_code == 302

    client = _as(app, make_user, "admin", "admin@example.org")
    page = client.get(f"/en/admin/budget/?year={year}").get_data(as_text=True)
    table = page[page.index('id="measure-costs"'):]
    assert "Employment department" in table[:table.index("</table>")]
    assert "40,000" in table[:table.index("</table>")] and "12,500" in table[:table.index("</table>")]
    rows = list(csv.reader(io.StringIO(client.get(f"/en/admin/budget/?year={year}&format=csv")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Total for the department", "", "", "Employment department", "", "40000.00", "12500.00"] in rows
    assert any(row[1] == "Handledare" and row[3] == "Employment department" and row[4] == str(rec_id) for row in rows)


def test_only_the_measures_department_enters_its_costs(app, make_user):
    rec_id, work_id, social_id = _measure(app)
    with app.app_context():
        db.session.add(BudgetLine(year=2027, category=BudgetCategory.IMPLEMENTATION, department_id=work_id,
                                  recommendation_id=rec_id, planned=Decimal("10")))
        db.session.commit()
        draft = _rec(Status.DRAFT).id
        both = _rec(Status.ACCEPTED)
        both.departments = [db.session.get(Department, work_id), db.session.get(Department, social_id)]
        db.session.commit()
        line_id, both_id = db.session.scalar(select(BudgetLine.id)), both.id
    client = _as(app, make_user, "official", "sara@example.org", social_id)  # social services: not this measure's
    assert client.get(f"/en/admin/recommendations/{rec_id}/costs").status_code == 403
    # On a measure addressed to both, she sees employment's costs but cannot change them.
    page = client.get(f"/en/admin/recommendations/{both_id}/costs")
    assert page.status_code == 200
    with app.app_context():
        db.session.add(BudgetLine(year=2027, category=BudgetCategory.IMPLEMENTATION, department_id=work_id,
                                  recommendation_id=both_id, planned=Decimal("5")))
        db.session.commit()
        other_line = db.session.scalar(select(BudgetLine.id).where(BudgetLine.recommendation_id == both_id))
    assert client.get(f"/en/admin/recommendations/{both_id}/costs/{other_line}").status_code == 403
    assert client.get(f"/en/admin/recommendations/{rec_id}/costs/{line_id}").status_code == 403
    client = _as(app, make_user, "coreteam", "dawit@example.org")
    assert client.get(f"/en/admin/recommendations/{rec_id}/costs").status_code == 403
    client = _as(app, make_user, "admin", "admin@example.org")
    assert client.get(f"/en/admin/recommendations/{draft}/costs").status_code == 403  # not accepted yet
    assert client.get(f"/en/admin/recommendations/{rec_id}/costs").status_code == 200


def test_the_marks_departments_present_and_decision_makers_are_recorded_on_the_staff_forms(client, app, login):
    rec_id, member_ids, official_id = _people(app)
    with app.app_context():
        department_id = db.session.scalar(select(Department.id))
        forum = factories.forum(days=-3, status=ForumStatus.HELD)
        forum_id = forum.id
        draft = _rec(Status.DRAFT, topic=forum.topic).id
        today = city_today().isoformat()
    login("admin")
    response = submit(client, f"/en/admin/forums/{forum_id}/result",
                      {"attendance": "40", "department_ids": [str(department_id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    response = submit(client, "/en/admin/presentations/", {
        "presented_on": today, "body": "Kommunstyrelsen", "recommendation_ids": [str(rec_id)],
        "member_ids": [str(i) for i in member_ids], "official_ids": [str(official_id)],
        "decision_makers_present": "13"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        topic_id = db.session.get(Recommendation, draft).topic_id
    response = submit(client, f"/en/admin/recommendations/{draft}/edit", {
        "topic_id": str(topic_id), "title-sv": "Praktik", "text-sv": "Kommunen erbjuder praktik.",
        "within_competence": "y", "mainstreamed": "y", "against_discrimination": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(forum_department.c.department_id)
                                  .where(forum_department.c.forum_id == forum_id)).scalars().all() == [department_id]
        assert db.session.scalar(select(Presentation.decision_makers_present)) == 13
        recommendation = db.session.get(Recommendation, draft)
        assert recommendation.mainstreamed and recommendation.against_discrimination
        changes = [e.changes for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "updated"))]
        assert any("departments_present" in (c or {}) for c in changes)
        assert any("mainstreamed" in (c or {}) and "against_discrimination" in (c or {}) for c in changes)
        # Each new audited field reads in words in the histories.
        assert [(e.object_type, name) for e in db.session.scalars(select(AuditEvent)) for name in (e.changes or {})
                if not history.described(e.object_type, name)] == []
