import re

from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.newsletter.models import Subscriber

from .. import factories
from ..conftest import submit


def _link(message, pattern: str) -> str:
    return re.search(pattern, message.get_body(("plain",)).get_content()).group(1)


def test_subscribe_in_ukrainian_confirm_and_unsubscribe_in_one_click(client, app, smtp):
    response = submit(client, "/uk/newsletter/", {"email": "olena@example.org", "language": "uk"})
    assert response.status_code == 302
    [confirm] = smtp.to("olena@example.org")
    assert confirm["Content-Language"] == "uk"
    with app.app_context():
        assert db.session.scalar(select(Subscriber.confirmed_at)) is None  # nothing before the click
    link = _link(confirm, r"http://localhost(/uk/newsletter/confirm/\S+)")
    assert client.get(link).status_code == 200  # a mail scanner that opens the link confirms nothing
    with app.app_context():
        assert db.session.scalar(select(Subscriber.confirmed_at)) is None
    assert client.post(link).status_code == 302
    with app.app_context():
        subscriber = db.session.scalar(select(Subscriber))
        assert subscriber.confirmed_at and subscriber.language == "uk"
        from forum_app.newsletter.sending import unsubscribe_url

        with app.test_request_context():
            url = unsubscribe_url(subscriber).replace("http://localhost", "")
    assert client.get(url).status_code == 200  # a page with a button: mail scanners do not unsubscribe
    with app.app_context():
        assert db.session.scalar(select(Subscriber)) is not None
    assert client.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 204
    with app.app_context():
        assert db.session.scalar(select(Subscriber)) is None  # nothing kept


def test_a_changed_or_foreign_link_does_nothing(client, app):
    assert client.get("/sv/newsletter/confirm/not-a-token").status_code == 404
    assert client.post("/sv/newsletter/unsubscribe/forged", data={"List-Unsubscribe": "One-Click"}).status_code == 204


def test_ticking_newsletter_when_registering_starts_the_double_opt_in(client, app, smtp):
    with app.app_context():
        forum_id = factories.forum().id
    submit(client, f"/so/forums/{forum_id}/register", {"name": "Hodan", "email": "hodan@example.org",
                                                       "newsletter": "y", "consent": "y"})
    subjects = [m["Subject"] for m in smtp.to("hodan@example.org")]
    assert len(subjects) == 2  # the registration, and the newsletter confirmation
    with app.app_context():
        assert db.session.scalar(select(Subscriber.language)) == "so"


def test_the_footer_offers_the_newsletter_on_every_page(client):
    html = client.get("/ti/topics/").get_data(as_text=True)
    assert 'action="/ti/newsletter/"' in html and 'name="email"' in html


def test_the_form_cannot_be_used_to_flood_an_inbox(client, app, smtp):
    for _ in range(3):
        assert submit(client, "/sv/newsletter/", {"email": "victim@example.org", "language": "sv"}).status_code == 302
    refused = submit(client, "/ar/newsletter/", {"email": "victim@example.org", "language": "ar"})
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert 'value="victim@example.org"' in html and "ساعة" in html  # "wait an hour", in Arabic
    assert len(smtp.to("victim@example.org")) == 3


def test_an_old_link_cannot_reach_a_new_subscriber_with_the_same_id(client, app, smtp):
    """SQLite hands a deleted last row's id out again: the links carry the row's own random key."""
    submit(client, "/sv/newsletter/", {"email": "first@example.org", "language": "sv"})
    [first] = smtp.to("first@example.org")
    old_confirm = _link(first, r"http://localhost(/sv/newsletter/confirm/\S+)")
    with app.app_context():
        from forum_app.newsletter.sending import unsubscribe_url

        subscriber = db.session.scalar(select(Subscriber))
        with app.test_request_context():
            old_unsubscribe = unsubscribe_url(subscriber).replace("http://localhost", "")
        first_id = subscriber.id
    client.post(old_unsubscribe)
    submit(client, "/sv/newsletter/", {"email": "victim@example.org", "language": "sv"})
    with app.app_context():
        victim = db.session.scalar(select(Subscriber))
        assert victim.email == "victim@example.org"
        same_id = victim.id == first_id
    assert client.post(old_confirm).status_code == 404
    client.post(old_unsubscribe, data={"List-Unsubscribe": "One-Click"})
    with app.app_context():
        victim = db.session.scalar(select(Subscriber))
        assert victim is not None and victim.confirmed_at is None, same_id


def test_a_confirmation_link_expires(client, app, smtp):
    from datetime import timedelta
    from unittest import mock

    submit(client, "/sv/newsletter/", {"email": "late@example.org", "language": "sv"})
    [message] = smtp.to("late@example.org")
    link = _link(message, r"http://localhost(/sv/newsletter/confirm/\S+)")
    import time as real_time

    assert client.get(link).status_code == 200
    later = real_time.time() + timedelta(days=31).total_seconds()
    with mock.patch("itsdangerous.timed.time.time", return_value=later):
        assert client.get(link).status_code == 404
        assert client.post(link).status_code == 404
