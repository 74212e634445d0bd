"""A person who gives an email address and a mobile number and asks for both (issue 26) hears every message
once on each channel, in their language: through a real SMTP server (aiosmtpd) and a real Kannel with fakesmsc
as the operator. The confirmation and the promotion carry the code to show at the door; the emails of a
person still coming carry the way there on a map."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.mail.outbox import sending
from forum_app.planning import services as planning
from forum_app.planning.models import Forum
from forum_app.registrations import services
from forum_app.registrations.models import MessagesBy, Registration, RegistrationStatus

from .. import factories
from ..conftest import submit

PHONE, E164 = "070-123 45 67", "+46701234567"
ADDRESS = "amal@example.org"
SHORT_LINK = re.compile(r"https://forum\.example\.se/r/([A-Za-z0-9_-]{20,})")
LONG_LINK = re.compile(r"https://forum\.example\.se/([a-z]{2})/registration/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def both(app, kannel, smtp):
    app.config.update(kannel.settings(), MAIL_AFTER_COMMIT="off", BASE_URL="https://forum.example.se")
    return kannel


def _register(forum_id: int, *, lang: str, messages_by: MessagesBy = MessagesBy.BOTH, email: str = ADDRESS,
              phone: str = PHONE, name: str = "Amal") -> int:
    return services.register(forum_id, {"name": name, "email": email, "phone": phone, "language": lang,
                                        "spoken_language": lang, "messages_by": messages_by}).registration.id


def _send() -> int:
    return sending.send_due(retry_now=True).sent


def _text(email) -> str:  # noqa: ANN001
    return email.get_body(("plain",)).get_content()


def test_confirmation_moved_and_cancelled_reach_both_channels_once_each_in_arabic(app, both, smtp):
    with app.app_context():
        forum_id = factories.forum(venue_latitude=59.6099, venue_longitude=16.5448).id
        registration_id = _register(forum_id, lang="ar")
        code = db.session.get(Registration, registration_id).door_code
        assert _send() == 2
        [sms] = both.wait_for(1)
        [email] = smtp.to(ADDRESS)
        assert sms.to == E164 and "منتدى المهاجرين" in sms.text and code in sms.text and sms.parts <= 2
        assert email["Content-Language"] == "ar" and code in _text(email)
        assert "https://www.openstreetmap.org/?mlat=59.609900&mlon=16.544800" in _text(email)
        assert 'href="geo:59.609900,16.544800"' in email.get_body(("html",)).get_content()
        # the same private link on both channels, the SMS's short and the email's long
        assert SHORT_LINK.search(sms.text).group(1) == LONG_LINK.search(_text(email)).group(2)
        both.clear()
        smtp.messages.clear()

        forum = db.session.get(Forum, forum_id)
        later = forum.starts_at + timedelta(days=7)
        planning.save_forum(forum, partner_ids=[], starts_at=later, ends_at=later + timedelta(hours=3),
                            venue_name="Nya salen")
        assert _send() == 2
        [moved_sms] = both.wait_for(1)
        [moved] = smtp.to(ADDRESS)
        assert "Nya salen" in moved_sms.text and moved["Content-Language"] == "ar"
        assert "openstreetmap.org" in _text(moved) and code in _text(moved)
        both.clear()
        smtp.messages.clear()

        planning.cancel_forum(db.session.get(Forum, forum_id), confirmed=True)
        assert _send() == 2
        assert _send() == 0  # once
        [cancelled_sms] = both.wait_for(1)
        [cancelled] = smtp.to(ADDRESS)
        assert "منتدى المهاجرين" in cancelled_sms.text and cancelled["Content-Language"] == "ar"
        assert "openstreetmap.org" not in _text(cancelled) and code not in _text(cancelled)  # nobody is coming


def test_a_promotion_reaches_both_channels_with_the_new_link_and_the_door_code(app, client, both, smtp):
    with app.app_context():
        forum_id = factories.forum(capacity=1).id
        first = _register(forum_id, lang="sv", email="sara@example.org", phone="", messages_by=MessagesBy.EMAIL,
                          name="Sara")
        second = _register(forum_id, lang="ti")
        assert db.session.get(Registration, second).status is RegistrationStatus.WAITING
        assert _send() == 3
        [waiting_sms] = both.wait_for(1)
        old_token = SHORT_LINK.search(waiting_sms.text).group(1)
        both.clear()
        smtp.messages.clear()
        services.cancel(first)
        assert _send() == 3  # Sara's cancellation; the promotion by email and by SMS
        code = db.session.get(Registration, second).door_code
    [promotion_sms] = both.wait_for(1)
    [promotion] = smtp.to(ADDRESS)
    assert promotion["Content-Language"] == "ti"
    assert [part.get_content_type() for part in promotion.iter_attachments()] == ["text/calendar"]
    lang, token = LONG_LINK.search(_text(promotion)).groups()
    assert (lang, SHORT_LINK.search(promotion_sms.text).group(1)) == ("ti", token)  # one new link, on both
    assert token != old_token and client.get(f"/r/{old_token}").status_code == 404
    assert code in promotion_sms.text and code in _text(promotion)
    assert "ቦታ" in promotion_sms.text and promotion_sms.parts <= 2  # in Tigrinya, in two segments at most


@pytest.mark.parametrize(("messages_by", "channels"), [
    (MessagesBy.EMAIL, ["email"]), (MessagesBy.SMS, ["sms"]), (MessagesBy.BOTH, ["email", "sms"])])
def test_the_choice_decides_only_for_a_person_who_gave_both(app, both, messages_by, channels):
    from forum_app.mail.outbox.models import OutboxMessage

    with app.app_context():
        forum_id = factories.forum().id
        _register(forum_id, lang="uk", messages_by=messages_by)
        _register(forum_id, lang="uk", messages_by=messages_by, email="", name="Only a phone")
        _register(forum_id, lang="uk", messages_by=messages_by, email="olena@example.org", phone="", name="Olena")
        db.session.commit()
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [row.channel for row in rows] == [*channels, "sms", "email"]


def test_the_form_asks_where_messages_go_and_keeps_the_answer(app, client):
    with app.app_context():
        forum_id = factories.forum().id
    page = client.get(f"/fa/forums/{forum_id}/register").get_data(as_text=True)
    assert 'name="messages_by"' in page and 'value="both"' in page
    response = submit(client, f"/fa/forums/{forum_id}/register", {
        "name": "Amal", "email": ADDRESS, "phone": PHONE, "messages_by": "both", "spoken_language": "fa",
        "consent": "y"})
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert registration.messages_by is MessagesBy.BOTH
        assert services.registration_data(registration)["messages_by"] == "both"  # in "download my data"
    refused = submit(client, f"/fa/forums/{forum_id}/register", {
        "name": "Amal", "email": "x@example.org", "messages_by": "fax", "consent": "y"})
    assert refused.status_code == 400 and 'value="x@example.org"' in refused.get_data(as_text=True)
