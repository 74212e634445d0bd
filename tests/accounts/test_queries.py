"""The reads other domains make of people: one officials query for every list that offers officials."""

from forum_app.accounts import queries
from forum_app.core.extensions import db


def test_officials_by_name_and_only_those_who_can_log_in_unless_asked(app, make_user):
    for email in ("zara@example.org", "adam@example.org", "left@example.org"):
        make_user(email, role="official")
    make_user("admin@example.org", role="admin")
    make_user("team@example.org", role="coreteam")
    with app.app_context():
        left = next(u for u in queries.officials() if u.email == "left@example.org")
        left.active = False
        db.session.commit()
        assert [u.email for u in queries.officials()] == ["adam@example.org", "zara@example.org"]
        assert [u.email for u in queries.officials(inactive_too=True)] == [
            "adam@example.org", "left@example.org", "zara@example.org"]


def test_active_admins_leave_out_a_deactivated_one(app, make_user):
    make_user("first@example.org", role="admin")
    make_user("gone@example.org", role="admin")
    make_user("official@example.org", role="official")
    with app.app_context():
        [gone] = [u for u in queries.active_admins() if u.email == "gone@example.org"]
        gone.active = False
        db.session.commit()
        assert [u.email for u in queries.active_admins()] == ["first@example.org"]
