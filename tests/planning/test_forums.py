from datetime import datetime, timezone

from icalendar import Calendar
from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.planning.models import Forum, ForumStatus, Organisation
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import submit


def _forum_form(topic_id: int, **overrides) -> dict:
    data = {"topic_id": str(topic_id), "hook-sv": "Svårt att få jobb? Kom och berätta!",
            "hook-so": "Ma ku adag tahay inaad shaqo hesho?", "format": "evening",
            "starts_at": "2027-02-10T18:00", "ends_at": "2027-02-10T21:00", "venue_name": "Stadshuset",
            "venue_address": "Stora torget 1", "capacity": "120", "childcare_offered": "y",
            "interpretation_languages": ["ar", "ti"], "poster_languages": ["sv", "ar"]}
    data.update(overrides)
    return data


def test_staff_create_and_publish_a_forum_that_residents_find(client, login, app, clock):
    clock("2027-01-15T10:00+01:00")  # the forum of the form (10 February 2027) is still to come
    login("admin")
    with app.app_context():
        topic_id = factories.topic().id
    response = submit(client, "/sv/admin/forums/new", _forum_form(topic_id))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        forum = db.session.scalar(select(Forum))
        # 18:00 in Stockholm in February is 17:00 UTC.
        assert forum.starts_at == datetime(2027, 2, 10, 17, 0, tzinfo=timezone.utc)
        assert forum.status is ForumStatus.DRAFT
        forum_id = forum.id
    assert client.get(f"/so/forums/{forum_id}").status_code == 404  # a draft is not public
    # Not in every language: staff confirm the languages it lacks (tests/site/test_translations.py has more).
    submit(client, f"/sv/admin/forums/{forum_id}/publish", {"accept_missing": ["en", "ar", "fa", "ti", "uk"]},
           page=f"/sv/admin/forums/{forum_id}")
    somali = client.get(f"/so/forums/{forum_id}").get_data(as_text=True)
    assert "Ma ku adag tahay inaad shaqo hesho?" in somali
    assert "18:00" in somali or "6:00" in somali
    arabic = client.get(f"/ar/forums/{forum_id}").get_data(as_text=True)
    assert '<span lang="sv" dir="ltr">Svårt att få jobb? Kom och berätta!</span>' in arabic
    assert "fallback-note" in arabic
    assert "120" in client.get("/en/forums/").get_data(as_text=True)  # places left


