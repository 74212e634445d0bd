"""Misuse resistance, third pass (issue 32): the low findings, each with the test that failed before."""

from __future__ import annotations

from sqlalchemy import select

from forum_app.extensions import db
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
