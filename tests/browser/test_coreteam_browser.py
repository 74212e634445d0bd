import re

import pytest

from forum_app.core.extensions import db
from forum_app.coreteam import services

pytestmark = pytest.mark.browser


def test_volunteer_is_accepted_sets_a_password_in_arabic_and_sees_the_workspace(
        page, live_server, app, smtp, assert_accessible):
    from datetime import timedelta

    from forum_app.accounts.services import create_user
    from forum_app.core.models_base import utcnow
    from forum_app.coreteam.models import Meeting

    with app.app_context():
        create_user("amina@example.org", "admin", "correct horse battery")
        volunteer = services.add_volunteer(name="Omar Khalil", email="omar@example.org", language="ar",
                                           languages=["ar"])
        start = utcnow() + timedelta(days=5)
        db.session.add(Meeting(title="Möte om rekommendationerna", starts_at=start, ends_at=start + timedelta(hours=2)))
        db.session.commit()
        services.accept(volunteer, invite=True)
    [message] = smtp.to("omar@example.org")
    link = re.search(r"http://localhost(/ar/set-password/\S+)", message.get_body(("plain",)).get_content()).group(1)

    page.goto(live_server + link)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)
    page.get_by_label("اختر كلمة مرور").fill("ett långt lösenord")
    page.get_by_label("كلمة المرور نفسها مرة أخرى").fill("ett långt lösenord")
    with page.expect_navigation():
        page.get_by_role("button", name="حفظ كلمة المرور").click()
    assert page.url.endswith("/ar/admin/")  # the dashboard, which holds the workspace for a member
    assert "Möte om rekommendationerna" in page.locator("main").inner_text()
    assert_accessible(page)
