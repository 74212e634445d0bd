"""What residents read on every page (issue 19): how to reach the office, one sentence about registration,
no count for a cancelled forum, lists joined the way each language joins them."""

import re
from datetime import timedelta

import pytest

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.planning.models import ForumStatus
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories

CONTACT = {"CONTACT_EMAIL": "integration@example.se", "CONTACT_PHONE": "+46 8 123 45 67",
           "CONTACT_ADDRESS": "Stadshuset, Stora torget 1"}


@pytest.mark.parametrize("path", ["/{lang}/", "/{lang}/forums/", "/{lang}/forums/{id}", "/{lang}/forums/{id}/register",
                                  "/{lang}/topics/", "/{lang}/recommendations/", "/{lang}/newsletter/", "/{lang}/login"])
def test_the_footer_of_every_page_says_how_to_reach_the_office(client, app, path):
    app.config.update(CONTACT)
    with app.app_context():
        forum_id = factories.forum().id
    for lang in ("sv", "ar"):
        html = client.get(path.format(lang=lang, id=forum_id)).get_data(as_text=True)
        footer = html[html.index('<footer class="site-footer">'):]
        assert 'href="mailto:integration@example.se"' in footer and 'href="tel:+4681234567"' in footer
        assert "Stadshuset, Stora torget 1" in footer


def test_an_empty_contact_setting_is_left_out(client, app):
    app.config.update(CONTACT_EMAIL="", CONTACT_PHONE="", CONTACT_ADDRESS="")
    assert "contact-details" not in client.get("/sv/").get_data(as_text=True)


def test_the_demo_and_development_settings_fill_the_contact_details(app):
    assert app.config["CONTACT_EMAIL"] and app.config["CONTACT_PHONE"] and app.config["CONTACT_ADDRESS"]


def test_a_forum_not_yet_open_says_when_registration_opens_and_nothing_else(client, app):
    with app.app_context():
        forum = factories.forum(days=60, registration_opens_at=utcnow() + timedelta(days=7))
        forum_id = forum.id
    for path in (f"/en/forums/{forum_id}", f"/en/forums/{forum_id}/register"):
        html = client.get(path).get_data(as_text=True)
        assert "Registration opens" in html, path
        assert "closed" not in html.lower(), path  # once said "Registration for this forum is closed." too
        assert 'name="consent"' not in html  # and there is no form to fill in yet


def test_a_cancelled_forum_shows_no_count_of_places_or_people(client, app):
    with app.app_context():
        forum = factories.forum(capacity=50, status=ForumStatus.CANCELLED)
        db.session.add_all([Registration(forum_id=forum.id, name=f"P{n}", status=RegistrationStatus.CONFIRMED,
                                         language="sv") for n in range(3)])
        db.session.commit()
        forum_id = forum.id
    for path in (f"/en/forums/{forum_id}", "/en/forums/", "/en/"):
        html = client.get(path).get_data(as_text=True)
        assert "Cancelled" in html or path == "/en/", path
        assert "places left" not in html and not re.search(r"(?<![:\d])47(?![:\d])", html), path
    [data] = [f for f in client.get("/api/v1/forums").get_json()["items"] if f["id"] == forum_id]
    assert data["status"] == "cancelled"
    assert (data["confirmed"], data["waiting"], data["places_left"]) == (0, 0, 0)


def test_interpreter_languages_are_listed_as_each_language_lists_them(client, app):
    with app.app_context():
        forum_id = factories.forum(interpretation_languages=["ar", "ti", "so"]).id
    swedish = client.get(f"/sv/forums/{forum_id}").get_data(as_text=True)
    assert "Tolkar till: arabiska, tigrinja och somaliska." in swedish
    arabic = client.get(f"/ar/forums/{forum_id}").get_data(as_text=True)
    languages = arabic[arabic.index("مترجمون إلى"):].split("</li>")[0]
    assert ", " not in languages and " و" in languages


@pytest.mark.parametrize("lang", ["ar", "so", "ti", "uk", "sv"])
def test_a_forum_page_shows_one_date_order_and_the_24_hour_clock(client, app, lang):
    import re

    from babel import Locale

    with app.app_context():
        forum = factories.forum(registration_closes_at=utcnow() + timedelta(days=10))
        forum_id = forum.id
    html = client.get(f"/{lang}/forums/{forum_id}").get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    periods = Locale.parse(lang).day_periods["format"]["abbreviated"]
    markers = "|".join(re.escape(periods[p]) for p in ("am", "pm") if p in periods)
    assert not re.search(rf"\d{{1,2}}:\d{{2}}\s*({markers})", main)  # no 12-hour clock
    assert re.search(r"\b\d{1,2}:\d{2}\b", main)
    assert not re.search(r"\b[A-Za-z]+ \d{1,2}, \d{4}", main)  # never "Diseembar 8, 2026"
    assert not re.search(r"\d{4} р\.", main) and ", 2026" not in main.replace("، 2026", "")
