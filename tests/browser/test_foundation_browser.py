import pytest

from forum_app.accounts.services import create_user

pytestmark = pytest.mark.browser


def test_language_switcher_keeps_the_page_and_mirrors_for_arabic(page, live_server, assert_accessible):
    page.goto(f"{live_server}/sv/login")
    assert_accessible(page)
    page.get_by_role("navigation", name="Välj språk").get_by_role("link", name="العربية").click()
    page.wait_for_url(f"{live_server}/ar/login")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    # The layout really mirrors: the brand sits at the right edge in Arabic.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > 390 / 2
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["sv", "fa", "ti"])
def test_home_page_is_accessible(page, live_server, assert_accessible, lang):
    page.goto(f"{live_server}/{lang}/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_staff_logs_in_with_the_keyboard_in_persian(page, live_server, assert_accessible, app):
    with app.app_context():
        create_user("amina@example.org", "admin", "correct horse battery", name="Amina")
    page.goto(f"{live_server}/fa/admin/")
    page.wait_for_url(f"{live_server}/fa/login?next=/fa/admin/")
    page.get_by_label("نشانی ایمیل").fill("amina@example.org")
    page.get_by_label("گذرواژه").fill("wrong password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".error-message").is_visible()
    assert page.get_by_label("نشانی ایمیل").input_value() == "amina@example.org"
    assert_accessible(page)
    page.get_by_label("گذرواژه").fill("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/fa/admin/")
    assert "Amina" in page.locator("main").inner_text()
    assert_accessible(page)


def test_skip_link_is_the_first_stop_and_moves_focus(page, live_server):
    page.goto(f"{live_server}/en/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
