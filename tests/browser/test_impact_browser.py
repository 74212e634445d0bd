"""The impact pages in a real browser, left to right and right to left, with axe-core."""

import pytest

from forum_app.accounts.services import create_user
from forum_app.core.extensions import db
from forum_app.impact.models import AnnualReport
from forum_app.planning.models import Forum

from .. import factories
from ..impact.helpers import answers, held_forum, participant

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _held_forum_with_answers() -> int:
    forum = held_forum(factories.topic(2027, "Arbete", titles={"ar": "إيجاد عمل"}), childcare_offered=True)
    participant(forum, spoken="ar", interpretation="ar", children=[4])
    answers(forum, 6, comment="Bra kväll")
    db.session.add(AnnualReport(year=2027, text={"sv": "Ett första år.", "ar": "عام أول."}))
    db.session.commit()
    return forum.id


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_a_participant_answers_on_a_phone_and_reads_the_figures(page, live_server, app, assert_accessible, lang):
    from forum_app.impact import services as impact

    with app.app_context():
        forum_id = _held_forum_with_answers()
        [code] = impact.make_slips(db.session.get(Forum, forum_id), 1)  # the slip the participant got
        db.session.commit()
    page.goto(f"{live_server}/{lang}/forums/{forum_id}/feedback")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert_accessible(page)
    page.locator("input[name=got_to_speak][value='4']").check()
    page.locator("input[name=represented][value='5']").check()
    page.locator("input[name=childcare][value='0']").check()
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator(".flashes").count() == 1  # counted; the form is there again for the next person's slip
    assert page.locator("input[name=represented]:checked").count() == 0
    assert_accessible(page)
    for path in (f"/{lang}/impact/2027", f"/{lang}/impact/2027/report", f"/{lang}/forums/{forum_id}",
                 f"/{lang}/forums/{forum_id}/feedback/sheet"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_the_staff_feedback_pages_are_accessible(page, live_server, app, assert_accessible):
    with app.app_context():
        forum_id = _held_forum_with_answers()
        create_user("amina@example.org", "admin", "correct horse battery")
    page.goto(f"{live_server}/fa/login")
    page.locator("#email").fill("amina@example.org")
    page.locator("#password").fill("correct horse battery")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    for path in (f"/fa/admin/forums/{forum_id}/feedback", "/fa/admin/impact/2027"):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    assert "Bra kväll" in page.goto(f"{live_server}/fa/admin/forums/{forum_id}/feedback").text()
