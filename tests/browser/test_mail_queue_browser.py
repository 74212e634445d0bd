"""The mail queue and the dashboard's warnings in a real browser, right to left, with axe-core."""

import pytest
from sqlalchemy import update

from forum_app.accounts.services import create_user
from forum_app.core.extensions import db
from forum_app.mail.outbox.models import MailStatus, OutboxMessage

from ..notes import note

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_staff_see_a_failed_email_and_try_it_again(page, live_server, app, assert_accessible):
    app.config["MAIL_AFTER_COMMIT"] = "off"
    with app.app_context():
        for address in ("amal@example.org", "gone@example.org"):
            note(address, "تأكيد التسجيل", "x", "ar")
        db.session.commit()
        db.session.execute(update(OutboxMessage).where(OutboxMessage.recipient == "gone@example.org")
                           .values(status=MailStatus.FAILED, tries=1, last_error="550 5.1.1 No such user"))
        db.session.commit()
        create_user("amina@example.org", "admin", "correct horse battery")
    page.goto(f"{live_server}/fa/login")
    page.locator("#email").fill("amina@example.org")
    page.locator("#password").fill("correct horse battery")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator("main [role=alert]").count() >= 2  # a failed email, a silent scheduler
    assert_accessible(page)
    page.goto(f"{live_server}/fa/admin/mail/?status=failed")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "550 5.1.1 No such user" in page.locator("main table").text_content()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main table button[type=submit]").first.click()
    assert "gone@example.org" not in page.locator("main table").text_content()  # waiting again, not failed
    page.goto(f"{live_server}/fa/admin/mail/?status=waiting")
    assert "gone@example.org" in page.locator("main table").text_content()
    assert_accessible(page)
