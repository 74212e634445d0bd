"""Beyond the city's competence (the hand-on with its letter and answer) and the joint presentation to
the decision makers (who presented, what), each shown on the public tracker."""

import io
from datetime import date, timedelta

from sqlalchemy import select

from forum_app.accounts.models import Department, User
from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.coreteam.models import CoreTeamMember
from forum_app.recommendations.models import HandOn, Presentation, Recommendation, Status

from ..conftest import submit
from .test_tracker import _rec

PDF = b"%PDF-1.4\n% a tiny letter\n"


def _outside(app) -> int:
    with app.app_context():
        return _rec(Status.ACCEPTED, title={"sv": "Äldreomsorg på modersmålet i lag"}, within_competence=False).id


def test_staff_record_a_letter_to_the_government_and_its_answer_shown_on_the_tracker(client, login, app):
    rec_id = _outside(app)
    login("admin")
    sent = date.today() - timedelta(days=30)
    page = f"/sv/admin/recommendations/{rec_id}"
    response = submit(client, f"/sv/admin/recommendations/{rec_id}/hand-on",
                      {"handon-to_whom": "Regeringskansliet, Socialdepartementet",
                       "handon-sent_on": sent.isoformat(), "handon-letter": (io.BytesIO(PDF), "brev.pdf")},
                      page=page, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        hand_on = db.session.scalar(select(HandOn))
        assert (hand_on.to_whom, hand_on.filename, hand_on.content_type) == (
            "Regeringskansliet, Socialdepartementet", "brev.pdf", "application/pdf")
        hand_on_id = hand_on.id
    response = submit(client, f"/sv/admin/hand-on/{hand_on_id}/answer",
                      {f"answer{hand_on_id}-answered_on": (sent + timedelta(days=20)).isoformat(),
                       f"answer{hand_on_id}-answer-sv": "Regeringen utreder frågan.",
                       f"answer{hand_on_id}-answer-en": "The government is looking into it."}, page=page)
    assert response.status_code == 302, response.get_data(as_text=True)
    client.get("/sv/logout")
    assert "the city wrote to Regeringskansliet" in client.get("/en/recommendations/").get_data(as_text=True)
    html = client.get(f"/en/recommendations/{rec_id}").get_data(as_text=True)
    assert "Passed on beyond the city" in html and "Regeringskansliet, Socialdepartementet" in html
    assert "The government is looking into it." in html and "Passed on to Regeringskansliet" in html
    letter = client.get(f"/en/recommendations/hand-on/{hand_on_id}/letter")
    assert letter.status_code == 200 and letter.data == PDF
    assert "sandbox" in letter.headers["Content-Security-Policy"]


def test_a_hand_on_needs_a_recommendation_outside_the_competence_and_a_date_that_has_come(client, login, app):
    with app.app_context():
        inside = _rec(Status.ACCEPTED).id
    outside = _outside(app)
    login("admin")
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = submit(client, f"/en/admin/recommendations/{outside}/hand-on",
                      {"handon-to_whom": "Regeringen", "handon-sent_on": tomorrow},
                      page=f"/en/admin/recommendations/{outside}")
    assert response.status_code == 400 and "cannot be in the future" in response.get_data(as_text=True)
    assert 'value="Regeringen"' in response.get_data(as_text=True)
    response = submit(client, f"/en/admin/recommendations/{outside}/hand-on",
                      {"handon-to_whom": "Regeringen", "handon-sent_on": date.today().isoformat(),
                       "handon-letter": (io.BytesIO(b"<html>"), "brev.html")},
                      page=f"/en/admin/recommendations/{outside}", content_type="multipart/form-data")
    assert response.status_code == 400 and "PDF" in response.get_data(as_text=True)
    response = submit(client, f"/en/admin/recommendations/{inside}/hand-on",
                      {"handon-to_whom": "Regeringen", "handon-sent_on": date.today().isoformat()},
                      page=f"/en/admin/recommendations/{inside}")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(HandOn.id)) is None


def test_a_letter_of_a_draft_is_not_public(client, app):
    with app.app_context():
        draft = _rec(Status.DRAFT, within_competence=False)
        db.session.add(HandOn(recommendation=draft, to_whom="Regeringen", sent_on=date.today(),
                              filename="b.pdf", content_type="application/pdf", size=3, storage_name="x.pdf"))
        db.session.commit()
    assert client.get("/sv/recommendations/hand-on/1/letter").status_code == 404


