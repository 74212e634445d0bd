"""Every person on their own channel (issue 26): a registration with a mobile number and no email address
hears everything that changes for it by SMS, through real Kannel (bearerbox + smsbox) with fakesmsc as the
operator, in its language, each message once; a person with an address hears it by email as before."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.mail import sms
from forum_app.mail.outbox import sending
from forum_app.mail.outbox.models import MailStatus, OutboxMessage
from forum_app.planning import services as planning
from forum_app.planning.models import Forum
from forum_app.registrations import notifications, services
from forum_app.registrations.jobs import send_due_reminders
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import csrf_token_from

TIGRINYA_PHONE, E164 = "070-123 45 67", "+46701234567"
SHORT_LINK = re.compile(r"/r/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def reach(app, kannel, smtp):
    """The app sending SMS through Kannel and email to the test SMTP server, nothing in the background."""
    app.config.update(kannel.settings(), MAIL_AFTER_COMMIT="off", BASE_URL="https://forum.example.se")
    return kannel


def _register(forum_id: int, *, phone: str = "", email: str = "", lang: str = "ti", name: str = "ሓጎስ ተኽለ") -> int:
    result = services.register(forum_id, {"name": name, "email": email, "phone": phone, "language": lang,
                                          "spoken_language": lang})
    return result.registration.id


def _send() -> sending.one_sender.PassResult:
    return sending.send_due(retry_now=True)


def _in(lang: str, text: str, **values) -> str:
    with force_locale(lang):
        return _(text, **values)


def test_a_phone_only_registration_in_tigrinya_gets_its_confirmation_by_sms_with_a_short_link(app, client, reach):
    with app.app_context():
        forum = factories.forum()
        forum_id = forum.id
        registration_id = _register(forum_id, phone=TIGRINYA_PHONE)
        assert _send().sent == 1
    [message] = reach.wait_for(1)
    assert message.to == E164 and message.sender == "Forum"
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        when = notifications.forum_when_short(registration.forum, "ti")
        expected = _in("ti", "You are registered for the migrant forum on %(when)s. Registration code: %(code)s. "
                       "%(link)s", when=when, code=registration.door_code, link="LINK")
    # in Tigrinya, with the forum's day and time and the code to show at the door
    assert expected.split("LINK")[0] in message.text and registration.door_code in message.text
    assert message.parts <= 2 and sms.segments(message.text) == message.parts
    token = SHORT_LINK.search(message.text).group(1)
    assert message.text.rstrip().endswith(f"https://forum.example.se/r/{token}")
    short = client.get(f"/r/{token}")
    assert short.status_code == 303 and short.headers["Location"].endswith(f"/ti/registration/{token}")
    assert "Set-Cookie" not in short.headers and short.headers["Cache-Control"] == "private, no-store"
    assert client.get(short.headers["Location"]).status_code == 200
    with app.app_context():
        [row] = db.session.scalars(select(OutboxMessage)).all()
        assert (row.channel, row.recipient, row.status, row.message, row.recipe) == (
            "sms", E164, MailStatus.SENT, b"", None)  # nothing of the text or its link kept
    assert client.get("/r/not-a-token-of-ours-at-all").status_code == 404


def test_a_place_that_comes_free_reaches_the_phone_with_a_new_link_and_the_cancelling_email_gets_its_own(
        app, client, reach, smtp):
    with app.app_context():
        forum = factories.forum(capacity=1)
        forum_id = forum.id
        first = _register(forum_id, email="amal@example.org", lang="sv", name="Amal")
        second = _register(forum_id, phone=TIGRINYA_PHONE)
        assert db.session.get(Registration, second).status is RegistrationStatus.WAITING
        _send()
        [waiting] = reach.wait_for(1)
        old_token = SHORT_LINK.search(waiting.text).group(1)
        reach.clear()
        services.cancel(first)
        result = _send()
        assert result.sent == 2
    [promotion] = reach.wait_for(1)
    new_token = SHORT_LINK.search(promotion.text).group(1)
    assert new_token != old_token
    assert client.get(f"/r/{old_token}").status_code == 404  # the new link replaces the old
    assert client.get(f"/r/{new_token}").status_code == 303
    [confirmation, cancelled] = smtp.to("amal@example.org")
    assert cancelled["Subject"].startswith("Din anmälan är avbokad")
    assert [part.get_content_type() for part in cancelled.iter_attachments()] == []


def test_a_reminder_reaches_the_phone_without_changing_its_link(app, client, reach):
    with app.app_context():
        forum = factories.forum(days=2)
        forum_id = forum.id
        registration_id = _register(forum_id, phone=TIGRINYA_PHONE)
        _send()
        token = SHORT_LINK.search(reach.wait_for(1)[0].text).group(1)
        reach.clear()
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0  # once
        _send()
    [reminder] = reach.wait_for(1)
    assert "Stadshuset" in reminder.text and not SHORT_LINK.search(reminder.text)
    assert client.get(f"/r/{token}").status_code == 303
    with app.app_context():
        assert db.session.get(Registration, registration_id).reminder_sent_at is not None


def test_moving_a_forum_asks_first_then_tells_everyone_with_a_calendar_file_that_updates_the_event(
        app, reach, smtp):
    with app.app_context():
        forum = factories.forum()
        forum_id = forum.id
        _register(forum_id, phone=TIGRINYA_PHONE)
        _register(forum_id, email="amal@example.org", lang="ar", name="Amal")
        _register(forum_id, email="sara@example.org", lang="sv", name="Sara")
        _send()
        reach.wait_for(1)  # delivered before it is forgotten: it cannot arrive later and count as the next
        reach.clear()
        smtp.messages.clear()
        forum = db.session.get(Forum, forum_id)
        later = forum.starts_at + timedelta(days=7)
        with pytest.raises(planning.MoveNeedsConfirmation) as asked:
            planning.save_forum(forum, partner_ids=[], confirm_move=False, starts_at=later,
                                ends_at=later + timedelta(hours=3))
        assert asked.value.people == 3
        forum = db.session.get(Forum, forum_id)
        assert forum.starts_at != later and forum.calendar_sequence == 0  # nothing saved
        planning.save_forum(forum, partner_ids=[], starts_at=later, ends_at=later + timedelta(hours=3),
                            venue_name="Nya salen")
        assert db.session.get(Forum, forum_id).calendar_sequence == 1
        assert _send().sent == 3
    [moved] = reach.wait_for(1)
    assert "Nya salen" in moved.text
    for address in ("amal@example.org", "sara@example.org"):
        [email] = smtp.to(address)
        [calendar] = [part for part in email.iter_attachments() if part.get_content_type() == "text/calendar"]
        ics = calendar.get_content()
        assert f"UID:forum-{forum_id}@" in ics and "SEQUENCE:1" in ics
        assert later.strftime("%Y%m%d") in ics


def test_a_cancelled_forum_reaches_the_phone(app, reach):
    with app.app_context():
        forum = factories.forum()
        forum_id = forum.id
        _register(forum_id, phone=TIGRINYA_PHONE, lang="ar", name="أمل")
        _send()
        reach.wait_for(1)  # delivered before it is forgotten: it cannot arrive later and count as the next
        reach.clear()
        planning.cancel_forum(db.session.get(Forum, forum_id), confirmed=True)
        _send()
    [cancelled] = reach.wait_for(1)
    with app.app_context():
        when = notifications.forum_when_short(db.session.get(Forum, forum_id), "ar")
        expected = _in("ar", "We are sorry: the migrant forum on %(when)s is cancelled. We will tell you "
                       "about the next one.", when=when)
    assert cancelled.text == expected and "منتدى" in expected  # in Arabic


def test_lost_your_link_takes_a_mobile_number_and_answers_the_same_whether_or_not_it_is_registered(
        app, client, reach):
    with app.app_context():
        forum = factories.forum()
        forum_id = forum.id
        _register(forum_id, phone=TIGRINYA_PHONE)
        _send()
        reach.wait_for(1)  # delivered before it is forgotten: it cannot arrive later and count as the next
        reach.clear()
    answers = []
    for number in ("+46 70 123 45 67", "0709876543"):  # written another way; not registered
        page = client.get(f"/ti/forums/{forum_id}/register")
        response = client.post(f"/ti/forums/{forum_id}/resend-link", data={
            "resend-csrf_token": csrf_token_from(page.get_data(as_text=True)), "resend-email": number},
            follow_redirects=True)
        answers.append(re.sub(r'name="[a-z_-]*csrf_token" value="[^"]*"', "", response.get_data(as_text=True)))
    assert answers[0] == answers[1]
    with app.app_context():
        _send()
    received = reach.wait_for(1)
    assert len(received) == 1, received
    [offer] = received
    assert offer.to == E164 and "/r/n/" in offer.text
    opened = client.get(offer.text[offer.text.index("/r/n/"):].split()[0])
    assert opened.status_code == 303 and "/ti/registration/new-link/" in opened.headers["Location"]


def test_with_kannel_down_the_sms_waits_and_goes_later_once(app, reach):
    with app.app_context():
        forum = factories.forum()
        forum_id = forum.id
        _register(forum_id, phone=TIGRINYA_PHONE)
        reach.stop_smsbox()
        try:
            result = _send()
            assert (result.sent, result.retrying) == (0, 1)
            [row] = db.session.scalars(select(OutboxMessage)).all()
            assert row.status is MailStatus.WAITING and row.tries == 1 and row.message  # kept, sealed
            assert E164.encode() not in row.message and b"/r/" not in row.message
        finally:
            reach.start_smsbox()
        db.session.execute(update(OutboxMessage).values(next_try_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert sending.send_due().sent == 1
        assert sending.send_due(retry_now=True).sent == 0
    assert len(reach.wait_for(1)) == 1


def test_a_number_kannel_refuses_fails_with_kannels_answer(app, reach):
    with app.app_context():
        forum = factories.forum()
        forum_id = forum.id
        _register(forum_id, phone=reach.refused_to)
        result = _send()
        assert (result.sent, result.failed) == (0, 1)
        [row] = db.session.scalars(select(OutboxMessage)).all()
        assert row.status is MailStatus.FAILED and row.last_error.startswith("400")


def test_staff_see_the_parts_of_each_kind_of_sms_and_what_a_forums_sms_cost(app, client, login):
    app.config["SMS_SEGMENT_PRICE"] = "0.50"
    with app.app_context():
        forum = factories.forum()
        forum_id = forum.id
        for n in range(3):
            _register(forum_id, phone=f"070123456{n}")
        _register(forum_id, email="amal@example.org", lang="sv", name="Amal")  # hears by email
        estimate = notifications.sms_estimate(db.session.get(Forum, forum_id))
        parts = dict(zip([kind for kind, _label, _text in notifications.SMS_KINDS],
                         [count for _label, count in estimate.parts], strict=True))
    assert estimate.people == 3
    assert 1 <= parts["confirmation"] <= 2 and 1 <= parts["reminder"] <= 2  # in Tigrinya, with a real link's length
    expected = 3 * (parts["confirmation"] + parts["reminder"]) * 0.5
    assert float(estimate.cost) == expected
    login("admin")
    page = client.get(f"/en/admin/forums/{forum_id}").get_data(as_text=True)
    assert "3 people registered for this forum can only be reached by SMS." in page
    assert f"SEK\u00a0{expected:.2f}" in page


def test_the_forum_form_says_how_many_will_be_told_before_a_published_forum_moves(app, client, login, reach):
    from ..conftest import submit
    from ..planning.test_forums import _forum_form

    with app.app_context():
        forum = factories.forum()
        forum_id, topic_id = forum.id, forum.topic_id
        _register(forum_id, phone=TIGRINYA_PHONE)
        _register(forum_id, email="amal@example.org", lang="sv", name="Amal")
    login("admin")
    fields = _forum_form(topic_id, venue_name="Nya salen")
    asked = submit(client, f"/en/admin/forums/{forum_id}/edit", fields)
    assert asked.status_code == 400
    assert ("2 people registered for this forum will be told about the new time or place, by email or SMS."
            in asked.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Forum, forum_id).venue_name == "Stadshuset"  # nothing saved yet
    done = submit(client, f"/en/admin/forums/{forum_id}/edit", {**fields, "confirm_move": "y"})
    assert done.status_code == 302, done.get_data(as_text=True)
    with app.app_context():
        forum = db.session.get(Forum, forum_id)
        assert (forum.venue_name, forum.calendar_sequence) == ("Nya salen", 1)
        notices = [row.recipe for row in db.session.scalars(select(OutboxMessage)) if row.recipe
                   and row.recipe.get("notice") == "forum_moved"]
        assert len(notices) == 2


def test_the_day_after_the_forum_a_phone_only_participant_is_asked_for_feedback_by_sms(app, client, reach):
    from forum_app.core.tokens import new_token
    from forum_app.impact import services as impact
    from forum_app.planning.models import ForumStatus

    with app.app_context():
        forum = factories.forum(days=-2, status=ForumStatus.HELD)
        forum_id = forum.id
        _token, token_hash = new_token()
        db.session.add(Registration(forum_id=forum_id, name="ሓጎስ", phone=TIGRINYA_PHONE, language="ti",
                                    status=RegistrationStatus.CONFIRMED, token_hash=token_hash,
                                    attended_at=forum.starts_at))
        db.session.commit()
        assert impact.send_thank_you_mails() == 1
        assert impact.send_thank_you_mails() == 0  # once
        assert _send().sent == 1
    [thanks] = reach.wait_for(1)
    link = thanks.text.split()[-1]
    assert thanks.to == E164 and link.startswith("https://forum.example.se/r/f/") and len(link) <= 52
    assert thanks.parts == 1 or thanks.parts == sms.segments(thanks.text) <= 2
    short = client.get(link.removeprefix("https://forum.example.se"))
    assert short.status_code == 303 and "Set-Cookie" not in short.headers
    assert short.headers["Cache-Control"] == "private, no-store"
    long = short.headers["Location"]
    assert long.startswith(f"/ti/forums/{forum_id}/feedback?key=")  # the email's link, in the person's language
    page = client.get(long).get_data(as_text=True)
    assert 'name="code"' not in page  # the personal link is the credential: no slip code asked
    assert client.post(long, data={"csrf_token": csrf_token_from(page), "come_again": "4"}).status_code == 302
    again = client.get(client.get(link.removeprefix("https://forum.example.se")).headers["Location"])
    assert 'name="come_again"' not in again.get_data(as_text=True)  # one answer: the same key as the email's
    assert client.get(link.removeprefix("https://forum.example.se")[:-3] + "abc").status_code == 404


def test_a_cancelled_registrations_page_offers_to_register_again(app, client, reach):
    with app.app_context():
        forum_id = factories.forum().id
        registration_id = _register(forum_id, phone=TIGRINYA_PHONE)
        _send()
        token = SHORT_LINK.search(reach.wait_for(1)[0].text).group(1)
        services.cancel(registration_id)
    page = client.get(f"/ti/registration/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'href="/ti/forums/{forum_id}/register"' in html and "/data" in html and "/delete" in html


@pytest.mark.parametrize("lang", ["sv", "en", "ar", "fa", "so", "ti", "uk"])
def test_the_feedback_sms_with_its_short_link_takes_two_segments_at_most_in_every_language(app, lang):
    from forum_app.core.tokens import new_token
    from forum_app.impact import services as impact
    from forum_app.planning.models import ForumStatus

    app.config["BASE_URL"] = "https://forum.example.se"
    with app.app_context():
        forum = factories.forum(days=-2, status=ForumStatus.HELD)
        _token, token_hash = new_token()
        registration = Registration(forum_id=forum.id, name="Amal", phone=TIGRINYA_PHONE, language=lang,
                                    status=RegistrationStatus.CONFIRMED, token_hash=token_hash,
                                    attended_at=forum.starts_at)
        db.session.add(registration)
        db.session.commit()
        text = impact.write_thank_you({"registration": registration.id, "channel": "sms"})
        link = text.split()[-1]
        assert "/r/f/" in link and text.count("https://") == 1
        # with a registration id of seven digits (a city's tenth year), still two segments at most
        longer = text.replace(link, link.replace("/r/f/", "/r/f/" + "9" * 6))
        assert sms.segments(text) <= sms.segments(longer) <= 2, (lang, len(longer))


def test_every_kind_of_sms_takes_two_segments_at_most_in_every_language(app):
    """The estimate reads every language when nobody has registered yet: each kind with a real link's length and
    a door code, for the longest month name of the year in each language."""
    app.config["BASE_URL"] = "https://forum.example.se"
    with app.app_context():
        forum = factories.forum()
        first = forum.starts_at
        for month in range(1, 13):
            forum.starts_at = first.replace(month=month, day=28)
            estimate = notifications.sms_estimate(forum)
            assert estimate.people == 0
            assert all(1 <= parts <= 2 for _label, parts in estimate.parts), (month, estimate.parts)
