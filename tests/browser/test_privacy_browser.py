import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["ar", "so"])
def test_privacy_notice_is_accessible_and_reached_from_the_footer(page, live_server, assert_accessible, lang):
    page.goto(f"{live_server}/{lang}/")
    page.locator(".footer-links a").first.click()
    page.wait_for_url(f"{live_server}/{lang}/privacy")
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert_accessible(page)
