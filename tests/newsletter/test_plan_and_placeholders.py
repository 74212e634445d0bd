"""An issue is not scheduled with the placeholder text still in it, and the dashboard counts the issues it
says are planned (issue 19)."""

from datetime import date, timedelta

import pytest

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.timeutil import city_today
from forum_app.i18n import LANGUAGES
from forum_app.newsletter import services
from forum_app.newsletter.models import Issue, IssueStatus, Section

from ..conftest import submit


def _issue(status=IssueStatus.DRAFT, year=None) -> int:  # noqa: ANN001
    year = year or city_today().year
    issue = Issue(title={"sv": "Vårens nyhetsbrev"}, period_start=date(year, 1, 1), period_end=date(year, 4, 30),
                  status=status, send_at=utcnow() + timedelta(days=3) if status is not IssueStatus.DRAFT else None)
    issue.sections.append(Section(position=0, heading={"sv": "Forum"}, body={"sv": "Vi höll två forum."}))
    db.session.add(issue)
    db.session.commit()
    return issue.id


def test_an_issue_whose_article_still_has_the_placeholder_cannot_be_scheduled(client, login, app):
    with app.app_context():
        issue_id = _issue()
        article = services.add_article(db.session.get(Issue, issue_id))
        article.heading = {**article.heading, "sv": "Nytt från kärngruppen", "en": "News from the core team"}
        article.body = {**article.body, "sv": "Vi har träffats tre gånger."}  # Arabic and the rest: placeholder
        db.session.commit()
    login("admin")
    page = f"/en/admin/newsletter/{issue_id}"
    with app.app_context():
        send_at = (city_today() + timedelta(days=2)).isoformat() + "T10:00"
    response = submit(client, page + "/schedule", {"schedule-send_at": send_at}, page=page)
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "News from the core team" in html and "still says" in html
    with app.app_context():
        issue = db.session.get(Issue, issue_id)
        assert issue.status is IssueStatus.DRAFT and issue.send_at is None
        # Written in every language: now it may be scheduled.
        section = issue.sections[-1]
        section.body = {code: f"Text ({code})" for code in section.body}
        db.session.commit()
    submit(client, page + "/schedule", {"schedule-send_at": send_at, "accept_missing": list(LANGUAGES)}, page=page)
    with app.app_context():
        assert db.session.get(Issue, issue_id).status is IssueStatus.SCHEDULED


@pytest.mark.parametrize("statuses,planned", [
    ([IssueStatus.DRAFT], 0),  # "1 issue planned" was shown for a draft nobody had scheduled
    ([IssueStatus.DRAFT, IssueStatus.SCHEDULED], 1),
    ([IssueStatus.SENT, IssueStatus.SCHEDULED, IssueStatus.DRAFT], 2),
])
def test_the_dashboard_counts_the_issues_it_says_are_planned(client, login, app, statuses, planned):
    with app.app_context():
        for status in statuses:
            _issue(status)
    login("admin")
    expected = f"{planned} issue planned for this year" if planned == 1 else f"{planned} issues planned for this year"
    assert expected in client.get("/en/admin/").get_data(as_text=True)
    assert expected in client.get("/en/admin/newsletter/").get_data(as_text=True)


def test_the_newsletter_period_reads_naturally_in_the_page_language(client, login, app):
    with app.app_context():
        issue = Issue(title={"sv": "Vinterns nyhetsbrev"}, period_start=date(2026, 11, 24), period_end=date(2027, 2, 22))
        db.session.add(issue)
        db.session.commit()
    login("admin")
    def page(lang: str) -> str:
        html = client.get(f"/{lang}/admin/newsletter/").get_data(as_text=True)
        return html.replace("\u2009", " ").replace("\u202f", " ").replace("\xa0", " ")

    english = page("en")
    assert "24 Nov 2026 – 22 Feb 2027" in english and "11/24/26" not in english
    ukrainian = page("uk")
    assert "24 лист. 2026 — 22 лют. 2027" in ukrainian and "рр." not in ukrainian
