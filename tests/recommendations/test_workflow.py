"""The role rules of the workflow, tested from one table of role × action."""

from datetime import date

import pytest

from forum_app.accounts.models import Role, User
from forum_app.core.extensions import db
from forum_app.recommendations import services, workflow
from forum_app.recommendations.models import Department, Recommendation, Status

from .. import factories

EXTRA = {"presented_on": date(2026, 3, 1), "presented_to": "Kommunstyrelsen",
         "decision_reason": {"sv": "Utanför våra befogenheter."}, "outcome": {"sv": "Gjort."}}

# (action, status before, admin, coreteam, official of the department, official of another department)
TABLE = [
    ("edit", Status.DRAFT, True, True, False, False),
    ("edit", Status.AGREED, True, True, False, False),
    ("edit", Status.ACCEPTED, True, False, False, False),
    ("assign", Status.ACCEPTED, True, False, False, False),
    ("view", Status.DRAFT, True, True, True, False),
    ("update", Status.IN_PROGRESS, True, False, True, False),
    ("update", Status.DRAFT, False, False, False, False),
    ("move:agreed", Status.DRAFT, True, True, False, False),
    ("move:draft", Status.AGREED, True, True, False, False),
    ("move:presented", Status.AGREED, True, False, False, False),
    ("move:accepted", Status.PRESENTED, True, False, False, False),
    ("move:declined", Status.PRESENTED, True, False, False, False),
    ("move:in_progress", Status.ACCEPTED, True, False, True, False),
    ("move:implemented", Status.IN_PROGRESS, True, False, True, False),
    ("move:partly_implemented", Status.IN_PROGRESS, True, False, True, False),
    ("move:implemented", Status.PARTLY_IMPLEMENTED, True, False, True, False),
    ("move:implemented", Status.DRAFT, False, False, False, False),
    ("move:accepted", Status.AGREED, False, False, False, False),
]
ROLES = ["admin", "coreteam", "official", "outsider"]


@pytest.fixture
def people(app_ctx):
    ours, theirs = Department(name={"sv": "Arbetsmarknad"}), Department(name={"sv": "Kultur"})
    db.session.add_all([ours, theirs])
    db.session.flush()
    users = {
        "admin": User(email="a@example.org", role=Role.ADMIN),
        "coreteam": User(email="c@example.org", role=Role.CORETEAM),
        "official": User(email="o@example.org", role=Role.OFFICIAL, department_id=ours.id),
        "outsider": User(email="x@example.org", role=Role.OFFICIAL, department_id=theirs.id),
    }
    db.session.add_all(users.values())
    db.session.commit()
    return users, ours


def _recommendation(status: Status, department: Department) -> Recommendation:
    topic = factories.topic()
    recommendation = Recommendation(topic_id=topic.id, title={"sv": "Praktik"}, text={"sv": "Text"}, status=status,
                                    departments=[department])
    db.session.add(recommendation)
    db.session.commit()
    return recommendation


def _try(action: str, user: User, recommendation: Recommendation) -> bool:
    if action == "edit":
        return workflow.can_edit(user, recommendation)
    if action == "assign":
        return workflow.can_assign(user, recommendation)
    if action == "view":
        return workflow.can_view(user, recommendation)
    if action == "update":
        try:
            services.post_update(user, recommendation, on=date(2026, 5, 1), text={"sv": "Nytt"})
        except workflow.WorkflowError:
            return False
        return True
    target = Status(action.split(":")[1])
    try:
        services.change_status(user, recommendation, target, note="test", **EXTRA)
    except workflow.WorkflowError:
        return False
    assert recommendation.status is target and recommendation.changes[-1].user_id == user.id
    return True


@pytest.mark.parametrize("action,status,expected", [(a, s, tuple(e)) for a, s, *e in TABLE],
                         ids=[f"{a}-{s.value}" for a, s, *_ in TABLE])
def test_role_by_action(people, action, status, expected):
    users, department = people
    for role, allowed in zip(ROLES, expected):
        recommendation = _recommendation(status, department)
        assert _try(action, users[role], recommendation) is allowed, (role, action, status)


def test_a_refused_move_says_why_in_the_reader_language(people, app):
    users, department = people
    recommendation = _recommendation(Status.PRESENTED, department)
    with pytest.raises(workflow.WorkflowError) as refused:
        services.change_status(users["admin"], recommendation, Status.DECLINED, note="")
    assert "skälet" in str(refused.value)  # outside a request: the city's language
    assert recommendation.status is Status.PRESENTED
    from flask_babel import force_locale

    with app.test_request_context("/ar/"), force_locale("ar"):
        assert "السبب" in str(refused.value.message)


def test_the_staff_lists_condition_answers_as_can_view_for_every_role(people):
    from sqlalchemy import select

    users, ours = people
    users["no department"] = User(email="n@example.org", role=Role.OFFICIAL)
    db.session.add(users["no department"])
    db.session.commit()
    theirs = db.session.scalar(select(Department).where(Department.id != ours.id))
    recommendations = [_recommendation(Status.ACCEPTED, ours), _recommendation(Status.DRAFT, theirs),
                       _recommendation(Status.IN_PROGRESS, theirs)]
    recommendations[2].responsible_official_id = users["no department"].id
    db.session.commit()
    for name, user in users.items():
        by_rule = {r.id for r in recommendations if workflow.can_view(user, r)}
        in_sql = set(db.session.scalars(select(Recommendation.id).where(workflow.viewable_by(user))))
        assert in_sql == by_rule, name
    assert {r.id for r in recommendations if workflow.can_view(users["official"], r)} == {recommendations[0].id}
