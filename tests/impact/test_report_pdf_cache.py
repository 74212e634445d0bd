"""Issue 27 item 7: the annual report's PDF is made once per change of its data and served from that copy,
whatever the query string; it is tagged for accessibility (PDF/UA-1); without Pango it answers a page that
says what is missing."""

from __future__ import annotations

import io

import pypdf
import pytest

from forum_app.impact import report, services

from .test_report import _embedded_fonts, _year_with_content


def test_the_pdf_is_made_once_per_change_of_its_data_whatever_the_query_string(app, client, monkeypatch):
    with app.app_context():
        year = _year_with_content()
    made = []
    render = report.render_pdf
    monkeypatch.setattr(report, "render_pdf", lambda html: made.append(1) or render(html))
    first = client.get(f"/en/impact/{year}/report.pdf")
    again = client.get(f"/en/impact/{year}/report.pdf?z=8f3a1c")
    assert first.status_code == again.status_code == 200 and first.data == again.data
    assert len(made) == 1
    client.get(f"/ar/impact/{year}/report.pdf")  # another language is another document
    assert len(made) == 2
    with app.app_context():
        services.save_report_text(year, {"sv": "Ett annat år.", "en": "Another year."})
    changed = client.get(f"/en/impact/{year}/report.pdf?z=2")
    assert len(made) == 3 and changed.data != first.data
    assert client.get(f"/en/impact/{year}/report.pdf").data == changed.data and len(made) == 3


@pytest.mark.one_database
def test_the_pdf_is_tagged_with_a_title_and_a_language_and_embeds_its_fonts(app, client):
    with app.app_context():
        year = _year_with_content()
    body = client.get(f"/ar/impact/{year}/report.pdf").data
    catalog = pypdf.PdfReader(io.BytesIO(body)).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])  # what pdfinfo reports as "Tagged: yes"
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "ar"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pypdf.PdfReader(io.BytesIO(body)).metadata.title
    assert any("Arabic" in name for name in _embedded_fonts(body))


def test_without_pango_the_pdf_link_says_what_is_missing_in_the_readers_language(app, client, monkeypatch):
    with app.app_context():
        year = _year_with_content()

    def missing(html):  # noqa: ANN001, ANN202
        raise report.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(report, "render_pdf", missing)
    response = client.get(f"/sv/impact/{year}/report.pdf")
    assert response.status_code == 503 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Pango" in page and f"/sv/impact/{year}/report" in page and 'lang="sv"' in page
