import threading

import pytest
from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.planning import services
from forum_app.planning.models import Topic

from .. import factories
from ..conftest import submit


def _topic_form(title: str, year: int = 2027) -> dict:
    data = {"year": str(year), "title-sv": title, "title-ar": "عنوان", "origin": "both", "within_competence": "y"}
    for n in (1, 2, 3):
        data[f"question_{n}-sv"] = f"Fråga {n}?"
    return data


def test_six_topics_fit_in_a_year_and_a_seventh_is_refused(app_ctx):
    for n in range(6):
        factories.topic(title=f"Ämne {n}")
    with pytest.raises(services.TopicLimitReached) as refused:
        factories.topic(title="Sjunde")
    assert "2027" in str(refused.value) and "6" in str(refused.value)
    assert services.topics_in_year(2027) == 6
    factories.topic(title="Nästa år", year=2028)  # another year is free


def test_moving_a_topic_into_a_full_year_is_refused(app_ctx):
    for n in range(6):
        factories.topic(title=f"Ämne {n}", year=2027)
    other = factories.topic(title="Flytta mig", year=2028)
    with pytest.raises(services.TopicLimitReached):
        services.save_topic(other, year=2027, questions=factories.QUESTIONS, title=other.title)
    assert db.session.get(Topic, other.id).year == 2028


def test_a_topic_needs_three_or_four_questions(app_ctx):
    with pytest.raises(services.PlanningError):
        factories.topic(questions=factories.QUESTIONS[:2])
    topic = factories.topic(questions=factories.QUESTIONS + [{"sv": "Fyra?"}])
    assert [q.position for q in topic.questions] == [1, 2, 3, 4]


def test_staff_are_told_the_limit_in_their_language_and_keep_what_they_typed(client, login, app):
    login("admin")
    with app.app_context():
        for n in range(6):
            factories.topic(title=f"Ämne {n}")
    response = submit(client, "/en/admin/topics/new", _topic_form("Bostäder för unga"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "2027 already has 6 topics" in html
    assert 'value="Bostäder för unga"' in html
    swedish = submit(client, "/sv/admin/topics/new", _topic_form("Bostäder för unga")).get_data(as_text=True)
    assert "2027 har redan 6 frågor" in swedish


def test_admin_page_counts_the_topics_of_the_year(client, login, app):
    login("admin")
    response = submit(client, "/en/admin/topics/new", _topic_form("Äldre migranter"))
    assert response.status_code == 302
    with app.app_context():
        for n in range(3):
            factories.topic(title=f"Ämne {n}")
    assert "4 of 6 topics planned for 2027" in client.get("/en/admin/topics/?year=2027").get_data(as_text=True)


@pytest.mark.slow
def test_two_staff_saving_at_the_same_moment_cannot_pass_the_limit(app):
    with app.app_context():
        for n in range(5):
            factories.topic(title=f"Ämne {n}")
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def save(n: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                factories.topic(title=f"Samtidigt {n}")
                outcomes.append("saved")
            except services.TopicLimitReached:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 5 + ["saved"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Topic).where(Topic.year == 2027)) == 6


def test_demo_data_obeys_the_same_rule(app, demo):
    with app.app_context():
        from forum_app.core.models_base import utcnow
        from forum_app.core.timeutil import utc_to_local

        year = utc_to_local(utcnow()).year
        while services.topics_in_year(year) < 6:
            factories.topic(title=f"Extra {services.topics_in_year(year)}", year=year)
        with pytest.raises(services.TopicLimitReached):
            factories.topic(title="En för mycket", year=year)


def test_public_topics_page_shows_mandate_and_falls_back_to_swedish(client, app):
    with app.app_context():
        services.save_mandate(2027, decided_by={"sv": "Kommunstyrelsen", "so": "Guddiga fulinta"},
                              decision_reference="KS 2027/12", description={"sv": "Uppdraget."}, decided_on=None)
        factories.topic(title="Att hitta arbete", titles={"so": "Helitaanka shaqo"})
        factories.topic(title="Mottagandet")
    html = client.get("/so/topics/?year=2027").get_data(as_text=True)
    assert "Guddiga fulinta" in html and "KS 2027/12" in html
    assert "Helitaanka shaqo" in html
    assert '<span lang="sv" dir="ltr">Mottagandet</span>' in html  # marked as Swedish
    assert "fallback-note" in html
