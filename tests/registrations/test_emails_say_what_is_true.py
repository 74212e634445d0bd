"""Each email is written from what is true for its reader now (issue 19): no calendar file or "adds the forum
to your calendar" without a place, no "change your registration" for a forum that no longer takes place,
the office's contact details under every email, and subjects that keep a space before the forum's name."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from flask_babel import gettext as _

from forum_app.core.extensions import db
from forum_app.i18n import LANGUAGES
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import submit

CATALOGUES = Path(__file__).resolve().parents[2] / "translations"
FORM = {"name": "Amal Haddad", "spoken_language": "ar", "consent": "y"}


def _calendars(message) -> list:
    return [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]


def test_a_place_brings_the_calendar_file_and_the_waiting_list_does_not(client, app, smtp):
    with app.app_context():
        forum_id = factories.forum(capacity=1).id
    submit(client, f"/en/forums/{forum_id}/register", {**FORM, "email": "first@example.org"})
    waiting_page = submit(client, f"/en/forums/{forum_id}/register", {**FORM, "email": "second@example.org"})
    [placed] = smtp.to("first@example.org")
    [waiting] = smtp.to("second@example.org")
    assert len(_calendars(placed)) == 1
    assert "adds the forum to your phone's calendar" in placed.get_body(("plain",)).get_content()
    assert _calendars(waiting) == []
    for part in (waiting.get_body(("plain",)), waiting.get_body(("html",))):
        text = part.get_content()
        assert "calendar" not in text and "waiting list" in text
    assert ".ics" not in waiting_page.get_data(as_text=True)  # nor an "add to your calendar" link on the page


def test_the_cancelled_forum_email_does_not_explain_how_to_change_the_registration(client, login, app, smtp):
    with app.app_context():
        forum = factories.forum(capacity=1)
        db.session.add_all([
            Registration(forum_id=forum.id, name="Amal", status=RegistrationStatus.CONFIRMED,
                         email="placed@example.org", language="sv"),
            Registration(forum_id=forum.id, name="Ali", status=RegistrationStatus.WAITING,
                         email="waiting@example.org", language="sv")])
        db.session.commit()
        forum_id = forum.id
    login("admin")
    assert submit(client, f"/en/admin/forums/{forum_id}/cancel", {"confirm": "y"}).status_code == 302
    [placed] = smtp.to("placed@example.org")
    [waiting] = smtp.to("waiting@example.org")
    assert placed["Subject"].startswith("Forumet är inställt: ")
    for message in (placed, waiting):
        for part in (message.get_body(("plain",)), message.get_body(("html",))):
            text = part.get_content()
            assert "inställt" in text
            assert "avboka" not in text.lower() and "privata länk" not in text  # nothing to change any more
    # The one who had a place had a calendar entry: the cancelling file removes it. The waiting list had none.
    assert b"STATUS:CANCELLED" in _calendars(placed)[0].get_payload(decode=True)
    assert _calendars(waiting) == []


def test_every_email_ends_with_the_offices_contact_details(client, app, smtp):
    app.config.update(CONTACT_EMAIL="integration@example.se", CONTACT_PHONE="+46 8 123 45 67",
                      CONTACT_ADDRESS="Stadshuset, Stora torget 1")
    with app.app_context():
        forum_id = factories.forum().id
    submit(client, f"/ti/forums/{forum_id}/register", {**FORM, "email": "amal@example.org"})
    [message] = smtp.to("amal@example.org")
    for part in (message.get_body(("plain",)), message.get_body(("html",))):
        text = part.get_content()
        assert "integration@example.se" in text and "+46 8 123 45 67" in text and "Stora torget 1" in text
        assert "ምስ ቤት ጽሕፈት ምውህሃድ ተራኸብ" in text  # "contact the integration office", in Tigrinya


SUBJECTS = ["You are registered: %(hook)s", "You are on the waiting list: %(hook)s", "Forum cancelled: %(hook)s",
            "Reminder: %(hook)s", "A place is free for you: %(hook)s", "Your registration: %(hook)s"]


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_email_subjects_keep_a_space_before_the_forums_name(app, code):
    """An Arabic subject once glued "لـ" to the forum's name; every language must leave a space."""
    with app.test_request_context(f"/{code}/"), force_locale(code):
        subjects = [_(subject, hook="HOOK") for subject in SUBJECTS]
    for subject in subjects:
        assert re.search(r"(^|\s)HOOK$", subject), subject
    with (CATALOGUES / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=code)
    assert all(catalog.get(subject) is not None for subject in SUBJECTS)


def test_email_templates_leave_label_punctuation_to_the_translation():
    """`{{ label }}: {{ value }}` put a Latin colon into Tigrinya mail; labels go through "%(label)s: %(value)s"."""
    root = Path(__file__).resolve().parents[2] / "templates"
    glued = [str(path.relative_to(root)) for path in root.rglob("*") if path.suffix in (".txt", ".html")
             and ("email" in path.parts or path.parent.name == "email") and "}}: {{" in path.read_text()]
    assert glued == []


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_no_label_of_a_registration_s_needs_brings_a_colon_of_its_own(app, code):
    """Issue 30: "Food: allergies or diet" went into "%(label)s: %(value)s", two colons on one line of every
    confirmation, reminder and cancellation."""
    from forum_app.registrations.display import registration_needs
    from forum_app.registrations.models import Registration

    registration = Registration(spoken_language="ar", interpretation_language="ti", children_ages=[3],
                                access_needs="Rullstol", diets=["halal"], dietary_needs="Inga nötter")
    with app.test_request_context(f"/{code}/"), force_locale(code):
        labels = [label for label, _value in registration_needs(registration)]
    assert len(labels) == 5
    for label in labels:
        assert not any(mark in label for mark in (":", "፦", "：", "፥")), (code, label)
