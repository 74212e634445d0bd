import pytest

from forum_app.accounts.services import create_user

from .. import factories

pytestmark = pytest.mark.browser


def _login(page, live_server, lang="sv"):
    page.goto(f"{live_server}/{lang}/login")
    page.locator("#email").fill("amina@example.org")
    page.locator("#password").fill("correct horse battery")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def test_staff_plan_a_year_are_refused_a_seventh_topic_and_publish_a_forum(page, live_server, app, assert_accessible):
    with app.app_context():
        create_user("amina@example.org", "admin", "correct horse battery", name="Amina")
        for n in range(6):
            factories.topic(title=f"Ämne {n}", year=2027)
    _login(page, live_server, "en")
    page.goto(f"{live_server}/en/admin/topics/?year=2027")
    assert "6 of 6 topics planned for 2027" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"{live_server}/en/admin/topics/new?year=2027")
    page.locator("#year").fill("2027")
    page.locator("#title-sv").fill("Bostäder")
    for n in (1, 2, 3):
        page.locator(f"#question_{n}-sv").fill(f"Fråga {n}?")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert")
    assert "2027 already has 6 topics" in alert.inner_text()
    assert page.locator("#title-sv").input_value() == "Bostäder"
    assert_accessible(page)

    page.goto(f"{live_server}/en/admin/forums/new")
    page.get_by_label("Topic", exact=True).select_option(index=0)
    page.locator("#hook-sv").fill("Svårt att få jobb? Kom och berätta!")
    page.locator("#hook-ar").fill("هل تجد صعوبة في الحصول على عمل؟ تعال وأخبرنا!")
    page.locator("#starts_at").fill("2027-03-04T18:00")
    page.locator("#ends_at").fill("2027-03-04T21:00")
    page.get_by_label("Venue", exact=True).fill("Stadshuset")
    page.get_by_label("Address", exact=True).fill("Stora torget 1")
    page.get_by_label("Places", exact=True).fill("150")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    # The forum has only Swedish and Arabic: publishing asks first and names what is missing (issue 30).
    assert "Not yet translated into English" in page.locator("main").inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Publish anyway").click()
    assert "Open for registration" in page.locator("main").inner_text()


@pytest.mark.parametrize("lang,words", [("ar", "هل تجد صعوبة"), ("so", "Ma ku adag tahay")])
def test_resident_reads_the_invitation_adds_it_to_a_calendar_and_prints_the_poster(
        page, live_server, app, assert_accessible, lang, words):
    with app.app_context():
        forum = factories.forum(hook={"sv": "Svårt att få jobb?", "ar": "هل تجد صعوبة في الحصول على عمل؟",
                                      "so": "Ma ku adag tahay inaad shaqo hesho?"},
                                poster_languages=["sv", lang])
        forum_id = forum.id
    page.goto(f"{live_server}/{lang}/forums/")
    page.get_by_role("link", name=words).first.click()
    page.wait_for_url(f"{live_server}/{lang}/forums/{forum_id}")
    assert words in page.locator("h1").inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator(f"a[href='/{lang}/forums/{forum_id}.ics']").click()
    assert b"BEGIN:VCALENDAR" in open(download.value.path(), "rb").read()
    page.locator(f"a[href='/{lang}/forums/{forum_id}/poster']").click()
    page.wait_for_url(f"**/forums/{forum_id}/poster")
    assert page.locator("section.panel").count() == 2
    assert page.locator("section.panel svg").count() == 2
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".back").is_visible()
