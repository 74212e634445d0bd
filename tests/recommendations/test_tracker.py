import re
from datetime import timedelta

import jsonschema
from sqlalchemy import func, select

from forum_app.accounts.models import User
from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.timeutil import city_today
from forum_app.coreteam.models import CoreTeamMember
from forum_app.recommendations import services
from forum_app.recommendations.models import (
    Attachment,
    Department,
    Follower,
    ForumResult,
    Recommendation,
    Status,
    StatusChange,
)

from .. import factories
from ..conftest import submit


def _rec(status=Status.IN_PROGRESS, title=None, department=None, **fields):  # noqa: ANN001, ANN003
    topic = fields.pop("topic", None) or factories.topic()
    recommendation = Recommendation(topic_id=topic.id, title=title or {"sv": "Praktikplatser", "fa": "کارآموزی"},
                                    text={"sv": "Kommunen erbjuder praktik."}, status=status,
                                    departments=[department] if department else [], **fields)
    recommendation.changes.append(StatusChange(from_status=None, to_status=status))
    db.session.add(recommendation)
    db.session.commit()
    return recommendation


def test_the_whole_journey_from_result_to_implemented_measure(client, login, app, make_user, smtp):
    """Core team drafts from a forum result; staff present, accept and assign; the official implements;
    a resident reading Persian follows every step and gets the status email."""
    with app.app_context():
        department = Department(name={"sv": "Arbetsmarknadsförvaltningen", "fa": "اداره بازار کار"})
        db.session.add(department)
        db.session.commit()
        forum = factories.forum(days=-3)
        forum_id, topic_id, department_id = forum.id, forum.topic_id, department.id
    official = make_user("karin@example.org", "official")
    with app.app_context():
        db.session.get(User, official.id).department_id = department_id
        db.session.commit()

    login("coreteam")
    assert submit(client, f"/sv/admin/forums/{forum_id}/result",
                  {"attendance": "120", "summary-sv": "Många vill ha praktik.", "publish": "y"}).status_code == 302
    created = submit(client, f"/sv/admin/recommendations/new?forum={forum_id}", {
        "topic_id": str(topic_id), "forum_ids": [str(forum_id)], "title-sv": "Praktikplatser i kommunen",
        "title-fa": "کارآموزی در شهرداری", "text-sv": "Kommunen erbjuder 30 praktikplatser.",
        "within_competence": "y", "department_ids": [str(department_id)]})
    assert created.status_code == 302
    rec_id = int(created.headers["Location"].rsplit("/", 1)[1])
    page = f"/sv/admin/recommendations/{rec_id}"
    assert submit(client, f"{page}/status", {"status-to": "agreed", "status-note": "Enig"}, page=page).status_code == 302
    assert client.get(f"/fa/recommendations/{rec_id}").status_code == 200  # public once agreed

    public = client.post(f"/fa/recommendations/{rec_id}", data={"email": "reza@example.org", "csrf_token": _token(client, f"/fa/recommendations/{rec_id}")})
    assert public.status_code == 302
    [confirm] = smtp.to("reza@example.org")
    assert confirm["Content-Language"] == "fa"
    link = re.search(r"http://localhost(/fa/recommendations/follow/\S+)", confirm.get_body(("plain",)).get_content()).group(1)
    assert client.get(link).status_code == 200  # one button; the click confirms
    client.post(link)

    client.post("/sv/logout", data={"csrf_token": _token(client, "/sv/admin/")})
    login("admin")
    with app.app_context():  # the joint presentation: a member of the core team with the official
        member = CoreTeamMember(name="Dawit", term_start=city_today() - timedelta(days=30),
                                term_end=city_today() + timedelta(days=300))
        db.session.add(member)
        db.session.commit()
        presented_on, member_id = city_today() - timedelta(days=1), member.id
    assert "presented" not in client.get(page).get_data(as_text=True).split('name="status-to"')[-1].split("</select>")[0]
    assert submit(client, "/sv/admin/presentations/", {
        "presented_on": presented_on.isoformat(), "body": "Kommunstyrelsen", "recommendation_ids": [str(rec_id)],
        "member_ids": [str(member_id)], "official_ids": [str(official.id)]}).status_code == 302
    assert submit(client, f"{page}/status", {"status-to": "accepted"}, page=page).status_code == 302
    assert submit(client, f"{page}/assign", {"assign-official_id": str(official.id),
                                             "assign-responsible_role-sv": "Enhetschef"}, page=page).status_code == 302
    client.post("/sv/logout", data={"csrf_token": _token(client, "/sv/admin/")})

    login_page = submit(client, "/sv/login", {"email": "karin@example.org", "password": "correct horse battery"})
    assert login_page.status_code == 302
    assert "Praktikplatser i kommunen" in client.get("/sv/admin/").get_data(as_text=True)
    assert submit(client, f"{page}/progress", {"progress-on": "2026-04-01", "progress-text-sv": "Tio platser klara.",
                                               "progress-to": "in_progress"}, page=page).status_code == 302
    refused = submit(client, f"{page}/status", {"status-to": "implemented"}, page=page)
    assert refused.status_code == 400 and "Beskriv vad som gjordes" in refused.get_data(as_text=True)
    assert submit(client, f"{page}/status", {"status-to": "implemented", "status-outcome-sv": "30 platser tillsatta."},
                  page=page).status_code == 302

    persian = client.get(f"/fa/recommendations/{rec_id}").get_data(as_text=True)
    assert "کارآموزی در شهرداری" in persian and "Tio platser klara." in persian
    with app.app_context():  # the day's progress goes in the evening, as one email: let the evening come
        from forum_app.mail.outbox import sending

        sending.send_due(retry_now=True)
    subjects = [m["Subject"] for m in smtp.to("reza@example.org")[1:]]
    statuses = [subject for subject in subjects if subject.startswith("وضعیت تازه")]
    assert len(statuses) == 4  # presented, accepted, in progress, implemented: each change once
    assert len(subjects) == 5  # and the day's progress, once, in the language they followed in
    last = next(m for m in reversed(smtp.to("reza@example.org")) if m["Subject"].startswith("وضعیت تازه"))
    assert last["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"<http://localhost(\S+)>", last["List-Unsubscribe"]).group(1)
    assert client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"}).status_code == 204
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Follower)) == 0
        history = [c.to_status for c in db.session.get(Recommendation, rec_id).changes]
        assert history == [Status.DRAFT, Status.AGREED, Status.PRESENTED, Status.ACCEPTED, Status.IN_PROGRESS,
                           Status.IMPLEMENTED]


