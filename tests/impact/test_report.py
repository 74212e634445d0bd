"""The annual report (HTML and PDF with extractable Arabic and Tigrinya), the CSV, the open data,
the thank-you email, the newsletter's link, and every new page in all seven languages."""

from __future__ import annotations

import io
import re
from datetime import date

import jsonschema
import pypdf
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from openapi_spec_validator import validate

from forum_app.core.extensions import db
from forum_app.i18n import LANGUAGES
from forum_app.impact import services
from forum_app.impact.models import AnnualReport
from forum_app.recommendations.models import Recommendation, Status

from .. import factories
from .helpers import answers, held_forum, participant

ARABIC_TITLE = "أماكن تدريب في البلدية"
TIGRINYA_TITLE = "ቦታታት ልምምድ ኣብ ምምሕዳር"


def _year_with_content() -> int:
    topic = factories.topic(2027, "Arbete", titles={"ar": "إيجاد عمل", "ti": "ስራሕ ምርካብ"})
    forum = held_forum(topic, hook={"sv": "Svårt att få jobb?", "ar": "صعوبة في إيجاد عمل؟", "ti": "ስራሕ ምርካብ ከቢዱካ?"})
    participant(forum, spoken="ar", interpretation="ar")
    answers(forum, 5)
    db.session.add(Recommendation(topic_id=topic.id, status=Status.ACCEPTED,
                                  title={"sv": "Praktikplatser i kommunen", "ar": ARABIC_TITLE, "ti": TIGRINYA_TITLE}))
    db.session.add(AnnualReport(year=2027, text={"sv": "Ett bra år.", "ar": "كان عاماً جيداً.", "ti": "ጽቡቕ ዓመት ነይሩ።"}))
    db.session.commit()
    return 2027