def _people(app):
    with app.app_context():
        department = Department(name={"sv": "Äldreförvaltningen", "en": "Elderly care department"})
        db.session.add(department)
        db.session.flush()
        official = User(email="karin@example.org", name="Karin Official", role="official",
                        department_id=department.id, password_hash="x")
        today = city_today()
        members = [CoreTeamMember(name=name, term_start=today - timedelta(days=30), term_end=today + timedelta(days=300))
                   for name in ("Amal Haddad", "Yonas Tesfay")]
        gone = CoreTeamMember(name="Former Member", term_start=today - timedelta(days=500),
                              term_end=today - timedelta(days=100))
        db.session.add_all([official, *members, gone])
        db.session.commit()
        rec = _rec(Status.PRESENTED, title={"sv": "Tolk i alla biståndsbedömningar"})
        return rec.id, [m.id for m in members], official.id


def test_staff_record_a_joint_presentation_and_the_tracker_says_when_and_by_whom(client, login, app):
    rec_id, member_ids, official_id = _people(app)
    login("admin")
    form_page = client.get("/sv/admin/presentations/").get_data(as_text=True)
    assert "Amal Haddad" in form_page and "Former Member" not in form_page and "Karin Official" in form_page
    on = date.today() - timedelta(days=3)
    response = submit(client, "/sv/admin/presentations/",
                      {"presented_on": on.isoformat(), "body": "Kommunstyrelsen", "recommendation_ids": [str(rec_id)],
                       "member_ids": [str(i) for i in member_ids], "official_ids": [str(official_id)],
                       "material": (io.BytesIO(PDF), "bilder.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        presentation = db.session.scalar(select(Presentation))
        assert [r.id for r in presentation.recommendations] == [rec_id]
        assert len(presentation.members) == 2 and presentation.officials[0].name == "Karin Official"
        presentation_id = presentation.id
    client.get("/sv/logout")
    html = client.get(f"/en/recommendations/{rec_id}").get_data(as_text=True)
    assert "to Kommunstyrelsen by 2 members of the core team and officials from Elderly care department." in html
    assert "Karin Official" not in html  # the public sees the department, not the official's name
    listing = client.get("/en/recommendations/").get_data(as_text=True)
    assert "to Kommunstyrelsen." in listing
    assert client.get(f"/en/recommendations/presentations/{presentation_id}/material").data == PDF
    ar = client.get(f"/ar/recommendations/{rec_id}").get_data(as_text=True)
    assert "Kommunstyrelsen" in ar and "Presented on" not in ar


def test_a_department_with_no_named_official_presents_jointly_but_the_core_team_alone_does_not(client, login, app):
    rec_id, member_ids, _official_id = _people(app)
    with app.app_context():
        schools = Department(name={"sv": "Utbildningsförvaltningen", "en": "Education department"})
        db.session.add(schools)
        db.session.commit()
        schools_id = schools.id
        on = (city_today() - timedelta(days=2)).isoformat()
    login("admin")
    fields = {"presented_on": on, "body": "Kommunstyrelsen", "recommendation_ids": [str(rec_id)],
              "member_ids": [str(member_ids[0])]}
    alone = submit(client, "/en/admin/presentations/", fields)
    assert alone.status_code == 400
    assert "needs at least one official or department of the city" in alone.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Presentation.id)) is None
    done = submit(client, "/en/admin/presentations/", {**fields, "department_ids": [str(schools_id)]})
    assert done.status_code == 302, done.get_data(as_text=True)
    with app.app_context():
        presentation = db.session.scalar(select(Presentation))
        assert [d.id for d in presentation.departments] == [schools_id] and presentation.officials == []
    staff = client.get("/en/admin/presentations/").get_data(as_text=True)
    assert "Education department" in staff
    client.get("/en/logout")
    public = client.get(f"/en/recommendations/{rec_id}").get_data(as_text=True)
    assert "by 1 member of the core team and officials from Education department." in public


def test_a_presentation_needs_its_recommendations_and_keeps_what_was_typed(client, login, app):
    _people(app)
    login("admin")
    response = submit(client, "/en/admin/presentations/", {"presented_on": date.today().isoformat(),
                                                           "body": "Kommunfullmäktige"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose the recommendations that were presented." in html and 'value="Kommunfullmäktige"' in html
    with app.app_context():
        assert db.session.scalar(select(Presentation.id)) is None


def test_only_the_office_records_presentations_and_hand_ons(client, login, app):
    rec_id = _outside(app)
    login("coreteam")
    assert client.get("/sv/admin/presentations/").status_code == 403
    assert client.post(f"/sv/admin/recommendations/{rec_id}/hand-on").status_code in (400, 403)
    with app.app_context():
        assert db.session.get(Recommendation, rec_id).hand_ons == []