def _token(client, page):
    from ..conftest import csrf_token_from

    return csrf_token_from(client.get(page).get_data(as_text=True))


def test_tracker_filters_counts_and_hides_drafts(client, app):
    with app.app_context():
        dep = Department(name={"sv": "Social"})
        db.session.add(dep)
        db.session.commit()
        topic = factories.topic()
        _rec(Status.IMPLEMENTED, {"sv": "Klar"}, dep, topic=topic)
        _rec(Status.IN_PROGRESS, {"sv": "Pågår"}, topic=topic)
        _rec(Status.DRAFT, {"sv": "Hemligt utkast"}, topic=topic)
        dep_id = dep.id
    html = client.get("/en/recommendations/").get_data(as_text=True)
    assert "2 recommendations" in html and "Hemligt utkast" not in html
    filtered = client.get(f"/en/recommendations/?department={dep_id}").get_data(as_text=True)
    assert "Klar" in filtered and "Pågår" not in filtered
    assert "Pågår" in client.get("/en/recommendations/?status=in_progress").get_data(as_text=True)
    assert client.get("/en/recommendations/3").status_code == 404  # the draft


def test_open_data_matches_the_schema_and_has_no_personal_data(client, app, make_user):
    official = make_user("karin@example.org", "official")
    with app.app_context():
        _rec(Status.IN_PROGRESS, responsible_official_id=official.id, responsible_role={"sv": "Enhetschef"})
    document = client.get("/api/v1/openapi.json").json
    body = client.get("/api/v1/recommendations?status=in_progress").json
    schema = {**document["paths"]["/api/v1/recommendations"]["get"]["responses"]["200"]["content"]
              ["application/json"]["schema"], "components": document["components"]}
    jsonschema.validate(body, schema)
    assert body["total"] == 1 and body["items"][0]["responsible_role"] == {"sv": "Enhetschef"}
    for url in ("/api/v1/recommendations", "/sv/recommendations/export.json", "/sv/recommendations/export.csv"):
        assert "karin" not in client.get(url).get_data(as_text=True)
    csv = client.get("/sv/recommendations/export.csv").data.decode("utf-8")
    assert csv.startswith("\ufeff") and "Praktikplatser" in csv


def test_officials_are_reminded_of_silent_measures_once_per_period(app, make_user, smtp):
    official = make_user("karin@example.org", "official")
    with app.app_context():
        rec = _rec(Status.IN_PROGRESS, responsible_official_id=official.id)
        rec.updated_at = utcnow() - timedelta(days=91)
        db.session.commit()
        assert services.remind_silent_measures() == 1
        assert services.remind_silent_measures() == 0
        rec = db.session.get(Recommendation, rec.id)
        rec.last_reminded_at = utcnow() - timedelta(days=91)  # another silent period has passed
        db.session.commit()
        assert services.remind_silent_measures() == 1
    assert len(smtp.to("karin@example.org")) == 2