def _pdf_text(body: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def _embedded_fonts(body: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(body))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for item in descendants:
                descriptor = item.get_object().get("/FontDescriptor")
                if descriptor and ("/FontFile2" in descriptor.get_object() or "/FontFile3" in descriptor.get_object()):
                    names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


@pytest.mark.one_database
@pytest.mark.parametrize("lang, title, font", [("ar", ARABIC_TITLE, "Arabic"), ("ti", TIGRINYA_TITLE, "Ethiopic")])
def test_the_pdf_report_has_extractable_text_in_embedded_fonts(app, client, lang, title, font):
    with app.app_context():
        year = _year_with_content()
        with force_locale(lang):
            heading = _("Annual report %(year)d", year=year)
    response = client.get(f"/{lang}/impact/{year}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert title in text
    assert heading.replace(str(year), "").strip() in text
    assert any(font in name for name in _embedded_fonts(response.data)), _embedded_fonts(response.data)


def test_the_html_report_lists_the_year(app, client):
    with app.app_context():
        year = _year_with_content()
    page = client.get(f"/sv/impact/{year}/report").get_data(as_text=True)
    assert "Praktikplatser i kommunen" in page and "Ett bra år." in page and "Svårt att få jobb?" in page
    assert "<script" not in page


def test_the_csv_has_every_figure_of_both_years(app, client):
    with app.app_context():
        year = _year_with_content()
    response = client.get(f"/en/impact/{year}.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    header, *rows = body.lstrip("\ufeff").splitlines()
    assert header.startswith("Key,Figure,2027,2026,Unit,Definition")
    keys = {row.split(",")[0] for row in rows}
    assert {"forums_held", "present", "represented", "cost_per_participant",
            "participants_by_language:ar"} <= keys


def test_the_open_data_matches_its_openapi_description(app, client):
    with app.app_context():
        year = _year_with_content()
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    body = client.get(f"/api/v1/impact/{year}").json
    schema = {**document["paths"]["/api/v1/impact/{year}"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"], "components": document["components"]}
    jsonschema.validate(body, schema)
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert figures["forums_held"] == 1 and figures["present"] == 1 and figures["represented"] == 100.0
    assert "Deltagare" not in client.get(f"/api/v1/impact/{year}").get_data(as_text=True)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_new_pages_speak_every_language(app, client, lang):
    with app.app_context():
        year = _year_with_content()
        forum_id = held_forum(factories.topic(2027, "Mottagande")).id
        with force_locale(lang):
            expected = [_("Impact and results %(year)d", year=year), _("Annual report %(year)d", year=year),
                        _("How was the forum?"), _("Thank you for coming!")]
    pages = [f"/{lang}/impact/{year}", f"/{lang}/impact/{year}/report", f"/{lang}/forums/{forum_id}/feedback",
             f"/{lang}/forums/{forum_id}/feedback/sheet"]
    for path, text in zip(pages, expected):
        page = client.get(path).get_data(as_text=True)
        assert f'lang="{lang}"' in page and f'dir="{LANGUAGES[lang].direction}"' in page
        assert text in page, (path, text)
    if lang != "en":
        assert "Impact and results" not in expected[0]


def test_participants_are_thanked_once_the_day_after_with_a_link_that_answers_once(app, smtp):
    with app.app_context():
        forum = held_forum(days=-2)
        participant(forum, email="amal@example.org", language="ar")
        participant(forum, email="absent@example.org", present=False)
        today = held_forum(days=0)
        participant(today, email="tonight@example.org")
        assert services.send_thank_you_mails() == 1
        assert services.send_thank_you_mails() == 0  # claimed: never twice
        forum_id = forum.id
    [message] = smtp.to("amal@example.org")
    assert smtp.to("absent@example.org") == [] and smtp.to("tonight@example.org") == []
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"http://localhost(/ar/forums/\d+/feedback\?key=\S+)", body).group(1)
    client = app.test_client()
    page = client.get(link).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post(link, data={"represented": "5", "csrf_token": token}).status_code == 302
    other_browser = app.test_client()
    assert 'name="represented"' not in other_browser.get(link).get_data(as_text=True)
    with app.app_context():
        from forum_app.impact.models import FeedbackAnswer  # noqa: I001 - the count after both browsers

        assert db.session.query(FeedbackAnswer).filter_by(forum_id=forum_id).count() == 1


def test_the_newsletter_for_the_years_last_period_links_to_the_annual_report(app_ctx):
    from forum_app.newsletter.services import draft_sections  # noqa: I001 - newsletter sits above impact

    last = dict((kind, body) for kind, _heading, body in draft_sections(date(2027, 10, 1), date(2027, 12, 31)))
    assert "http://localhost/ar/impact/2027/report" in last["annual_report"]["ar"]
    spring = [kind for kind, _h, _b in draft_sections(date(2027, 3, 1), date(2027, 5, 31))]
    assert "annual_report" not in spring


@pytest.mark.slow
def test_two_schedulers_at_once_thank_each_participant_once(app, smtp):
    import threading

    with app.app_context():
        forum = held_forum(days=-3)
        for n in range(12):
            participant(forum, email=f"p{n}@example.org")
        db.engine.dispose()
    sent: list[int] = []
    barrier = threading.Barrier(2)

    def scheduler() -> None:
        with app.app_context():
            barrier.wait()
            sent.append(services.send_thank_you_mails())
            db.session.remove()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(sent) == 12
    assert sorted(m["To"] for m in smtp.messages) == sorted(f"p{n}@example.org" for n in range(12))


def test_staff_write_the_years_text_in_several_languages(app, client, login):
    login("admin")
    from ..conftest import submit  # noqa: I001 - the shared form helper

    response = submit(client, "/sv/admin/impact/2027", {"text-sv": "Ett år av samtal.", "text-ar": "عام من الحوار."})
    assert response.status_code == 302
    assert "عام من الحوار." in client.get("/ar/impact/2027").get_data(as_text=True)
    assert "Ett år av samtal." in client.get("/sv/impact/2027/report").get_data(as_text=True)
    assert submit(client, "/sv/admin/impact/2027", {"text-ar": "فقط عربي"}).status_code == 400  # Swedish needed
