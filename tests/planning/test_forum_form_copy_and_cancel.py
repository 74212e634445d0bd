"""The forum form: "copy from an earlier forum" (everything but dates and registrations), parts that fold
without JavaScript, and the cancel page that says how many people it affects and who must be called."""

import re

from forum_app.core.extensions import db
from forum_app.planning.models import Organisation
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import submit


def test_a_new_forum_copies_an_earlier_one_but_not_its_dates(client, login, app):
    with app.app_context():
        partner = Organisation(name="Föreningen Al-Amal")
        db.session.add(partner)
        db.session.commit()
        earlier = factories.forum(days=-40, venue_access={"sv": "Buss 4 till Stora torget. Hiss finns."},
                                  food={"sv": "Halal och vegetariskt"}, moderator="Lina Ahmed")
        earlier.partners = [partner]
        db.session.commit()
        earlier_id, partner_id = earlier.id, partner.id
    login("admin")
    html = client.get(f"/sv/admin/forums/new?copy={earlier_id}").get_data(as_text=True)
    assert "Buss 4 till Stora torget. Hiss finns." in html and "Halal och vegetariskt" in html
    assert 'value="Lina Ahmed"' in html and 'value="Stadshuset"' in html
    assert re.search(rf'value="{partner_id}"[^>]*checked|checked[^>]*value="{partner_id}"', html)
    assert re.search(r'name="starts_at"[^>]*value=""|name="starts_at"(?![^>]*value=)', html)
    assert html.count("<details") >= 5 and "<script" not in html  # folds without JavaScript


def test_a_folded_part_with_an_error_opens(client, login, app):
    login("admin")
    response = submit(client, "/sv/admin/forums/new", {"capacity": "-1"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    venue = html[html.index("<details", html.index("<details") + 1):]
    assert venue.startswith('<details class="form-part" open')


def test_the_cancel_page_counts_people_with_a_place_waiting_and_only_a_phone(client, login, app):
    with app.app_context():
        forum = factories.forum(days=10, capacity=12)
        for n in range(12):
            db.session.add(Registration(forum_id=forum.id, name=f"P{n}", status=RegistrationStatus.CONFIRMED,
                                        email="" if n < 3 else f"p{n}@example.org", phone="0701234567"))
        db.session.add(Registration(forum_id=forum.id, name="Väntar", status=RegistrationStatus.WAITING,
                                    email="w@example.org"))
        db.session.add(Registration(forum_id=forum.id, name="Avbokad", status=RegistrationStatus.CANCELLED,
                                    phone="0709999999"))
        db.session.commit()
        forum_id = forum.id
    login("admin")
    html = client.get(f"/en/admin/forums/{forum_id}/cancel").get_data(as_text=True)
    assert "12 people have a place at this forum." in html
    assert "1 person is on the waiting list." in html
    assert "3 of them left only a phone number" in html


def test_a_copy_takes_the_map_position_and_stop_too(client, login, app):
    from decimal import Decimal

    with app.app_context():
        earlier_id = factories.forum(days=-40, venue_latitude=Decimal("55.605"), venue_longitude=Decimal("13.0038"),
                                     venue_stop="Malmö Triangeln").id
    login("admin")
    response = client.get(f"/sv/admin/forums/new?copy={earlier_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="55.605, 13.0038"' in html and 'value="Malmö Triangeln"' in html
