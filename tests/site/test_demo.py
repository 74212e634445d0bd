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
