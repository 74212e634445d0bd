"""Partners are reached, not only listed: staff email a forum's invitation to its partner organisations,
each in its own language, through the outbox, and see who was sent what and when."""

from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.planning.models import ForumStatus, Organisation, PartnerInvitation

from .. import factories
from ..conftest import submit


def _forum_with_partners(app, status=ForumStatus.PUBLISHED) -> int:
    with app.app_context():
        forum = factories.forum(status=status)
        forum.partners = [
            Organisation(name="Eritreanska kulturföreningen", email="selam@example.org", contact_person="Selam",
                         mail_language="ti"),
            Organisation(name="Röda Korset", email="maria@example.org", mail_language="sv"),
            Organisation(name="Utan adress", email=""),
        ]
        db.session.commit()
        return forum.id


def test_staff_send_the_invitation_to_partners_in_their_languages_and_see_the_log(client, login, app, smtp):
    forum_id = _forum_with_partners(app)
    user = login("admin")
    page = client.get(f"/sv/admin/forums/{forum_id}/invite-partners").get_data(as_text=True)
    assert "Eritreanska kulturföreningen" in page and "Utan adress" not in page.split("<form", 1)[1].split("</form>")[0]
    with app.app_context():
        ids = [o.id for o in db.session.scalars(select(Organisation).where(Organisation.email != ""))]
    response = submit(client, f"/sv/admin/forums/{forum_id}/invite-partners",
                      {"organisation_ids": [str(i) for i in ids]})
    assert response.status_code == 302, response.get_data(as_text=True)
    tigrinya = smtp.to("selam@example.org")
    swedish = smtp.to("maria@example.org")
    assert len(tigrinya) == 1 and len(swedish) == 1
    body = tigrinya[0].get_body(preferencelist=("plain",)).get_content()
    assert f"/ti/forums/{forum_id}" in body and f"/ti/forums/{forum_id}/poster" in body
    assert "Inbjudan till migrantforumet" in swedish[0]["Subject"]
    with app.app_context():
        log = db.session.scalars(select(PartnerInvitation).order_by(PartnerInvitation.id)).all()
        assert [(e.organisation_name, e.language, e.sent_by_id) for e in log] == [
            ("Eritreanska kulturföreningen", "ti", user.id), ("Röda Korset", "sv", user.id)]
    page = client.get(f"/en/admin/forums/{forum_id}/invite-partners").get_data(as_text=True)
    assert "selam@example.org" in page and "ትግርኛ" in page
    assert 'checked' not in page.split("<form", 1)[1].split("</form>")[0]  # both already invited


def test_a_draft_forum_or_no_organisation_chosen_is_refused_with_a_message(client, login, app, smtp):
    draft_id = _forum_with_partners(app, status=ForumStatus.DRAFT)
    login("admin")
    response = submit(client, f"/en/admin/forums/{draft_id}/invite-partners", {"organisation_ids": ["1"]})
    assert response.status_code == 400 and "Publish the forum first" in response.get_data(as_text=True)
    with app.app_context():
        db.session.get(factories.Forum, draft_id).status = ForumStatus.PUBLISHED
        db.session.commit()
    response = submit(client, f"/en/admin/forums/{draft_id}/invite-partners", {})
    assert response.status_code == 400 and "Choose at least one organisation" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PartnerInvitation.id)) is None
    assert smtp.messages == []


def test_the_office_chooses_the_language_of_an_organisations_emails(client, login, app):
    login("admin")
    response = submit(client, "/sv/admin/organisations/new", {"name": "Ukrainska huset", "kind": "association",
                                                              "email": "olena@example.org", "mail_language": "uk"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Organisation.mail_language)) == "uk"


def test_only_forum_managers_send_invitations(client, login, app):
    forum_id = _forum_with_partners(app)
    login("coreteam")
    assert client.get(f"/sv/admin/forums/{forum_id}/invite-partners").status_code == 403
