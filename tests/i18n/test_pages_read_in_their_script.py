"""Pages and emails as a reader of Arabic, Persian or Tigrinya gets them (issue 30): the signed change on the
impact cards kept left to right, the venue and address joined by the language's comma, a recommendation's status in
the form that agrees with it, every email/phone/URL input left to right, and the calendar file's charset."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default

import pytest
from flask_babel import force_locale

from forum_app.core.extensions import db
from forum_app.recommendations.models import Recommendation, Status
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..impact.test_indicators import build_two_years

SIGNED = re.compile(r'<bdi dir="ltr">[+−]\d[^<]*</bdi>')


@pytest.mark.parametrize("path", ["/ar/impact/2027", "/fa/impact/2027", "/ar/impact/2027/report"])
def test_a_signed_change_stays_left_to_right_on_a_right_to_left_page(app, client, path):
    with app.app_context():
        build_two_years()
    page = client.get(path).get_data(as_text=True)
    changes = SIGNED.findall(page)
    assert changes, "no signed change on the page"
    assert not re.search(r"(?<!<bdi dir=\"ltr\">)[+−]\d+\s*</p>", page)


def test_the_venue_and_its_address_are_joined_by_the_readers_comma(app, client):
    with app.app_context():
        forum_id = factories.forum().id
    assert "Stadshuset، Stora torget 1" in client.get(f"/ar/forums/{forum_id}/register").get_data(as_text=True)
    assert "Stadshuset፣ Stora torget 1" in client.get(f"/ti/forums/{forum_id}/register").get_data(as_text=True)
    assert "Stadshuset, Stora torget 1" in client.get(f"/sv/forums/{forum_id}/register").get_data(as_text=True)


def test_an_accepted_recommendation_agrees_with_توصية_while_the_audit_log_keeps_its_word(app):
    from forum_app.recommendations.display import status_label

    with app.test_request_context("/ar/"), force_locale("ar"):
        assert status_label(Status.ACCEPTED) == "قُبلت" and status_label(Status.DECLINED) == "رُفضت"
        assert status_label(Status.IMPLEMENTED) == "نُفّذت"
    with app.test_request_context("/ar/"), force_locale("ar"):
        from flask_babel import gettext

        assert gettext("Accepted") == "قُبل"  # the audit log's event


def test_the_tracker_shows_the_status_in_its_agreeing_form(app, client):
    with app.app_context():
        topic = factories.topic()
        db.session.add(Recommendation(topic_id=topic.id, title={"sv": "Mentorer", "ar": "مرشدون"},
                                      status=Status.ACCEPTED))
        db.session.commit()
    page = client.get("/ar/recommendations/").get_data(as_text=True)
    assert "قُبلت" in page
    assert re.search(r"<li>قُبلت: 1</li>", page)  # the tally: one translated "label: value" per status


INPUT = re.compile(r"<input\b[^>]*>")


def _inputs_needing_ltr(page: str) -> list[str]:
    return [tag for tag in INPUT.findall(page) if re.search(r'type="(email|tel|url)"', tag) and 'dir="ltr"' not in tag]


@pytest.mark.parametrize("path", ["/ar/forums/{forum}/register", "/fa/newsletter/", "/ar/recommendations/",
                                  "/fa/forums/{forum}/register"])
def test_every_email_phone_and_url_input_on_a_right_to_left_page_is_left_to_right(app, client, path):
    with app.app_context():
        forum_id = factories.forum().id
    response = client.get(path.format(forum=forum_id))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'type="(email|tel)"', page)
    assert _inputs_needing_ltr(page) == []


def test_no_template_writes_an_email_phone_or_url_input_without_a_direction():
    from .checks import ROOT

    found = [str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")
             if _inputs_needing_ltr(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_calendar_attachment_says_its_charset_and_reads_back_in_tigrinya(app):
    from forum_app.registrations.notifications import write_confirmation

    with app.app_context():
        forum = factories.forum(hook={"sv": "Kom!", "ti": "ንዓ ተሳተፍ!"})
        registration = Registration(forum_id=forum.id, name="ሰላም", email="selam@example.org", language="ti",
                                    status=RegistrationStatus.CONFIRMED, created_at=datetime.now(UTC))
        db.session.add(registration)
        db.session.commit()
        message = write_confirmation({"registration": registration.id, "created": registration.created_at.isoformat(),
                                      "channel": "email", "status": "confirmed"})
        raw = message.as_bytes()
    parsed = message_from_bytes(raw, policy=default)
    [calendar] = [part for part in parsed.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert calendar.get_content_charset() == "utf-8"
    assert "ንዓ ተሳተፍ!" in calendar.get_content()
    assert "Stadshuset፣ Stora torget 1" in calendar.get_content().replace("\r\n ", "")
