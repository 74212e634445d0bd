from datetime import timedelta

from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.timeutil import utc_to_local
from forum_app.newsletter import sending
from forum_app.newsletter.models import Issue, IssueStatus
from forum_app.planning.models import ForumStatus
from forum_app.recommendations.models import Recommendation, Status, StatusChange

from .. import factories
from ..conftest import submit


def test_staff_draft_an_issue_from_the_period_edit_preview_and_schedule(client, login, app, smtp, clock):
    clock("2027-04-15T10:00+02:00")  # a spring issue: a period ending in December adds the year's results
    with app.app_context():
        topic = factories.topic(titles={"ar": "إيجاد عمل"})
        factories.forum(topic, days=-10, status=ForumStatus.HELD)
        factories.forum(topic, days=20)
        recommendation = Recommendation(topic_id=topic.id, title={"sv": "Praktik", "ar": "تدريب"}, status=Status.ACCEPTED)
        recommendation.changes.append(StatusChange(from_status=Status.PRESENTED, to_status=Status.ACCEPTED,
                                                   at=utcnow() - timedelta(days=5)))
        db.session.add(recommendation)
        db.session.commit()
    login("admin")
    with app.app_context():
        today = utc_to_local(utcnow()).date()
    response = submit(client, "/en/admin/newsletter/", {
        "title-sv": "Vårens nyhetsbrev", "period_start": (today - timedelta(days=60)).isoformat(),
        "period_end": today.isoformat()})
    assert response.status_code == 302
    page = response.headers["Location"]
    with app.app_context():
        issue = db.session.scalar(select(Issue))
        kinds = [s.kind for s in issue.sections]
        assert kinds == ["forums_held", "new_topics", "coming_forums", "recommendations"]
        assert issue.sections[0].heading["ar"] and issue.sections[0].heading["ti"]  # drafted in every language
        section_id = issue.sections[3].id
    edit = {"title-sv": "Vårens nyhetsbrev", "title-ar": "نشرة الربيع"}
    with app.app_context():
        for section in db.session.scalar(select(Issue)).sections:
            for field in ("heading", "body"):
                for code, text in getattr(section, field).items():
                    edit[f"{field}_{section.id}-{code}"] = text
    edit[f"body_{section_id}-sv"] = "Praktiken är beslutad!"
    assert submit(client, page, edit).status_code == 302
    arabic = client.get(page + "/preview/ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and "نشرة الربيع" in arabic and "<img" not in arabic
    assert submit(client, page + "/test", {"test-email": "me@example.org", "test-language": "ar"},
                  page=page).status_code == 302
    assert smtp.to("me@example.org")[0]["Subject"] == "نشرة الربيع"
    with app.app_context():
        send_at = (utc_to_local(utcnow()) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    submit(client, page + "/schedule", {"schedule-send_at": send_at, "accept_missing": ["en", "fa", "so", "ti", "uk"]},
           page=page)
    with app.app_context():
        issue = db.session.scalar(select(Issue))
        assert issue.status is IssueStatus.SCHEDULED
        assert sending.send_due() == 0  # not yet due
    assert "1 issue planned for this year" in client.get("/en/admin/newsletter/").get_data(as_text=True)


def test_an_issue_whose_period_ends_in_december_links_the_year_s_report(client, login, app, clock):
    clock("2026-12-05T10:00+01:00")
    login("admin")
    response = submit(client, "/en/admin/newsletter/", {
        "title-sv": "Vinterns nyhetsbrev", "period_start": "2026-10-01", "period_end": "2026-12-05"})
    assert response.status_code == 302
    with app.app_context():
        sections = db.session.scalar(select(Issue)).sections
        assert [s.kind for s in sections] == ["annual_report"]
        assert "/en/impact/2026/report" in sections[0].body["en"]


def test_sent_issue_is_in_the_archive_and_the_atom_feed(client, app, subscribers, due_issue, smtp):
    from xml.etree import ElementTree

    subscribers(3)
    issue_id = due_issue()
    assert app.test_cli_runner().invoke(args=["newsletter", "send-due"]).output.strip() == "Sent 3 messages."
    archive = client.get("/ar/newsletter/").get_data(as_text=True)
    assert "نشرة الربيع" in archive
    assert "عقدنا منتديين." in client.get(f"/ar/newsletter/{issue_id}").get_data(as_text=True)
    feed = ElementTree.fromstring(client.get("/uk/newsletter/feed.atom").data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:entry/a:title", ns).text == "Весняний випуск"


def test_the_message_is_multipart_in_the_reader_language_without_tracking(app, subscribers, due_issue, smtp):
    subscribers(3)
    due_issue()
    with app.app_context():
        sending.send_due()
    arabic = smtp.to("reader1@example.org")[0]
    assert arabic["Subject"] == "نشرة الربيع" and arabic["Content-Language"] == "ar"
    html = arabic.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and "<img" not in html
    assert "عقدنا منتديين." in arabic.get_body(("plain",)).get_content()
    assert arabic["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long header may be folded onto a second line; the folding space is not part of its value.
    assert arabic["List-Unsubscribe"].strip().startswith("<http://localhost/ar/newsletter/unsubscribe/")


def test_a_new_article_has_a_placeholder_in_every_language(app, due_issue):
    from forum_app.i18n import LANGUAGES
    from forum_app.newsletter import services

    issue_id = due_issue()
    with app.app_context():
        section = services.add_article(db.session.get(Issue, issue_id))
        assert set(section.heading) == set(LANGUAGES) and section.heading["ar"] == "مقال جديد"


def test_an_address_the_server_cannot_carry_fails_alone_and_the_issue_goes_to_everyone_else(
        app, subscribers, due_issue, smtp, no_smtputf8):
    from forum_app.newsletter.models import Delivery, DeliveryStatus, Subscriber

    emails = subscribers(2)
    with app.app_context():
        db.session.add(Subscriber(email="amal@exämple.org", language="ar", confirmed_at=utcnow()))
        db.session.commit()
    due_issue()
    with app.app_context():
        assert sending.send_due() == 2
        statuses = dict(db.session.execute(select(Subscriber.email, Delivery.status)
                                           .join(Delivery, Delivery.subscriber_id == Subscriber.id)).all())
        assert sending.send_due() == 0  # nothing left to claim: the pass does not stop at that address
    assert statuses == {emails[0]: DeliveryStatus.SENT, emails[1]: DeliveryStatus.SENT,
                        "amal@exämple.org": DeliveryStatus.FAILED}
    assert sorted(m["To"] for m in smtp.messages) == sorted(emails)


def test_the_feed_carries_the_latest_twenty_issues_and_the_archive_twelve_a_page(client, app):
    from datetime import date

    from forum_app.newsletter.views import FEED_ENTRIES

    with app.app_context():
        for n in range(FEED_ENTRIES + 3):
            db.session.add(Issue(title={"sv": f"Nummer {n}"}, period_start=date(2020, 1, 1),
                                 period_end=date(2020, 2, 1), status=IssueStatus.SENT,
                                 sent_at=utcnow() - timedelta(days=100 - n)))
        db.session.commit()
    feed = client.get("/sv/newsletter/feed.atom").get_data(as_text=True)
    assert feed.count("<entry>") == FEED_ENTRIES and "Nummer 22" in feed and "Nummer 2<" not in feed
    archive = client.get("/en/newsletter/").get_data(as_text=True)
    assert "Nummer 22<" in archive and "Nummer 11<" in archive and "Nummer 10<" not in archive
    assert 'href="/en/newsletter/?page=2" rel="next">Next page</a>' in archive
    archive = client.get("/en/newsletter/?page=2").get_data(as_text=True)
    assert "Nummer 10<" in archive and "Nummer 0<" in archive and 'rel="prev"' in archive
    assert client.get("/en/newsletter/?page=3").status_code == 404


def test_the_archive_and_the_feed_run_as_many_queries_with_ten_years_of_issues(client, app, count_queries):
    from datetime import date

    def add(count: int) -> None:
        with app.app_context():
            for n in range(count):
                db.session.add(Issue(title={"sv": f"Nummer {n}"}, period_start=date(2020, 1, 1),
                                     period_end=date(2020, 2, 1), status=IssueStatus.SENT,
                                     sent_at=utcnow() - timedelta(days=400 - n)))
            db.session.commit()

    add(2)
    with count_queries() as few:
        for page in ("/sv/newsletter/", "/sv/newsletter/feed.atom"):
            assert client.get(page).status_code == 200
    add(30)
    with count_queries() as many:
        for page in ("/sv/newsletter/", "/sv/newsletter/?page=2", "/sv/newsletter/feed.atom"):
            assert client.get(page).status_code == 200
    with count_queries() as second:
        assert client.get("/sv/newsletter/?page=2").status_code == 200
    assert many() - second() == few()
