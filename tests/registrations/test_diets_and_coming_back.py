"""Diets that can be counted across languages, and who comes back to a later forum."""

import importlib.util
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.planning.models import ForumStatus
from forum_app.registrations.diets import Diet
from forum_app.registrations.models import Registration, RegistrationStatus
from forum_app.registrations.orders import order_summary
from forum_app.registrations.queries import person_key, returning_participants

from .. import factories
from ..conftest import submit

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0011_diets_and_person_key.py"


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0011", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _register(client, app, lang: str, **fields) -> None:
    with app.app_context():
        forum_id = db.session.scalar(select(factories.Forum.id))
    form = {"name": "X", "phone": "070 123 45 67", "consent": "y", **fields}
    response = submit(client, f"/{lang}/forums/{forum_id}/register", form)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_halal_ticked_in_arabic_and_in_swedish_is_one_line_to_order(client, app):
    with app.app_context():
        factories.forum()
    page = client.get("/ar/forums/1/register").get_data(as_text=True)
    assert 'value="halal"' in page and "حلال" in page and "بدون لحم خنزير" in page
    _register(client, app, "ar", name="Amal", diets=["halal", "no_pork"])
    _register(client, app, "sv", name="Anna", diets=["halal"], dietary_needs="Inga lökar")
    _register(client, app, "so", name="Hodan", diets=["halal", "vegan"])
    with app.app_context():
        summary = order_summary(1)
    assert summary.dietary == {Diet.HALAL: 3, Diet.NO_PORK: 1, Diet.VEGAN: 1}
    assert summary.other_food == ["Inga lökar"]


def test_staff_see_the_diets_in_their_language_and_other_food_as_written(client, app, login):
    with app.app_context():
        forum = factories.forum()
        db.session.add(Registration(forum_id=forum.id, name="Amal", status=RegistrationStatus.CONFIRMED,
                                    diets=["halal", "gluten_free"], dietary_needs="لا بصل"))
        db.session.commit()
    login("admin")
    html = client.get("/en/admin/forums/1").get_data(as_text=True)
    assert "Halal: 1 person" in html and "Gluten-free: 1 person" in html and "لا بصل" in html
    listing = client.get("/uk/admin/forums/1/registrations").get_data(as_text=True)
    assert "Халяль" in listing and "Без глютену" in listing


