"""The privacy notice: in every language, naming who is responsible, with periods read from the settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forum_app.core.extensions import db
from forum_app.i18n import LANGUAGES
from forum_app.mail import compose
from forum_app.recommendations.models import Recommendation, Status, StatusChange

from .. import factories

INTRO = "This page explains what the migrant forum keeps about you"


def text_of(response) -> str:  # noqa: ANN001
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_notice_is_public_and_translated_in_every_language(client, app, lang):
    app.config.update(CONTROLLER_NAME="Kommunstyrelsen i Testby", CONTACT_EMAIL="dataskydd@testby.se",
                      CONTACT_PHONE="+46 11 22 33 44")
    response = client.get(f"/{lang}/privacy")
    assert response.status_code == 200
    assert not response.headers.getlist("Set-Cookie")  # no cookie for reading it
    html = response.get_data(as_text=True)
    assert f'lang="{lang}"' in html and f'dir="{LANGUAGES[lang].direction}"' in html
    page = text_of(response)
    assert "Kommunstyrelsen i Testby" in page
    assert "dataskydd@testby.se" in page and "+46 11 22 33 44" in page
    assert 'href="tel:+4611223344"' in html
    assert "183" in page  # REGISTRATION_RETENTION_DAYS
    assert "30" in page  # MAIL_RETENTION_DAYS' default
    if lang != "en":
        assert INTRO not in page  # translated, not the English source


def test_changing_a_retention_setting_changes_the_notice(client, app):
    page = text_of(client.get("/en/privacy"))
    assert "183 days after the forum" in page
    assert "30 days after it was sent" in page
    assert "Every night the whole database is copied" not in page  # no backups configured

    app.config.update(REGISTRATION_RETENTION_DAYS=92, MAIL_RETENTION_DAYS=45, BACKUP_DIR="/var/backups/forum",
                      BACKUP_KEEP=9, LOGIN_FAILURE_WINDOW_MINUTES=180)
    page = text_of(client.get("/en/privacy"))
    assert "92 days after the forum" in page and "183" not in page
    assert "45 days after it was sent" in page
    assert "Each copy is deleted after 9 days" in page
    assert "It counts for 3 hours" in page  # the longer of the form limit and the failed-login window

    page = text_of(client.get("/uk/privacy"))
    assert "92 дні" in page and "45 днів" in page and "9 днів" in page


def test_every_page_links_to_the_notice_and_to_the_source_code(client, app):
    app.config.update(SOURCE_URL="https://code.example.org/forum")
    for url in ("/sv/", "/ar/forums/", "/fa/newsletter/"):
        html = client.get(url).get_data(as_text=True)
        lang = url.split("/")[1]
        assert f'href="/{lang}/privacy"' in html, url
        assert 'href="https://code.example.org/forum"' in html, url


def test_every_form_that_asks_for_personal_data_links_to_the_notice(client, app):
    with app.app_context():
        forum = factories.forum()
        topic = factories.topic(year=2029, title="Bostad")
        recommendation = Recommendation(topic_id=topic.id, title={"sv": "Bostäder"}, text={"sv": "Fler bostäder."},
                                        status=Status.ACCEPTED)
        recommendation.changes.append(StatusChange(from_status=None, to_status=Status.ACCEPTED))
        db.session.add(recommendation)
        db.session.commit()
        forum_id, recommendation_id, topic_id = forum.id, recommendation.id, topic.id
    pages = [f"/so/forums/{forum_id}/register", "/so/newsletter/", "/so/core-team/",
             f"/so/recommendations/{recommendation_id}", f"/so/recommendations/?topic={topic_id}"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        form_with_link = re.search(r"<form method=\"post\"(?:(?!</form>).)*href=\"/so/privacy\"", html, re.S)
        assert form_with_link, f"no privacy link inside the form on {url}"


@pytest.mark.parametrize("template", ["email/message", "registrations/email/new_link"])
def test_every_email_footer_links_to_the_notice(app_ctx, template):
    app_ctx.config.update(SOURCE_URL="https://code.example.org/forum")
    forum = factories.forum()
    context = {"title": "Hej", "paragraphs": ["Text"], "link": None, "hook": "Forum",
               "registration": type("R", (), {"name": "Amina"})(), "manage_url": "http://localhost/x", "forum": forum,
               "new_link_url": "http://localhost/y"}
    text, html = compose.render_parts(template, "fa", context)
    for part in (text, html):
        assert "http://localhost/fa/privacy" in part
        assert "https://code.example.org/forum" in part


def test_the_registration_form_states_the_same_period_as_the_notice(client, app):
    with app.app_context():
        forum_id = factories.forum().id
    app.config["REGISTRATION_RETENTION_DAYS"] = 61
    page = text_of(client.get(f"/en/forums/{forum_id}/register"))
    assert "61 days after the forum we remove your name" in page
    assert "61 days after the forum we remove your name" in text_of(client.get("/en/privacy"))


def test_every_email_template_carries_the_footer():
    """Plain-text emails include the footer; HTML emails extend the layout that has it."""
    root = Path(__file__).resolve().parents[2] / "templates"
    for path in root.rglob("*.txt"):
        if not path.name.startswith("_"):
            assert '{% include "email/_footer.txt" %}' in path.read_text(), path
    for path in root.rglob("email/*.html"):
        if not path.name.startswith("_") and path != root / "email" / "base.html":
            assert '{% extends "email/base.html" %}' in path.read_text(), path
