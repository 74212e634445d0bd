"""Every staff file download checks what its page checks (issue 32, M1): an official of another
department, who gets 403 on a recommendation's page, gets 403 on its letter and its presentation's
material too. The expectations are written here, not taken from the code under test."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from forum_app.accounts.models import Department
from forum_app.accounts.services import create_user
from forum_app.core.extensions import db
from forum_app.recommendations import services
from forum_app.recommendations.models import Attachment, ForumResult, HandOn, Presentation, Status

from .. import factories
from ..conftest import submit
from ..recommendations.test_tracker import _rec

PDF = b"%PDF-1.4\n% staff file\n"

# role of the person -> may they download the files of a recommendation of the care department?
EXPECTED = {
    "admin": 200,
    "coreteam": 200,
    "official of the care department": 200,
    "official named responsible, of no department": 200,
    "official of another department": 403,
}


@pytest.fixture
def files(app):
    """A recommendation of the care department, in progress, with a hand-on letter and a presentation's
    material; another department's official; and a forum result's file."""
    with app.app_context():
        held_forum_id = factories.forum(days=-10).id
        care, other = Department(name={"sv": "Omsorg"}), Department(name={"sv": "Kultur"})
        db.session.add_all([care, other])
        db.session.commit()
        users = {
            "admin": create_user("a@example.org", "admin", "correct horse battery"),
            "coreteam": create_user("c@example.org", "coreteam", "correct horse battery"),
            "official of the care department": create_user("care@example.org", "official", "correct horse battery"),
            "official named responsible, of no department": create_user("named@example.org", "official",
                                                                        "correct horse battery"),
            "official of another department": create_user("other@example.org", "official", "correct horse battery"),
        }
        users["official of the care department"].department_id = care.id
        users["official of another department"].department_id = other.id
        db.session.commit()
        recommendation = _rec(Status.IN_PROGRESS, department=care, within_competence=False,
                              responsible_official_id=users["official named responsible, of no department"].id)
        folder = services.upload_folder()
        folder.mkdir(parents=True, exist_ok=True)
        stored = {}
        for kind in ("letter", "material", "result"):
            (folder / f"{kind}.pdf").write_bytes(PDF)
            stored[kind] = {"filename": f"{kind}.pdf", "content_type": "application/pdf", "size": len(PDF),
                            "storage_name": f"{kind}.pdf"}
        hand_on = HandOn(recommendation_id=recommendation.id, to_whom="Regeringen", sent_on=date(2026, 3, 1),
                         **stored["letter"])
        presentation = Presentation(presented_on=date(2026, 3, 2), body="Kommunstyrelsen",
                                    recommendations=[recommendation], **stored["material"])
        result = ForumResult(forum_id=held_forum_id)
        db.session.add_all([hand_on, presentation, result])
        db.session.flush()
        attachment = Attachment(result_id=result.id, **stored["result"])
        db.session.add(attachment)
        db.session.commit()
        emails = {role: user.email for role, user in users.items()}
        return {"emails": emails, "recommendation": recommendation.id,
                "urls": {"hand_on_letter": f"/en/admin/hand-on/{hand_on.id}/letter",
                         "presentation_material": f"/en/admin/presentations/{presentation.id}/material",
                         "file": f"/en/admin/files/{attachment.id}"}}


def test_the_list_below_names_every_staff_file_route(app):
    from forum_app.recommendations import admin

    serving = {name for name, function in inspect.getmembers(admin, inspect.isfunction)
               if "serve_attachment" in inspect.getsource(function) or "_serve_if_visible(" in inspect.getsource(function)}
    serving.discard("_serve_if_visible")
    assert serving == {"hand_on_letter", "presentation_material", "file"}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_staff_file_route_checks_what_its_page_checks(app, client, files, role):
    assert submit(client, "/sv/login", {"email": files["emails"][role],
                                        "password": "correct horse battery"}).status_code == 302
    page = client.get(f"/en/admin/recommendations/{files['recommendation']}").status_code
    answers = {name: client.get(url).status_code for name, url in files["urls"].items()}
    expected = EXPECTED[role]
    assert page == expected  # the page and its files answer alike
    assert answers["hand_on_letter"] == answers["presentation_material"] == expected
    # A forum result's files are the core team's and the unit's work (ability "document_results").
    assert answers["file"] == (200 if role in ("admin", "coreteam") else 403)
