"""The year's figures against data counted by hand, the threshold on feedback, and a query count
that does not grow with the data."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import insert

from forum_app.accounts.models import Department, Role, User
from forum_app.coreteam.models import Meeting
from forum_app.core.extensions import db
from forum_app.impact.queries import indicators
from forum_app.planning.models import BudgetCategory, BudgetLine, ForumStatus
from forum_app.recommendations.models import Presentation, Recommendation, Status, StatusChange, forum_department
from forum_app.registrations.models import RegistrationStatus

from .. import factories
from .helpers import answers, held_forum, participant

DAY0 = datetime(2027, 3, 1, 10, 0, tzinfo=timezone.utc)


def _recommendation(topic, status, departments, steps) -> Recommendation:  # noqa: ANN001
    rec = Recommendation(topic_id=topic.id, title={"sv": f"Åtgärd {status.value}"}, status=status,
                         departments=departments)
    for day, to_status in steps:
        rec.changes.append(StatusChange(to_status=to_status, at=DAY0 + timedelta(days=day)))
    db.session.add(rec)
    return rec


def build_two_years() -> None:
    """The data the expected figures below were counted from."""
    topic = factories.topic(2027, "Arbete")
    a = held_forum(topic, interpretation_languages=["ar", "ti"], childcare_offered=True)
    b = held_forum(factories.topic(2027, "Mottagande"), interpretation_languages=["so"], childcare_offered=False)
    c = factories.forum(factories.topic(2027, "Media"), days=5)  # not held: counts for nothing
    participant(c, present=False, interpretation="ar", children=[1])
    participant(a, spoken="ar", interpretation="ar", children=[3])  # interpreter and childcare met
    participant(a, spoken="ti", interpretation="fa")  # interpreter not met
    participant(a, spoken="ar", interpretation="ar", present=False)  # asked, did not come
    participant(a, spoken="", walk_in=True)
    participant(a, spoken="uk", status=RegistrationStatus.CANCELLED, present=False)
    participant(a, spoken="uk", status=RegistrationStatus.WAITING, present=False)
    participant(b, spoken="so", interpretation="so", children=[2, 4])  # childcare not offered there
    participant(b, spoken="ar")

    before = held_forum(factories.topic(2026, "Äldre"))
    participant(before, spoken="fa")
    participant(before, spoken="fa")
    participant(before, spoken="so", present=False)

    work, social, office = (Department(name={"sv": name}) for name in
                            ("Arbetsmarknadsförvaltningen", "Socialförvaltningen", "Integrationsenheten"))
    implemented = _recommendation(topic, Status.IMPLEMENTED, [work],
                                  [(0, Status.PRESENTED), (10, Status.ACCEPTED), (40, Status.IMPLEMENTED)])
    implemented.mainstreamed = implemented.against_discrimination = True
    _recommendation(topic, Status.IN_PROGRESS, [social, office],
                    [(0, Status.PRESENTED), (20, Status.ACCEPTED)]).against_discrimination = True
    _recommendation(topic, Status.DECLINED, [social],  # declined: no measure, whatever it is marked
                    [(0, Status.PRESENTED), (30, Status.DECLINED)]).against_discrimination = True
    _recommendation(topic, Status.DRAFT, [work], []).mainstreamed = True
    _recommendation(topic, Status.ACCEPTED, [office], []).mainstreamed = True
    db.session.commit()

    # Departments in dialogue: elderly care came to forum a (the office to b, which never counts); culture's
    # official was at a core-team meeting in each year; work and social own accepted measures in 2027.
    elderly, culture = Department(name={"sv": "Äldreförvaltningen"}), Department(name={"sv": "Kulturförvaltningen"})
    db.session.add_all([elderly, culture])
    db.session.flush()
    db.session.execute(insert(forum_department), [{"forum_id": a.id, "department_id": elderly.id},
                                                  {"forum_id": b.id, "department_id": office.id}])
    official = User(email="kultur@example.org", role=Role.OFFICIAL, department_id=culture.id)
    for year in (2026, 2027):
        at = datetime(year, 5, 4, 15, 0, tzinfo=timezone.utc)
        meeting = Meeting(title="Kärngruppen", starts_at=at, ends_at=at + timedelta(hours=2))
        meeting.officials_present = [official]
        db.session.add(meeting)
    for day, present in ((date(2027, 4, 1), 9), (date(2027, 6, 1), None), (date(2026, 11, 2), 5)):
        db.session.add(Presentation(presented_on=day, body="Kommunstyrelsen", decision_makers_present=present))
    db.session.commit()

    # Cooperation is answered four times only: too few to show.
    for represented, again, daily, together in ((5, 5, 5, 4), (4, 5, 4, 4), (3, 5, 2, None), (2, 1, 1, 5),
                                                (4, 1, 4, 2)):
        answers(a, 1, represented=represented, come_again=again, got_to_speak=4, daily_life=daily,
                cooperation=together)
    answers(before, 3, represented=5)

    for year, department, planned, actual in ((2027, work, "50000", "20000"), (2027, social, "10000", None),
                                              (2026, work, "3000", "3000")):
        db.session.add(BudgetLine(year=year, category=BudgetCategory.IMPLEMENTATION, department_id=department.id,
                                  planned=Decimal(planned), actual=Decimal(actual) if actual else None))

    for year, category, actual in ((2027, BudgetCategory.FOOD, "1000"), (2027, BudgetCategory.INTERPRETATION, "500"),
                                   (2027, BudgetCategory.IMPLEMENTATION, "99999"), (2027, BudgetCategory.VENUE, None)):
        db.session.add(BudgetLine(year=year, category=category, planned=Decimal("1"),
                                  actual=Decimal(actual) if actual else None))
    db.session.commit()


EXPECTED = {  # key: (2027, 2026)
    "forums_held": (2, 1), "participants": (5, 2), "returning_participants": (0, 0), "registered": (5, 3), "present": (5, 2), "walk_ins": (1, 0),
    "interpretation_asked": (66.7, 0.0), "interpretation_met": (66.7, None),
    "childcare_asked": (33.3, 0.0), "childcare_met": (50.0, None),
    "accepted_implemented": (33.3, None), "days_to_decision": (20.0, None), "days_to_implementation": (30.0, None),
    "departments": (2, 0), "feedback_answers": (5, 3),
    "represented": (60.0, None), "got_to_speak": (100.0, None), "come_again": (60.0, None),
    "cost_per_participant": (300.0, None),
    "dialogue_departments": (4, 1), "mainstreamed": (66.7, None), "against_discrimination": (2, 0),
    "against_discrimination_implemented": (1, 0), "presentations": (2, 1), "decision_makers_present": (9, 5),
    "daily_life": (60.0, None), "cooperation": (None, None),
    "measure_costs_planned": (60000.0, 3000.0), "measure_costs_actual": (20000.0, 3000.0),
}


def test_every_figure_matches_the_hand_count(app_ctx):
    build_two_years()
    data = indicators(2027)
    assert {f.key: (f.value, f.previous) for f in data.figures} == EXPECTED
    assert [f.key for f in data.figures if f.few_answers] == ["cooperation"]
    assert [key for key, _label, _figures in data.chapter()] == [
        "mainstreaming", "direct_dialogue", "implemented", "own_dialogue", "taken_up", "discrimination",
        "decision_makers", "represented", "daily_life", "cooperation"]
    costs = next(b for b in data.breakdowns if b.key == "measure_costs_by_department")
    assert sorted((r.label, r.value, r.previous) for r in costs.rows) == [
        ("Arbetsmarknadsförvaltningen", 20000.0, 3000.0), ("Socialförvaltningen", 0.0, 0.0)]
    languages = next(b for b in data.breakdowns if b.key == "participants_by_language")
    assert {r.key: (r.value, r.previous) for r in languages.rows} == {
        "ar": (2, 0), "ti": (1, 0), "so": (1, 0), "none": (1, 0), "fa": (0, 2)}
    statuses = next(b for b in data.breakdowns if b.key == "recommendations_by_status")
    assert {r.key: r.value for r in statuses.rows} == {
        "implemented": 1, "in_progress": 1, "declined": 1, "accepted": 1}
    departments = next(b for b in data.breakdowns if b.key == "recommendations_by_department")
    assert sorted((r.label, r.value) for r in departments.rows) == [
        ("Arbetsmarknadsförvaltningen", 1), ("Integrationsenheten", 2), ("Socialförvaltningen", 2)]


def test_feedback_scores_need_five_answers(app_ctx):
    forum = held_forum(factories.topic(2027, "Arbete"))
    answers(forum, 4, represented=5)
    assert indicators(2027).figure("represented").value is None
    answers(forum, 1, represented=1)
    assert indicators(2027).figure("represented").value == 80.0


def test_the_year_page_shows_each_figure_with_its_definition_and_last_year(app, client):
    with app.app_context():
        build_two_years()
    page = client.get("/en/impact/2027").get_data(as_text=True)
    assert "Interpretation need met" in page
    assert "the share whose language was interpreted at the forum" in page
    assert "2026: 3" in page  # registered the year before
    assert "<svg" in page and "<table" in page
    assert client.get("/en/impact/1999").status_code == 404


@pytest.mark.parametrize("path", ["/sv/impact/2027", "/sv/impact/2027/report", "/api/v1/impact/2027",
                                  "/sv/impact/2027.csv"])
def test_queries_do_not_grow_with_the_data(app, client, count_queries, path):
    with app.app_context():
        build_two_years()
    client.get(path)  # warm up
    with count_queries() as small:
        assert client.get(path).status_code == 200
    with app.app_context():
        more = factories.topic(2027, "Fler")
        for n in range(4):
            forum = held_forum(more)
            for _ in range(3):
                participant(forum, spoken="ti", interpretation="ti")
            answers(forum, 6)
            _recommendation(forum.topic, Status.IMPLEMENTED, [Department(name={"sv": f"Förvaltning {n}"})],
                            [(0, Status.PRESENTED), (5, Status.ACCEPTED), (9, Status.IMPLEMENTED)])
            db.session.commit()
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert large() == small(), (small(), large())


def test_a_forum_status_other_than_held_is_not_counted(app_ctx):
    forum = held_forum(factories.topic(2027, "Arbete"))
    participant(forum)
    forum.status = ForumStatus.CANCELLED
    db.session.commit()
    assert indicators(2027).figure("present").value == 0
