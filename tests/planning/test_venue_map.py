"""Getting there (issue 28): a venue's optional map position and stop, links that open the phone's map
(no map embedded, no script), and a warning when a new forum says nothing about access."""

import re
from decimal import Decimal

from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.planning.forms import parse_position
from forum_app.planning.models import Forum

from .. import factories
from ..conftest import submit
from .test_forums import _forum_form


def test_a_position_as_a_map_gives_it_is_read_and_nonsense_is_refused():
    assert parse_position("55.6050, 13.0038") == (Decimal("55.605"), Decimal("13.0038"))
    assert parse_position("55.6050 13.0038") == (Decimal("55.605"), Decimal("13.0038"))
    assert parse_position("-33.9, 151.2") == (Decimal("-33.9"), Decimal("151.2"))
    assert parse_position("95, 13") is None and parse_position("55.6") is None and parse_position("Malmö") is None


def test_staff_give_a_position_and_a_stop_and_the_forum_page_links_to_the_map(client, login, app):
    login("admin")
    with app.app_context():
        topic_id = factories.topic().id
    response = submit(client, "/en/admin/forums/new", _forum_form(
        topic_id, venue_position="55.6050, 13.0038", venue_stop="Malmö Triangeln", **{"venue_access-sv": "Ramp."}))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        forum = db.session.scalar(select(Forum))
        assert (forum.venue_latitude, forum.venue_longitude, forum.venue_stop) == (Decimal("55.605"), Decimal("13.0038"),
                                                                                 "Malmö Triangeln")
        forum.status = factories.ForumStatus.PUBLISHED
        db.session.commit()
        forum_id = forum.id
    html = client.get(f"/ar/forums/{forum_id}").get_data(as_text=True)
    assert 'href="geo:55.605000,13.003800"' in html
    assert "https://www.openstreetmap.org/?mlat=55.605000&amp;mlon=13.003800" in html
    assert "Malmö Triangeln" in html and "<iframe" not in html
    assert not re.search(r"<script(?![^>]*application/ld\+json)", html)  # no script but the page's own data
    edit = client.get(f"/en/admin/forums/{forum_id}/edit").get_data(as_text=True)
    assert 'value="55.605, 13.0038"' in edit  # the position comes back as it was given


def test_without_a_position_the_map_link_searches_the_address(client, app):
    with app.app_context():
        forum_id = factories.forum().id
    html = client.get(f"/sv/forums/{forum_id}").get_data(as_text=True)
    assert "https://www.openstreetmap.org/search?query=Stora+torget+1" in html and "geo:" not in html


def test_a_new_forum_without_access_text_is_saved_with_a_warning(client, login, app):
    login("admin")
    with app.app_context():
        topic_id = factories.topic().id
    response = submit(client, "/en/admin/forums/new", _forum_form(topic_id, venue_position="north of here"))
    assert response.status_code == 400 and 'id="venue_position-error"' in response.get_data(as_text=True)
    saved = submit(client, "/en/admin/forums/new", _forum_form(topic_id), follow_redirects=True)
    assert "Nothing is written about access yet" in saved.get_data(as_text=True)
