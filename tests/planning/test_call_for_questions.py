"""Ask before choosing: staff open a call for questions, anyone proposes one, staff group the same
questions, see which both associations and departments raised, and turn one into a topic."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.planning import services
from forum_app.planning.models import Consultation, Mandate, Proposal, ProposerKind, Topic, TopicOrigin

from .. import factories
from ..conftest import csrf_token_from, submit


def _call(app, days_left: int = 10, year: int = 2027) -> int:
    with app.app_context():
        call = services.open_consultation(year, closes_on=city_today() + timedelta(days=days_left),
                                          intro={"sv": "Vad är viktigast för dig?"})
        return call.id


def _proposals(call_id: int, *rows) -> list[int]:
    call = db.session.get(Consultation, call_id)
    return [services.propose(call, question=q, kind=ProposerKind(kind), proposer=name, language=lang).id
            for q, kind, name, lang in rows]


def test_staff_open_a_call_and_anyone_proposes_a_question_in_their_language(client, login, app):
    login("admin")
    response = submit(client, "/sv/admin/topics/consultation?year=2027",
                      {"closes_on": (date.today() + timedelta(days=14)).isoformat(), "intro-sv": "Berätta!"})
    assert response.status_code == 302, response.get_data(as_text=True)
    client.get("/sv/logout")
    anonymous = app.test_client()
    page = anonymous.get("/so/topics/propose")
    assert page.status_code == 200 and 'lang="so"' in page.get_data(as_text=True)
    assert "Set-Cookie" in page.headers  # the form's CSRF token: never a cached public page
    response = submit(anonymous, "/so/topics/propose",
                      {"question": "Sidee waayeelku u helaan daryeelka guriga?", "kind": "association",
                       "proposer": "Somaliska föreningen"}, follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert (proposal.kind, proposal.proposer, proposal.language) == (
            ProposerKind.ASSOCIATION, "Somaliska föreningen", "so")
    assert "/en/topics/propose" in anonymous.get("/en/topics/?year=2027").get_data(as_text=True)


def test_a_proposal_without_a_question_or_an_association_without_a_name_keeps_what_was_typed(client, app):
    _call(app)
    response = submit(client, "/ar/topics/propose", {"question": "", "kind": "resident"})
    assert response.status_code == 400
    response = submit(client, "/ar/topics/propose", {"question": "سؤال مهم", "kind": "department", "proposer": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "سؤال مهم" in html
    assert re.search(r'<input[^>]*checked[^>]*value="department"|<input[^>]*value="department"[^>]*checked', html)
    with app.app_context():
        assert db.session.scalar(select(Proposal.id)) is None


def test_no_open_call_means_no_form_and_a_closed_call_refuses(client, app):
    assert 'name="question"' not in client.get("/sv/topics/propose").get_data(as_text=True)
    call_id = _call(app, days_left=0)
    token = csrf_token_from(client.get("/sv/topics/propose").get_data(as_text=True))
    with app.app_context():  # the call closes while the page is open
        db.session.get(Consultation, call_id).closes_on = city_today() - timedelta(days=1)
        db.session.commit()
    response = client.post("/sv/topics/propose", data={"question": "Min fråga om bostäder", "kind": "resident",
                                                      "csrf_token": token})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Min fråga om bostäder" in html and "Uppropet efter frågor har stängt." in html  # nothing typed is lost
    with app.app_context():
        try:
            services.propose(db.session.get(Consultation, call_id), question="x", kind=ProposerKind.RESIDENT,
                             proposer="", language="sv")
        except services.PlanningError:
            pass
        else:
            raise AssertionError("a closed call took a proposal")


def test_proposals_are_rate_limited_per_sender(client, app):
    _call(app)
    codes = [submit(client, "/sv/topics/propose", {"question": f"Fråga {n}", "kind": "resident"}).status_code
             for n in range(11)]
    assert codes[:10] == [302] * 10 and codes[10] == 429
    with app.app_context():
        assert len(db.session.scalars(select(Proposal)).all()) == 10


def test_staff_group_the_same_question_and_see_which_both_sides_raised(client, login, app):
    call_id = _call(app)
    with app.app_context():
        work, work_too, elders, elders_dept, alone = _proposals(
            call_id, ("Hur hittar man jobb?", "resident", "", "sv"),
            ("كيف أجد عملاً؟", "association", "Arabiska föreningen", "ar"),
            ("Äldreomsorg på modersmålet", "association", "Somaliska föreningen", "sv"),
            ("Hemtjänst för äldre migranter", "department", "Äldreförvaltningen", "sv"),
            ("Simhall för kvinnor", "resident", "", "sv"))
    login("admin")
    for proposal, same_as in ((work_too, work), (elders_dept, elders)):
        response = submit(client, f"/sv/admin/topics/proposals/{proposal}/same", {f"p{proposal}-same_as": str(same_as)},
                          page="/sv/admin/topics/consultation?year=2027")
        assert response.status_code == 302
    html = client.get("/en/admin/topics/consultation?year=2027").get_data(as_text=True)
    # the question both sides raised comes first, marked; then the one raised twice, then the single one
    order = [html.index(q) for q in ("Äldreomsorg på modersmålet", "Hur hittar man jobb?", "Simhall för kvinnor")]
    assert order == sorted(order)
    assert html.count("Raised by both an association and a department</span>") == 1
    with app.app_context():
        groups = __import__("forum_app.planning.queries", fromlist=["x"]).question_groups(
            db.session.get(Consultation, call_id))
        assert [(g.id, len(g.group), g.raised_by_both) for g in groups] == [(elders, 2, True), (work, 2, False),
                                                                            (alone, 1, False)]
        # marking a group's first question as the same as another moves the whole group
        services.mark_same_question(db.session.get(Proposal, work), db.session.get(Proposal, elders_dept))
        assert db.session.get(Proposal, work_too).same_as_id == elders
        services.mark_same_question(db.session.get(Proposal, work), None)
        assert db.session.get(Proposal, work).same_as_id is None


def test_a_question_becomes_a_topic_that_says_who_proposed_it(client, login, app):
    call_id = _call(app)
    with app.app_context():
        first, dept, resident = _proposals(
            call_id, ("Äldreomsorg på modersmålet", "association", "Somaliska föreningen", "sv"),
            ("Äldreomsorg på modersmålet", "department", "Äldreförvaltningen", "sv"),
            ("Äldreomsorg på modersmålet", "resident", "", "sv"))
        for other in (dept, resident):
            services.mark_same_question(db.session.get(Proposal, other), db.session.get(Proposal, first))
    login("admin")
    page = client.get(f"/sv/admin/topics/new?proposal={first}&year=2027").get_data(as_text=True)
    assert 'value="Äldreomsorg på modersmålet"' in page and f'value="{first}"' in page
    response = submit(client, f"/sv/admin/topics/new?proposal={first}",
                      {"year": "2027", "title-sv": "Äldreomsorg på modersmålet", "question_1-sv": "Fråga 1?",
                       "question_2-sv": "Fråga 2?", "question_3-sv": "Fråga 3?", "origin": "both",
                       "within_competence": "y", "proposal_id": str(first)})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        topic = db.session.scalar(select(Topic))
        assert topic.proposal.id == first and topic.origin is TopicOrigin.BOTH
        assert services.origin_of(db.session.get(Proposal, first)) is TopicOrigin.BOTH
    html = client.get("/en/topics/?year=2027").get_data(as_text=True)
    assert "Proposed by Somaliska föreningen and Äldreförvaltningen and 1 resident." in html
    consultation = client.get("/en/admin/topics/consultation?year=2027").get_data(as_text=True)
    assert "Topic:" in consultation and "/en/admin/topics/1\"" in consultation and "Turn into a topic" not in consultation


def test_the_mandate_records_when_the_core_team_agreed_it(client, login, app):
    login("admin")
    response = submit(client, "/sv/admin/mandate/2027", {"decided_by-sv": "Kommunfullmäktige",
                                                         "core_team_agreed_on": "2027-01-20"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Mandate.core_team_agreed_on)) == date(2027, 1, 20)
        factories.topic()
    assert "Agreed with the core team on 20 January 2027." in client.get("/en/topics/?year=2027").get_data(
        as_text=True)


def test_only_the_office_sees_the_proposals(client, login, app):
    _call(app)
    login("coreteam")
    assert client.get("/sv/admin/topics/consultation").status_code == 403
