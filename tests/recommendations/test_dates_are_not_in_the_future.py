"""Progress updates and presentations record what has happened: a date after today is refused (issue 19)."""

from datetime import timedelta

import pytest

from forum_app.accounts.models import Role, User
from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.recommendations import services, workflow
from forum_app.recommendations.models import Recommendation, Status

from .. import factories
from ..conftest import submit


@pytest.fixture
def admin_and_recommendation(app_ctx):
    admin = User(email="a@example.org", role=Role.ADMIN)
    recommendation = Recommendation(topic_id=factories.topic().id, title={"sv": "Praktik"}, text={"sv": "Text"},
                                    status=Status.IN_PROGRESS)
    db.session.add_all([admin, recommendation])
    db.session.commit()
    return admin, recommendation


def test_a_progress_update_dated_tomorrow_is_refused_and_today_is_fine(admin_and_recommendation):
    admin, recommendation = admin_and_recommendation
    with pytest.raises(workflow.WorkflowError) as refused:
        services.post_update(admin, recommendation, on=city_today() + timedelta(days=1), text={"sv": "Klart snart"})
    assert "framtiden" in str(refused.value.message)  # outside a request: the default language, Swedish
    assert recommendation.updates == []
    services.post_update(admin, recommendation, on=city_today(), text={"sv": "Tio platser klara."})
    assert len(recommendation.updates) == 1


def test_a_presentation_in_the_future_is_refused(admin_and_recommendation):
    admin, recommendation = admin_and_recommendation
    recommendation.status = Status.AGREED
    db.session.commit()
    with pytest.raises(workflow.WorkflowError):
        services.change_status(admin, recommendation, Status.PRESENTED, presented_on=city_today() + timedelta(days=30),
                               presented_to="Kommunstyrelsen")
    assert recommendation.status is Status.AGREED


def test_the_refusal_is_shown_next_to_the_date_and_keeps_what_was_typed(client, login, app):
    with app.app_context():
        recommendation = Recommendation(topic_id=factories.topic().id, title={"sv": "Praktik"}, text={"sv": "Text"},
                                        status=Status.IN_PROGRESS)
        db.session.add(recommendation)
        db.session.commit()
        page = f"/sv/admin/recommendations/{recommendation.id}"
        tomorrow = (city_today() + timedelta(days=1)).isoformat()
    login("admin")
    response = submit(client, page + "/progress", {"progress-on": tomorrow, "progress-text-sv": "Tio platser klara.",
                                               "progress-to": ""},
                      page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "kan inte ligga i framtiden" in html and "Tio platser klara." in html