def test_an_unknown_diet_is_refused_and_the_form_keeps_what_was_typed(client, app):
    with app.app_context():
        factories.forum()
    response = submit(client, "/sv/forums/1/register",
                      {"name": "Amal Haddad", "consent": "y", "diets": ["halal", "raw-meat"]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Amal Haddad"' in html
    with app.app_context():
        assert db.session.scalar(select(Registration.id)) is None


def test_the_participant_changes_the_ticked_diets_from_the_private_link(client, app):
    import re

    with app.app_context():
        factories.forum()
    response = submit(client, "/sv/forums/1/register", {"name": "Amal", "phone": "070 123 45 67", "consent": "y", "diets": ["vegan"]})
    manage = re.search(r'href="http://localhost(/\w\w/registration/[^"]+)"', response.get_data(as_text=True)).group(1)
    page = client.get(manage).get_data(as_text=True)
    assert re.search(r'value="vegan"[^>]*checked|checked[^>]*value="vegan"', page)
    response = submit(client, manage, {"diets": ["nut_allergy"], "dietary_needs": "", "access_needs": "",
                                       "children_ages": "", "interpretation": ""})
    assert response.status_code in (200, 302)
    with app.app_context():
        assert db.session.scalar(select(Registration.diets)) == ["nut_allergy"]


def test_the_migration_maps_free_text_that_names_a_choice_in_any_language():
    split = _migration().split_diets
    assert split("Halal") == (["halal"], "")
    assert split("حلال") == (["halal"], "")
    assert split("ሓላል, ብዘይ ግሉተን") == (["halal", "gluten_free"], "")
    assert split("vegetarisk och nötallergi") == (["vegetarian", "nut_allergy"], "")
    assert split("Без свинини; no onions please") == (["no_pork"], "no onions please")
    assert split("بدون گلوتن") == (["gluten_free"], "")
    assert split("halal meat only if fresh") == ([], "halal meat only if fresh")
    assert split("") == ([], "")


def test_the_migration_moves_existing_text_and_keys_existing_registrations(tmp_path):
    from flask_migrate import upgrade

    from forum_app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    with app.app_context():
        upgrade(revision="0010")
        db.session.execute(db.text(
            "INSERT INTO topic (id, year, title, background, origin, within_competence, district, created_at, "
            "updated_at) VALUES (1, 2027, '{}', '{}', 'both', 1, '', '2027-01-01', '2027-01-01')"))
        db.session.execute(db.text(
            "INSERT INTO forum (id, topic_id, hook, description, format, starts_at, ends_at, venue_name, "
            "venue_address, venue_access, capacity, food, childcare_offered, interpretation_languages, moderator, "
            "moderator_role, poster_languages, status, created_at, updated_at) VALUES (1, 1, '{}', '{}', "
            "'evening', '2027-01-01', '2027-01-01', 'v', 'a', '{}', 10, '{}', 1, '[]', '', '{}', '[]', 'held', "
            "'2027-01-01', '2027-01-01')"))
        for n, (email, phone, text) in enumerate([("Amal@Example.org", "", "حلال، no onions"),
                                                  ("", "070-123 45 67", "Vegetarisk"), ("", "", "spicy")], 1):
            db.session.execute(db.text(
                "INSERT INTO registration (id, forum_id, name, email, phone, language, spoken_language, "
                "interpretation_language, children_ages, access_needs, dietary_needs, wants_coreteam, newsletter, "
                "status, walk_in, created_at, updated_at) VALUES (:id, 1, 'n', :email, :phone, 'sv', '', '', '[]', "
                "'', :text, 0, 0, 'confirmed', 0, '2027-01-01', '2027-01-01')"),
                {"id": n, "email": email, "phone": phone, "text": text})
        db.session.commit()
        upgrade()
        rows = {r.id: r for r in db.session.scalars(select(Registration))}
        assert (rows[1].diets, rows[1].dietary_needs) == (["halal"], "no onions")
        assert (rows[2].diets, rows[2].dietary_needs) == (["vegetarian"], "")
        assert (rows[3].diets, rows[3].dietary_needs) == ([], "spicy")
        assert rows[1].person_key == person_key("amal@example.org", "")
        assert rows[2].person_key == person_key("", "0701234567")
        assert rows[3].person_key is None
        db.session.remove()
        db.engine.dispose()


# --- who comes back ---------------------------------------------------------------------------

def test_the_key_is_a_keyed_hash_of_the_normalised_address_and_never_the_address(app_ctx):
    key = person_key(" Amal@Example.ORG ", "")
    assert key == person_key("amal@example.org", "070 123") and len(key) == 64
    assert "amal" not in key
    assert person_key("", "070-123 45 67") == person_key("", "0701234567")
    assert person_key("", "") is None
    app_ctx.config["SECRET_KEY"] = "another key"
    assert person_key("amal@example.org", "") != key


def _held_forum(title: str, days: int):
    forum = factories.forum(factories.topic(title=title), days=days, status=ForumStatus.HELD)
    return forum


def test_participants_who_came_to_an_earlier_forum_are_counted(client, app, login):
    with app.app_context():
        first = _held_forum("Första", -60)
        second = _held_forum("Andra", -30)
        third = factories.forum(factories.topic(title="Tredje"), days=10)
        for forum, people in ((first, ["amal@example.org", "", "0701234567"]),
                              (second, ["AMAL@example.org", "reza@example.org"]),
                              (third, ["amal@example.org", "reza@example.org", "070-123 45 67", "new@example.org"])):
            for n, contact in enumerate(people):
                email, phone = ("", contact) if contact.startswith("0") else (contact, "")
                db.session.add(Registration(forum_id=forum.id, name=f"P{n}", email=email, phone=phone,
                                            status=RegistrationStatus.CONFIRMED, person_key=person_key(email, phone)))
        # cancelled here: not a participant of this forum
        db.session.add(Registration(forum_id=third.id, name="Gone", status=RegistrationStatus.CANCELLED,
                                    person_key=person_key("gone@example.org", "")))
        db.session.commit()
        counts = returning_participants([first.id, second.id, third.id])
        assert [(c.participants, c.returning) for c in counts.values()] == [(2, 0), (2, 1), (4, 3)]
        third_id = third.id
    login("admin")
    html = client.get(f"/en/admin/forums/{third_id}").get_data(as_text=True)
    assert "3 participants came to an earlier forum." in html
    assert "Counted among the 4 registered participants" in html


def test_a_registration_at_a_forum_that_was_not_held_and_not_checked_in_does_not_count(app_ctx):
    cancelled = factories.forum(factories.topic(title="Inställt"), days=-30, status=ForumStatus.CANCELLED)
    later = factories.forum(days=10)
    checked_in = factories.forum(factories.topic(title="Incheckat"), days=-20, status=ForumStatus.PUBLISHED)
    for forum, email, attended in ((cancelled, "amal@example.org", None), (later, "amal@example.org", None),
                                   (later, "reza@example.org", None),
                                   (checked_in, "reza@example.org", checked_in.starts_at)):
        db.session.add(Registration(forum_id=forum.id, name="P", email=email, status=RegistrationStatus.CONFIRMED,
                                    attended_at=attended, person_key=person_key(email, "")))
    db.session.commit()
    assert returning_participants([later.id])[later.id].returning == 1  # Reza, checked in earlier


def test_registering_stores_the_key_and_removing_the_contact_details_keeps_it(client, app):
    from forum_app.registrations.jobs import anonymise_old_registrations

    with app.app_context():
        factories.forum()
    _register(client, app, "sv", name="Amal", email="Amal@Example.org", diets=["halal"])
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert registration.person_key == person_key("amal@example.org", "")
        forum = registration.forum
        forum.starts_at -= timedelta(days=400)
        forum.ends_at -= timedelta(days=400)
        db.session.commit()
        assert anonymise_old_registrations() == 1
        db.session.refresh(registration)
        assert (registration.email, registration.diets) == ("", [])
        assert registration.person_key == person_key("amal@example.org", "")
