"""Issue 29's flows done in a real browser, each once, as the role that does it: the official's update on a
phone, the admin's joint presentation and newsletter editor and forum copy on a laptop, the core team's
agreement to a topic; and the public pages they change read right."""

from datetime import timedelta

import pytest

from forum_app.accounts.models import Department, User
from forum_app.accounts.services import create_user
from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.coreteam.models import CoreTeamMember
from forum_app.newsletter.models import Issue, Section
from forum_app.recommendations.models import Recommendation, Status, StatusChange

from .. import factories

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def laptop(browser):
    context = browser.new_context(bypass_csp=True, viewport=LAPTOP, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


def _login(page, live_server, email, lang="sv"):  # noqa: ANN001
    page.goto(f"{live_server}/{lang}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def _recommendation(status, title, **fields) -> int:  # noqa: ANN001
    topic = factories.topic()
    recommendation = Recommendation(topic_id=topic.id, title=title, text={"sv": "Kommunen erbjuder praktik."},
                                    status=status, **fields)
    recommendation.changes.append(StatusChange(from_status=None, to_status=status))
    db.session.add(recommendation)
    db.session.commit()
    return recommendation.id


def test_an_official_on_a_phone_posts_one_update_with_a_new_status_and_date(page, live_server, app,
                                                                             assert_accessible):
    with app.app_context():
        official = create_user("karin@example.org", "official", PASSWORD, name="Karin Lind")
        today = city_today()
        late = _recommendation(Status.ACCEPTED, {"sv": "Praktikplatser", "ar": "أماكن تدريب"},
                               responsible_official_id=official.id, due_on=today - timedelta(days=5))
    _login(page, live_server, "karin@example.org")
    page.goto(f"{live_server}/sv/admin/recommendations/mine")
    overdue = page.locator("section[aria-labelledby=overdue-heading]")
    assert "Praktikplatser" in overdue.inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        overdue.get_by_role("link", name="Praktikplatser").click()
    assert page.locator("#progress-text-ar").is_hidden()  # the other languages wait behind "Add a translation"
    page.locator("#progress-on").fill(today.isoformat())
    page.locator("#progress-text-sv").fill("Tio platser är klara, tjugo till kommer i vår.")
    page.locator("#progress-to").select_option("in_progress")
    page.locator("#progress-due_on").fill((today + timedelta(days=120)).isoformat())
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Publicera rapporten").click()
    history = page.locator("section.history")
    assert history.count() == 1
    text = history.inner_text()
    assert "Pågår" in text and "Planerat klardatum" in text and "due_on" not in text
    page.goto(f"{live_server}/ar/recommendations/{late}")
    timeline = page.locator("section[aria-labelledby=timeline-heading]").inner_text()
    assert timeline.count("Tio platser är klara") == 1
    assert_accessible(page)


def test_the_admin_records_a_joint_presentation_once(laptop, live_server, app, assert_accessible):
    page = laptop
    with app.app_context():
        department = Department(name={"sv": "Arbetsmarknadsförvaltningen", "en": "Employment department"})
        db.session.add(department)
        db.session.commit()
        create_user("amina@example.org", "admin", PASSWORD, name="Amina")
        official = create_user("karin@example.org", "official", PASSWORD, name="Karin Lind")
        db.session.get(User, official.id).department_id = department.id
        today = city_today()
        db.session.add(CoreTeamMember(name="Dawit Tesfay", term_start=today - timedelta(days=30),
                                      term_end=today + timedelta(days=300)))
        db.session.commit()
        rec_id = _recommendation(Status.AGREED, {"sv": "Tolk vid varje möte", "en": "An interpreter at every meeting"})
    _login(page, live_server, "amina@example.org", "en")
    page.goto(f"{live_server}/en/admin/presentations/")
    page.locator("#presented_on").fill((today - timedelta(days=2)).isoformat())
    page.locator("#body").fill("Kommunstyrelsen")
    page.get_by_label("An interpreter at every meeting").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record").click()
    assert "at least one member of the core team" in page.locator("main").inner_text()
    assert page.locator("#body").input_value() == "Kommunstyrelsen"  # what was typed is kept
    page.get_by_label("Dawit Tesfay").check()
    page.get_by_label("Karin Lind").check()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Record").click()
    page.goto(f"{live_server}/en/recommendations/{rec_id}")
    main = page.locator("main").inner_text()
    assert "Presented to the city's leadership" in main and "Agreed by the core team" not in main.split("Timeline")[0]
    timeline = page.locator("section[aria-labelledby=timeline-heading]").inner_text()
    assert timeline.count("Presented") == 1
    assert_accessible(page)


def test_the_core_team_reads_a_topic_and_records_its_agreement(laptop, live_server, app, assert_accessible):
    page = laptop
    with app.app_context():
        create_user("dawit@example.org", "coreteam", PASSWORD, name="Dawit")
        user = User.by_email("dawit@example.org")
        today = city_today()
        db.session.add(CoreTeamMember(name="Dawit", email="dawit@example.org", user_id=user.id,
                                      term_start=today - timedelta(days=30), term_end=today + timedelta(days=300)))
        db.session.commit()
        topic = factories.topic(year=today.year + 1, title="Skolan och föräldrarna")
        topic_id, year = topic.id, topic.year
    _login(page, live_server, "dawit@example.org")
    page.goto(f"{live_server}/sv/admin/topics/?year={year}")
    with page.expect_navigation():
        page.get_by_role("link", name="Skolan och föräldrarna").click()
    assert page.locator("#title-sv").count() == 0  # the core team reads; it does not edit
    page.locator("#agreement-agreed_on").fill((today - timedelta(days=1)).isoformat())
    page.locator("#agreement-note").fill("Lägg till en fråga om kvällskurser.")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Spara förankringen").click()
    assert "Lägg till en fråga om kvällskurser." in page.locator("#agreement").inner_text()
    page.goto(f"{live_server}/sv/topics/?year={year}")
    assert "Förankrat med kärngruppen den" in page.locator(f"#topic-{topic_id}").inner_text()


def test_the_admin_adds_an_article_without_losing_what_was_typed(laptop, live_server, app, assert_accessible):
    page = laptop
    with app.app_context():
        create_user("amina@example.org", "admin", PASSWORD, name="Amina")
        issue = Issue(title={"sv": "Vårens nyhetsbrev"}, period_start=city_today() - timedelta(days=60),
                      period_end=city_today())
        issue.sections.append(Section(position=0, heading={"sv": "Forum"}, body={"sv": "Vi höll två forum."}))
        db.session.add(issue)
        db.session.commit()
        issue_id, section_id = issue.id, issue.sections[0].id
    _login(page, live_server, "amina@example.org")
    page.goto(f"{live_server}/sv/admin/newsletter/{issue_id}")
    page.locator(f"#body_{section_id}-sv").fill("Vi höll två forum med 130 deltagare och tolkar på fem språk.")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till en artikel").click()
    assert page.locator(f"#body_{section_id}-sv").input_value().startswith("Vi höll två forum med 130")
    assert page.locator("section.card").count() == 2
    assert "Vem som får det här numret" in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_admin_copies_an_earlier_forum(laptop, live_server, app, assert_accessible):
    page = laptop
    with app.app_context():
        create_user("amina@example.org", "admin", PASSWORD, name="Amina")
        earlier = factories.forum(days=-60, venue_access={"sv": "Buss 4 till Stora torget. Hiss finns."})
        label = f"{earlier.starts_at:%Y}"
    _login(page, live_server, "amina@example.org", "en")
    page.goto(f"{live_server}/en/admin/forums/new")
    option = page.locator("#copy option").filter(has_text=label).first.get_attribute("value")
    page.locator("#copy").select_option(option)
    with page.expect_navigation():
        page.get_by_role("button", name="Copy", exact=True).click()
    assert "Copied from" in page.locator("main").inner_text()
    assert page.locator("#starts_at").input_value() == ""
    page.get_by_text("Venue and access").click()  # the part folds open without JavaScript's help
    assert page.locator("#venue_access-sv").input_value() == "Buss 4 till Stora torget. Hiss finns."
    assert_accessible(page)
