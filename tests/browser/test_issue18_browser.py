"""Issue 18's new pages in a real browser with JavaScript off (plain forms only), left to right and right
to left, with axe-core: the call for questions, the side programme, the registration's diets, and the
staff pages that group questions, invite partners, record presentations and list an official's measures."""

from datetime import timedelta

import pytest

from forum_app.accounts.services import create_user
from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.planning import services
from forum_app.planning.models import ForumFormat, SideEvent
from forum_app.registrations.models import Registration

from .. import factories

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(bypass_csp=True, java_script_enabled=False, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_a_resident_proposes_a_question_and_registers_with_diets_without_javascript(
        no_js_page, page, live_server, app, assert_accessible, lang):
    with app.app_context():
        services.open_consultation(2027, closes_on=city_today() + timedelta(days=10), intro={"sv": "Berätta!"})
        forum = factories.forum(format=ForumFormat.FULL_DAY)
        forum.ends_at = forum.starts_at + timedelta(hours=7)
        forum.side_programme = [SideEvent(starts_at=forum.starts_at + timedelta(hours=2),
                                          title={"sv": "Lunch med musik", "ar": "غداء مع موسيقى"})]
        db.session.commit()
        forum_id = forum.id
    no_js_page.goto(f"{live_server}/{lang}/topics/propose")
    no_js_page.locator("textarea[name=question]").fill("Hur hittar äldre hemtjänsten?")
    no_js_page.locator("input[name=kind][value=association]").check()
    no_js_page.locator("input[name=proposer]").fill("Somaliska föreningen")
    with no_js_page.expect_navigation():
        no_js_page.locator("main button[type=submit]").click()
    assert no_js_page.locator(".flash-success").count() == 1
    no_js_page.goto(f"{live_server}/{lang}/forums/{forum_id}/register")
    no_js_page.locator("#name").fill("Amal Haddad")
    no_js_page.locator("#email").fill("amal@example.org")
    no_js_page.locator("details:has(input[name=diets]) > summary").click()  # folded until opened (issue 28)
    no_js_page.locator("input[name=diets][value=halal]").check()
    no_js_page.locator("#consent").check()
    with no_js_page.expect_navigation():
        no_js_page.locator("main form button[type=submit]").first.click()
    with no_js_page.expect_navigation():  # the answers to check, then "Send registration": no script either
        no_js_page.locator("main form button.send").click()
    with app.app_context():
        assert db.session.query(Registration.diets).scalar() == ["halal"]
    for path in (f"/{lang}/topics/propose", f"/{lang}/forums/{forum_id}", f"/{lang}/forums/{forum_id}/register"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    page.goto(f"{live_server}/{lang}/forums/{forum_id}")
    assert ("غداء مع موسيقى" if lang == "ar" else "Lunch med musik") in page.locator("main").inner_text()


def test_the_new_staff_pages_are_accessible(page, live_server, app, assert_accessible):
    with app.app_context():
        services.open_consultation(2027, closes_on=city_today() + timedelta(days=10), intro={})
        forum = factories.forum(format=ForumFormat.FULL_DAY)
        forum_id = forum.id
        create_user("amina@example.org", "admin", "correct horse battery")
    page.goto(f"{live_server}/fa/login")
    page.locator("#email").fill("amina@example.org")
    page.locator("#password").fill("correct horse battery")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    for path in ("/fa/admin/topics/consultation?year=2027", f"/fa/admin/forums/{forum_id}/programme",
                 f"/fa/admin/forums/{forum_id}/invite-partners", f"/fa/admin/forums/{forum_id}",
                 "/fa/admin/presentations/", "/fa/admin/core-team/volunteers/paper"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
