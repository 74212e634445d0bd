from sqlalchemy import select

from forum_app.accounts.models import Role, User
from forum_app.core.extensions import db


def test_create_user_reads_the_password_from_standard_input(app):
    result = app.test_cli_runner().invoke(args=["create-user", "Ny@Example.org", "--role", "official"],
                                          input="a long enough password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ny@example.org"))
        assert user.role is Role.OFFICIAL
        assert user.check_password("a long enough password")


def test_create_user_refuses_a_duplicate_and_a_short_password(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["create-user", "a@example.org", "--role", "admin"], input="short\n").exit_code == 1
    assert runner.invoke(args=["create-user", "a@example.org", "--role", "admin"], input="long enough pw\n").exit_code == 0
    again = runner.invoke(args=["create-user", "A@example.org", "--role", "admin"], input="long enough pw\n")
    assert again.exit_code == 1
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1


def test_create_user_refuses_an_unknown_role(app):
    result = app.test_cli_runner().invoke(args=["create-user", "a@example.org", "--role", "mayor"], input="x" * 12)
    assert result.exit_code == 2
