"""A forum's status moves along one table (issue 32, M2): results are published only for a forum that has
taken place, and publishing never closes the registration of a forum still to come."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.planning import services as planning
from forum_app.planning.models import FORUM_TRANSITIONS, Forum, ForumStatus
from forum_app.recommendations.models import ForumResult

from .. import factories
from ..conftest import submit

RESULT = {"attendance": "40", "summary-sv": "Vi pratade om jobb.", "publish": "y"}


def test_a_volunteer_cannot_publish_results_for_a_forum_still_to_come(app, client, login):
    with app.app_context():
        forum_id = factories.forum(days=10).id
    login("coreteam")
    response = submit(client, f"/en/admin/forums/{forum_id}/result", RESULT)
    assert response.status_code == 400
    assert "once the forum has taken place" in response.get_data(as_text=True)
    assert "Vi pratade om jobb." in response.get_data(as_text=True)  # what was typed is kept
    with app.app_context():
        forum = db.session.get(Forum, forum_id)
        assert forum.status is ForumStatus.PUBLISHED
        assert db.session.scalar(select(func.count()).select_from(ForumResult)) == 0  # nothing half-saved
    client.get("/sv/logout")
    assert 'name="consent"' in client.get(f"/en/forums/{forum_id}/register").get_data(as_text=True)


def test_a_result_can_be_prepared_before_the_forum_without_publishing(app, client, login):
    with app.app_context():
        forum_id = factories.forum(days=10).id
    login("coreteam")
    assert submit(client, f"/en/admin/forums/{forum_id}/result", {**RESULT, "publish": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(Forum, forum_id).status is ForumStatus.PUBLISHED
        assert db.session.scalar(select(ForumResult.published)) is False


@pytest.mark.parametrize("status", [ForumStatus.PUBLISHED, ForumStatus.HELD])
def test_results_of_a_forum_that_has_taken_place_are_published(app, client, login, status):
    with app.app_context():
        forum_id = factories.forum(days=-2, status=status).id
    login("coreteam")
    assert submit(client, f"/en/admin/forums/{forum_id}/result", RESULT).status_code == 302
    with app.app_context():
        assert db.session.get(Forum, forum_id).status is ForumStatus.DOCUMENTED
        assert db.session.scalar(select(ForumResult.published)) is True


def test_every_move_outside_the_table_is_refused(app_ctx):
    forum = factories.forum(days=-1, status=ForumStatus.DRAFT)
    allowed = {(ForumStatus.DRAFT, ForumStatus.PUBLISHED), (ForumStatus.PUBLISHED, ForumStatus.CANCELLED),
               (ForumStatus.PUBLISHED, ForumStatus.HELD), (ForumStatus.HELD, ForumStatus.DOCUMENTED)}
    assert {(a, b) for a, targets in FORUM_TRANSITIONS.items() for b in targets} == allowed
    for start in ForumStatus:
        for target in ForumStatus:
            forum.status = start
            if (start, target) in allowed:
                planning.move_forum(forum, target, "no")
                assert forum.status is target
            else:
                with pytest.raises(planning.PlanningError):
                    planning.move_forum(forum, target, "no")
                assert forum.status is start
    db.session.rollback()