def test_forum_that_ends_before_it_starts_is_refused_and_keeps_the_input(client, login, app):
    login("admin")
    with app.app_context():
        topic_id = factories.topic().id
    response = submit(client, "/sv/admin/forums/new", _forum_form(topic_id, ends_at="2027-02-10T17:00",
                                                                 venue_name="Folkets hus"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Folkets hus"' in html
    with app.app_context():
        assert db.session.scalar(select(Forum)) is None


def test_cancelling_a_forum_with_registrations_warns_first_and_tells_them(client, login, app, smtp):
    login("admin")
    with app.app_context():
        forum = factories.forum()
        db.session.add(Registration(forum_id=forum.id, name="Amal", status=RegistrationStatus.CONFIRMED,
                                    email="amal@example.org", language="ar"))
        db.session.commit()
        forum_id = forum.id
    page = f"/en/admin/forums/{forum_id}/cancel"
    warned = submit(client, page, {})
    assert warned.status_code == 400
    assert "1 person has a place at this forum." in warned.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Forum, forum_id).status is ForumStatus.PUBLISHED
    assert submit(client, page, {"confirm": "y"}).status_code == 302
    with app.app_context():
        assert db.session.get(Forum, forum_id).status is ForumStatus.CANCELLED
    assert "Cancelled" in client.get(f"/en/forums/{forum_id}").get_data(as_text=True)
    [message] = smtp.to("amal@example.org")
    assert message["Content-Language"] == "ar" and "أُلغي" in message["Subject"]
    assert b"STATUS:CANCELLED" in next(message.iter_attachments()).get_payload(decode=True)


def test_a_forum_that_has_started_can_be_marked_as_held(client, login, app):
    login("admin")
    with app.app_context():
        forum_id = factories.forum(days=-1).id
    page = client.get(f"/en/admin/forums/{forum_id}").get_data(as_text=True)
    assert "Mark as held" in page
    submit(client, f"/en/admin/forums/{forum_id}/held", {}, page=f"/en/admin/forums/{forum_id}")
    with app.app_context():
        assert db.session.get(Forum, forum_id).status is ForumStatus.HELD


def test_calendar_file_is_valid_with_the_city_time_zone(client, app):
    with app.app_context():
        forum = factories.forum()
        forum_id, starts = forum.id, forum.starts_at
    response = client.get(f"/ar/forums/{forum_id}.ics")
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    timezones = [c for c in calendar.walk("VTIMEZONE")]
    assert timezones and str(timezones[0]["TZID"]) == "Europe/Stockholm"
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == starts
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Stockholm"
    assert "هل تجد صعوبة" in str(event["SUMMARY"])
    assert str(event["URL"]).endswith(f"/ar/forums/{forum_id}")


def test_poster_has_the_hook_in_two_languages_and_a_local_qr_code(client, app):
    with app.app_context():
        forum_id = factories.forum(poster_languages=["so", "ar"],
                                   hook={"sv": "Kom!", "so": "Kaalay!", "ar": "تعال!"}).id
    html = client.get(f"/sv/forums/{forum_id}/poster").get_data(as_text=True)
    assert 'lang="so"' in html and "Kaalay!" in html
    assert 'lang="ar" dir="rtl"' in html and "تعال!" in html
    assert html.count("<svg") == 2
    assert f"/so/forums/{forum_id}" in html and f"/ar/forums/{forum_id}" in html
    assert "https://" not in html.replace(f"http://localhost/so/forums/{forum_id}", "")


def test_invite_list_has_partners_and_organisations_of_the_topic(client, login, app):
    login("admin")
    with app.app_context():
        topic = factories.topic()
        linked = Organisation(name="=Somaliska föräldranätverket", email="a@example.org", topics=[topic])
        partner = Organisation(name="Röda Korset", email="b@example.org")
        stranger = Organisation(name="Schackklubben")
        db.session.add_all([linked, partner, stranger])
        db.session.commit()
        forum = factories.forum(topic)
        forum.partners = [partner]
        db.session.commit()
        forum_id = forum.id
    response = client.get(f"/sv/admin/forums/{forum_id}/invite-list?format=csv")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=Somaliska föräldranätverket" in text  # formula neutralised
    assert "Röda Korset" in text and "Schackklubben" not in text


def test_forum_pages_use_a_fixed_number_of_queries(client, app, count_queries):
    with app.app_context():
        topic = factories.topic()
        factories.forum(topic)
    with count_queries() as few:
        assert client.get("/sv/forums/").status_code == 200
        assert client.get("/sv/").status_code == 200
    with app.app_context():
        for n in range(6):
            factories.forum(factories.topic(title=f"Ämne {n}", year=2028), days=10 + n)
    with count_queries() as many:
        assert client.get("/sv/forums/").status_code == 200
        assert client.get("/sv/").status_code == 200
    assert many() == few()


def test_a_forum_not_yet_open_says_when_registration_opens(client, app):
    from datetime import timedelta

    from forum_app.core.models_base import utcnow

    with app.app_context():
        forum_id = factories.forum(days=60, registration_opens_at=utcnow() + timedelta(days=10)).id
    html = client.get(f"/en/forums/{forum_id}").get_data(as_text=True)
    assert "Registration opens" in html and "Register</a>" not in html


def test_poster_without_chosen_languages_uses_the_reader_language_and_swedish(client, app):
    with app.app_context():
        forum_id = factories.forum(poster_languages=[], hook={"sv": "Kom!", "uk": "Приходьте!"}).id
    html = client.get(f"/uk/forums/{forum_id}/poster").get_data(as_text=True)
    assert html.count('class="panel"') == 2 and "Приходьте!" in html and "Kom!" in html
