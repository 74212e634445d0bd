from sqlalchemy import func, select

from forum_app.accounts.models import User
from forum_app.core.extensions import db


def test_demo_is_safe_to_run_twice(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        users = db.session.scalar(select(func.count()).select_from(User))
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == users
        assert {u.role.value for u in db.session.scalars(select(User))} == {"admin", "coreteam", "official"}


def test_on_any_day_the_demo_has_a_held_forum_with_its_feedback_open(app, clock):
    """Issue 27 item 8: the demo's forums are placed relative to the day it runs; the reviewers found both
    held forums' feedback closed on the afternoon the demo was loaded."""
    from forum_app.demo import load_demo
    from forum_app.impact.services import is_open
    from forum_app.planning.models import Forum, ForumStatus

    clock("2027-03-01T16:30+01:00")
    with app.app_context():
        load_demo()
        held = db.session.scalars(select(Forum).where(Forum.status.in_((ForumStatus.HELD, ForumStatus.DOCUMENTED))))
        assert any(is_open(forum) for forum in held)
