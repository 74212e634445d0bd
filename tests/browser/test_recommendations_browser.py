import pytest

from forum_app.core.extensions import db
from forum_app.recommendations.models import Department, Recommendation, Status, StatusChange

from .. import factories

pytestmark = pytest.mark.browser


def test_a_persian_reader_follows_the_tracker_to_a_recommendation(page, live_server, app, assert_accessible):
    with app.app_context():
        topic = factories.topic(titles={"fa": "پیدا کردن کار"})
        department = Department(name={"sv": "Arbetsmarknadsförvaltningen", "fa": "اداره بازار کار"})
        recommendation = Recommendation(topic_id=topic.id, title={"sv": "Praktikplatser", "fa": "کارآموزی"},
                                        text={"sv": "Kommunen erbjuder 30 praktikplatser."},
                                        status=Status.IN_PROGRESS, departments=[department])
        recommendation.changes.append(StatusChange(from_status=Status.ACCEPTED, to_status=Status.IN_PROGRESS,
                                                   note="Start"))
        db.session.add(recommendation)
        db.session.commit()
        rec_id = recommendation.id
    page.goto(f"{live_server}/fa/recommendations/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)
    page.get_by_label("وضعیت").select_option("in_progress")
    with page.expect_navigation():
        page.get_by_role("button", name="فیلتر").click()
    page.get_by_role("link", name="کارآموزی").click()
    page.wait_for_url(f"{live_server}/fa/recommendations/{rec_id}")
    assert "در حال اجرا" in page.locator("main").inner_text()
    assert page.locator(".fallback-note").is_visible()  # the text is only in Swedish
    assert_accessible(page)


def test_staff_pages_of_a_recommendation_are_accessible(page, live_server, app, assert_accessible):
    from forum_app.accounts.services import create_user

    with app.app_context():
        create_user("amina@example.org", "admin", "correct horse battery")
        forum = factories.forum(days=-2)
        forum_id = forum.id
    page.goto(f"{live_server}/ar/login")
    page.locator("#email").fill("amina@example.org")
    page.locator("#password").fill("correct horse battery")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    for path in (f"/ar/admin/forums/{forum_id}/result", f"/ar/admin/recommendations/new?forum={forum_id}",
                 "/ar/admin/users/", "/ar/admin/core-team/"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
