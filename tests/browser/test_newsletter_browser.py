import re

import pytest

pytestmark = pytest.mark.browser


def test_subscribe_in_ukrainian_confirm_and_read_the_archive(page, live_server, app, smtp, assert_accessible):
    page.goto(f"{live_server}/uk/newsletter/")
    assert_accessible(page)
    page.locator("main").get_by_label("Ваша адреса електронної пошти").fill("olena@example.org")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Підписатися").click()
    assert page.locator(".flash-success").is_visible()
    [message] = smtp.to("olena@example.org")
    link = re.search(r"http://localhost(/uk/newsletter/confirm/\S+)", message.get_body(("plain",)).get_content()).group(1)
    page.goto(live_server + link)  # a page with one button: opening the link confirms nothing
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("button").click()
    assert "Дякуємо" in page.locator(".flash-success").inner_text()
    assert_accessible(page)


def test_staff_issue_page_is_accessible_in_arabic(page, live_server, app, assert_accessible):
    from datetime import date

    from forum_app.accounts.services import create_user
    from forum_app.newsletter.services import create_issue

    with app.app_context():
        create_user("amina@example.org", "admin", "correct horse battery")
        issue_id = create_issue({"sv": "Vårens nyhetsbrev", "ar": "نشرة الربيع"}, date(2027, 1, 1), date(2027, 4, 30)).id
    page.goto(f"{live_server}/ar/login")
    page.locator("#email").fill("amina@example.org")
    page.locator("#password").fill("correct horse battery")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.goto(f"{live_server}/ar/admin/newsletter/{issue_id}")
    assert page.locator("h1").inner_text() == "نشرة الربيع"
    assert_accessible(page)