def test_result_files_are_checked_stored_outside_the_web_root_and_served_safely(client, login, app, tmp_path):
    login("admin")
    with app.app_context():
        forum_id = factories.forum(days=-2).id
    from io import BytesIO

    page = f"/sv/admin/forums/{forum_id}/result"
    bad = submit(client, f"{page}/files", {"file": (BytesIO(b"<script>alert(1)</script>"), "notes.pdf")},
                 page=page, content_type="multipart/form-data")
    assert bad.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0  # nothing half-saved
    pdf = b"%PDF-1.4\n% a tiny pdf\n"
    # A PDF named as a web page is stored and served as what it is.
    submit(client, f"{page}/files", {"file": (BytesIO(pdf), "x.html")}, page=page, content_type="multipart/form-data")
    with app.app_context():
        disguised = db.session.scalar(select(Attachment))
        assert disguised.filename == "x.pdf" and disguised.content_type == "application/pdf"
        services.delete_attachment(disguised)
    submit(client, f"{page}/files", {"file": (BytesIO(pdf), "../../moderator notes.pdf")}, page=page,
           content_type="multipart/form-data")
    with app.app_context():
        attachment = db.session.scalar(select(ForumResult)).attachments[0]
        assert attachment.filename == "moderator notes.pdf" and attachment.content_type == "application/pdf"
        stored = services.upload_folder() / attachment.storage_name
        assert stored.read_bytes() == pdf and "static" not in str(stored)
        attachment_id = attachment.id
    response = client.get(f"/sv/admin/files/{attachment_id}")
    assert response.data == pdf and response.headers["Content-Security-Policy"].strip() == "default-src 'none'; sandbox"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/sv/forums/{forum_id}/files/{attachment_id}").status_code == 404  # not published yet
    submit(client, page, {"attendance": "10", "summary-sv": "Bra", "publish": "y"})
    assert client.get(f"/sv/forums/{forum_id}/files/{attachment_id}").status_code == 200


def test_tracker_uses_a_fixed_number_of_queries(client, app, count_queries):
    with app.app_context():
        dep = Department(name={"sv": "Social"})
        db.session.add(dep)
        db.session.commit()
        _rec(Status.ACCEPTED, department=dep)
    with count_queries() as few:
        client.get("/sv/recommendations/")
        client.get("/api/v1/recommendations")
    with app.app_context():
        dep = db.session.scalar(select(Department))
        topic = factories.topic(title="Fler", year=2028)
        for n in range(8):
            _rec(Status.IN_PROGRESS, {"sv": f"R{n}"}, dep, topic=topic)
    with count_queries() as many:
        client.get("/sv/recommendations/")
        client.get("/api/v1/recommendations")
    assert many() == few()


def test_the_tracker_shows_twenty_a_page_with_previous_and_next_links_that_keep_the_filters(client, app):
    with app.app_context():
        older, newer = factories.topic(title="Förr", year=2025), factories.topic(title="Nu", year=2027)
        for n in range(25):
            _rec(Status.IN_PROGRESS if n % 2 else Status.IMPLEMENTED, {"sv": f"Rek {n:02d}"}, topic=newer)
        _rec(Status.ACCEPTED, {"sv": "Gammal rekommendation"}, topic=older)
    first = client.get("/en/recommendations/")
    html = first.get_data(as_text=True)
    assert html.count('<li class="card">') == 20 and "Gammal rekommendation" not in html  # the latest year first
    assert "26 recommendations" in html and "Implemented: 13" in html  # every page counted, not this one
    assert 'href="/en/recommendations/?page=2" rel="next">Next page</a>' in html and 'rel="prev"' not in html
    assert first.headers["Cache-Control"].startswith("public") and not first.headers.getlist("Set-Cookie")
    html = client.get("/en/recommendations/?page=2").get_data(as_text=True)
    assert html.count('<li class="card">') == 6 and "Gammal rekommendation" in html
    assert 'href="/en/recommendations/?page=1" rel="prev">Previous page</a>' in html and 'rel="next"' not in html
    assert "Page 2 of 2" in html
    # A filter is kept from page to page; a name url_for reads itself is not.
    html = client.get("/en/recommendations/?status=in_progress&_external=1&_scheme=javascript").get_data(as_text=True)
    assert "12 recommendations" in html and "javascript:" not in html
    assert client.get("/en/recommendations/?page=3").status_code == 404
    assert client.get("/en/recommendations/?page=nonsense").status_code == 200


def test_the_staff_list_pages_fifty_at_a_time_keeping_the_status_filter(client, app, login):
    with app.app_context():
        ours, theirs = Department(name={"sv": "Social"}), Department(name={"sv": "Kultur"})
        db.session.add_all([ours, theirs])
        db.session.commit()
        topic = factories.topic(title="Många")
        for n in range(53):
            _rec(Status.IN_PROGRESS, {"sv": f"Rek {n:02d}"}, ours if n < 50 else theirs, topic=topic)
    login("admin")
    html = client.get("/en/admin/recommendations/").get_data(as_text=True)
    assert html.count("<tr><td><a ") == 50 and 'href="/en/admin/recommendations/?page=2" rel="next"' in html
    html = client.get("/en/admin/recommendations/?page=2").get_data(as_text=True)
    assert html.count("<tr><td><a ") == 3 and 'rel="prev"' in html
    html = client.get("/en/admin/recommendations/?status=in_progress&page=2").get_data(as_text=True)
    assert 'href="/en/admin/recommendations/?page=1&amp;status=in_progress" rel="prev"' in html
    assert client.get("/en/admin/recommendations/?page=3").status_code == 404
