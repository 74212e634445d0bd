"""Misuse resistance, third pass (issue 32): the low findings, each with the test that failed before."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.newsletter.models import Issue

from ..conftest import submit


def test_control_characters_are_removed_from_every_language_of_a_translated_field(app, client, login):
    """L5: NUL and ESC typed into a per-language field reached an email's Subject as raw bytes."""
    login("admin")
    response = submit(client, "/en/admin/newsletter/", {
        "title-sv": "Vår\x00brev\x1b[31m", "title-ar": "\x07نشرة", "title-so": "\x00\x01",
        "period_start": "2027-01-01", "period_end": "2027-03-31"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        title = db.session.scalar(select(Issue.title))
    assert title == {"sv": "Vårbrev[31m", "ar": "نشرة"}  # a language left empty by the cleaning is empty


def test_a_cacheable_answer_without_a_language_in_its_address_varies_by_accept_language(app, client):
    """L3: /api/v1/impact/<year> was public with Vary: Cookie only, though its labels follow Accept-Language."""
    response = client.get("/api/v1/impact/2026", headers={"Accept-Language": "ar"})
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= set(response.vary)
    page = client.get("/sv/forums/")
    assert "public" in page.headers["Cache-Control"] and "Accept-Language" not in page.vary  # its address says


def test_the_openapi_document_names_the_configured_address_not_the_host_header(app, client):
    """L3: servers.url was taken from the Host header."""
    app.config["BASE_URL"] = "https://forum.example.se/migrantforum/"
    document = client.get("/api/v1/openapi.json", headers={"Host": "evil.example"}).get_json()
    assert document["servers"] == [{"url": "https://forum.example.se/migrantforum"}]


def test_deleting_my_information_after_the_forum_clears_what_an_erasure_clears(app, client):
    """L6: "Delete my information" after a forum kept person_key (the admin's erasure clears it)."""
    from forum_app.registrations import services
    from forum_app.registrations.models import Registration, RegistrationStatus

    from .. import factories

    with app.app_context():
        forum = factories.forum(days=-3)
        registration = Registration(forum_id=forum.id, name="Amal", email="amal@example.org", language="sv",
                                    person_key="k" * 64, token_hash="h" * 64, interpretation_language="ti",
                                    status=RegistrationStatus.CONFIRMED)
        db.session.add(registration)
        db.session.commit()
        services.delete_personal_data(registration.id)
        row = db.session.get(Registration, registration.id)
        assert (row.name, row.email, row.person_key, row.token_hash) == ("", "", None, None)
        assert row.interpretation_language == "ti"  # the anonymous figures stay


def test_a_cancelled_link_still_downloads_and_deletes(app, client, smtp):
    """L6: after cancelling, the private link was a 404, so the resident could no longer download or delete."""
    from forum_app.registrations.models import Registration

    from .. import factories
    from ..conftest import private_link

    with app.app_context():
        forum_id = factories.forum().id
    submit(client, f"/en/forums/{forum_id}/register", {"name": "Amal", "email": "amal@example.org", "consent": "y",
                                                       "spoken_language": "ar"})
    link = private_link(app, "amal@example.org", smtp)
    assert submit(client, f"{link}/cancel", {}, page=link).status_code == 302
    download = submit(client, f"{link}/data", {}, page=link)
    assert download.status_code == 200 and download.get_json()["data"]["registrations"][0]["status"] == "cancelled"
    assert submit(client, f"{link}/delete", {}, page=link).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Registration).where(Registration.email == "amal@example.org")) is None
    assert client.get(link).status_code == 404


@pytest.mark.parametrize("role", ["coreteam", "admin"])
def test_the_core_team_sees_counts_not_food_notes_or_children_s_ages(app, client, login, role):
    """L7: the forum's staff page showed the core team what people wrote about food, and age bands."""
    from forum_app.registrations.models import Registration, RegistrationStatus

    from .. import factories

    with app.app_context():
        forum = factories.forum(childcare_offered=True)
        db.session.add(Registration(forum_id=forum.id, name="Amal", language="sv", status=RegistrationStatus.CONFIRMED,
                                    children_ages=[4], dietary_needs="Inga nötter, svår allergi"))
        db.session.commit()
        forum_id = forum.id
    login(role)
    page = client.get(f"/en/admin/forums/{forum_id}").get_data(as_text=True)
    assert "1 child in all" in page
    if role == "coreteam":
        assert "Inga nötter" not in page and "Ages 3–5" not in page
        assert "1 person wrote a food need of their own" in page
    else:
        assert "Inga nötter" in page and "Ages 3–5" in page


def test_sub_addresses_count_as_one_inbox_for_the_email_limits(app, client, smtp):
    """L1: the 3-emails-per-address limit was bypassed with sub-addresses: victim+0..5@ got 6 confirmations."""
    from forum_app.core.addresses import mailbox

    from .. import factories

    assert mailbox(" Victim+News@Example.org") == "victim@example.org"
    assert mailbox("first.last@example.org") == "first.last@example.org"  # dots are kept
    assert mailbox("+only@example.org") == "+only@example.org"
    app.config["REGISTRATION_LIMIT"] = 0
    with app.app_context():
        forum_id = factories.forum().id
    for n in range(6):
        submit(client, f"/en/forums/{forum_id}/register", {"name": "V", "email": f"victim+{n}@example.org",
                                                           "consent": "y", "spoken_language": "sv"})
    received = [m for m in smtp.messages if m["To"].startswith("victim+")]
    assert len(received) == app.config["EMAILS_PER_ADDRESS_PER_DAY"]


def test_the_privacy_export_reads_percent_and_underscore_as_characters(app_ctx):
    """L9: the admin privacy export treated % and _ as wildcards (%@%.% matched 145 audit entries)."""
    from forum_app.accounts.services import create_user
    from forum_app.core import audit
    from forum_app.privacy import registry as personal_data

    user = create_user("someone@example.org", "admin", "correct horse battery")
    audit.record("updated", user, "mail to someone@example.org")
    db.session.commit()
    assert personal_data.collect(personal_data.Address(email="%@%.%")) == {}
    assert personal_data.collect(personal_data.Address(email="some_ne@example.org")) == {}
    assert personal_data.collect(personal_data.Address(email="someone@example.org"))


def test_the_audit_log_names_a_volunteer_by_their_row_never_by_name(app_ctx):
    """L9: a volunteer's name stayed unmasked in the audit log until erased."""
    from forum_app.core import audit
    from forum_app.coreteam import services

    person = services.add_from_paper(name="Hagos Tekle", email="", phone="0701234567", languages=["ti"],
                                     message="")
    events = db.session.scalars(select(audit.AuditEvent).where(audit.AuditEvent.object_id == person.id)).all()
    assert events and all("Hagos" not in (event.summary or "") and "Hagos" not in str(event.changes or "")
                          for event in events)


def test_a_token_waiting_in_the_outbox_is_sealed_with_the_site_s_key(app_ctx):
    """L9: the raw private-link token sat in an outbox row until its email was sent."""
    from forum_app.core.tokens import new_token, seal, unseal

    token, _hash = new_token()
    sealed = seal(token)
    assert token not in sealed and unseal(sealed) == token
    app_ctx.config["SECRET_KEY"] = "another site's key"
    assert unseal(sealed) is None  # a copy of the database alone opens nothing
    assert unseal("not sealed at all") is None
