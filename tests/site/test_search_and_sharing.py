"""What search engines and link previews read: each page in all seven languages at absolute addresses, a
canonical link, a description in the page's language, Open Graph tags, robots.txt, the sitemap, the
favicon, and a forum as a schema.org Event. Checked by parsing the HTML and XML, as a crawler does."""

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree, html
from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.i18n import LANGUAGES
from forum_app.newsletter.models import Issue, IssueStatus
from forum_app.planning.models import Forum, ForumStatus
from forum_app.planning.queries import public_forum_years
from forum_app.planning.structured_data import forum_event
from forum_app.recommendations.display import PUBLIC_STATUSES
from forum_app.recommendations.models import Recommendation
from forum_app.web.seo import OG_LOCALES

from .. import factories

BASE = "http://localhost"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _ids(app) -> dict:
    with app.app_context():
        return {
            "forum": db.session.scalar(select(Forum.id).where(Forum.status == ForumStatus.PUBLISHED)),
            "recommendation": db.session.scalar(select(Recommendation.id)
                                                .where(Recommendation.status.in_(PUBLIC_STATUSES))),
            "issue": db.session.scalar(select(Issue.id).where(Issue.status == IssueStatus.SENT)),
            "year": public_forum_years()[-1],  # a year with public forums, on any day the suite runs
        }


def _public_pages(app, lang: str) -> list[str]:
    ids = _ids(app)
    return [f"/{lang}/", f"/{lang}/topics/", f"/{lang}/forums/", f"/{lang}/forums/{ids['forum']}",
            f"/{lang}/recommendations/", f"/{lang}/recommendations/{ids['recommendation']}",
            f"/{lang}/newsletter/", f"/{lang}/newsletter/{ids['issue']}", f"/{lang}/privacy",
            f"/{lang}/impact/{ids['year']}"]


def _head(client, url: str):  # noqa: ANN202 - an lxml element
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.data).find("head")


def _meta(head, prop: str) -> list[str]:
    return [m.get("content") for m in head.xpath(f'meta[@property="{prop}" or @name="{prop}"]')]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_public_page_names_itself_in_every_language_at_absolute_addresses(demo, lang):
    assert OG_LOCALES.keys() == LANGUAGES.keys()
    anonymous = demo.test_client(use_cookies=False)
    for url in _public_pages(demo, lang):
        head = _head(anonymous, url)
        own = BASE + url
        assert [link.get("href") for link in head.xpath('link[@rel="canonical"]')] == [own], url
        alternates = {link.get("hreflang"): link.get("href")
                      for link in head.xpath('link[@rel="alternate"][@hreflang]')}
        assert alternates.keys() == {*LANGUAGES, "x-default"}, url
        assert alternates[lang] == own  # the page itself is among its alternates
        assert alternates["x-default"] == alternates["sv"] == BASE + "/sv/" + url.split("/", 2)[2]
        assert all(href.startswith(BASE + "/") for href in alternates.values())
        assert _meta(head, "og:url") == [own]
        assert _meta(head, "og:locale") == [OG_LOCALES[lang]]
        assert sorted(_meta(head, "og:locale:alternate")) == sorted(v for k, v in OG_LOCALES.items() if k != lang)
        assert _meta(head, "og:type") == ["website"]
        title = head.findtext("title")
        assert _meta(head, "og:title") and title.startswith(_meta(head, "og:title")[0]), url
        [description] = _meta(head, "description")
        assert 20 < len(description) <= 300, (url, description)  # a sentence or two, not the page
        assert _meta(head, "og:description") == [description]
        [image] = _meta(head, "og:image")
        assert image.startswith(BASE + "/static/icons/")
        assert anonymous.get(image[len(BASE):]).status_code == 200
        assert anonymous.get(head.xpath('link[@rel="icon"]')[0].get("href")).status_code == 200


def test_the_description_is_in_the_page_language_and_never_a_fallback(demo):
    anonymous = demo.test_client(use_cookies=False)
    with demo.app_context():
        only_swedish = factories.forum(description={"sv": "Vi pratar om bostäder och vad kommunen kan göra."}).id
        both = factories.forum(description={"sv": "Vi pratar om arbete.", "en": "We talk about work. " * 20}).id
    by_lang = {lang: _meta(_head(anonymous, f"/{lang}/"), "description")[0] for lang in ("sv", "en", "ar", "ti")}
    assert len(set(by_lang.values())) == 4
    assert any("\u0600" <= ch <= "\u06ff" for ch in by_lang["ar"])  # Arabic script
    assert any("\u1200" <= ch <= "\u137f" for ch in by_lang["ti"])  # Ge'ez script
    # A forum's own text where it has one in the reader's language, shortened to what a result shows ...
    [own] = _meta(_head(anonymous, f"/en/forums/{both}"), "description")
    assert own.startswith("We talk about work.") and own.endswith("…") and len(own) <= 165
    # ... and never the Swedish text on the English page: then the site's own sentence in English.
    [fallback] = _meta(_head(anonymous, f"/en/forums/{only_swedish}"), "description")
    assert "bostäder" not in fallback and fallback == by_lang["en"]
    assert _meta(_head(anonymous, f"/sv/forums/{only_swedish}"), "description")[0].startswith("Vi pratar om bostäder")


def _event(client, url: str) -> dict:
    [script] = _head(client, url).xpath('script[@type="application/ld+json"]')
    return json.loads(script.text)


def test_a_forum_page_carries_its_event_with_the_city_offset_of_that_day(app, clock):
    clock("2027-01-10T12:00+01:00")
    anonymous = app.test_client(use_cookies=False)
    with app.app_context():
        winter = factories.forum(days=30, hook={"sv": "Kom och berätta!", "ar": "تعال وأخبرنا!"})
        winter, winter_start = winter.id, winter.starts_at
        summer = factories.forum(days=170).id
        cancelled = factories.forum(days=40, status=ForumStatus.CANCELLED).id
    event = _event(anonymous, f"/ar/forums/{winter}")
    assert event["@type"] == "Event" and event["@context"] == "https://schema.org"
    assert event["name"] == "تعال وأخبرنا!" and event["inLanguage"] == "ar"
    start = datetime.fromisoformat(event["startDate"])
    assert start == winter_start and start.utcoffset() == timedelta(hours=1)
    assert datetime.fromisoformat(event["endDate"]) - start == timedelta(hours=3)
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["isAccessibleForFree"] is True
    assert event["location"]["name"] == "Stadshuset"
    assert event["location"]["address"]["streetAddress"] == "Stora torget 1"
    assert event["url"] == f"{BASE}/ar/forums/{winter}"
    assert datetime.fromisoformat(_event(anonymous, f"/en/forums/{summer}")["startDate"]).utcoffset() == \
        timedelta(hours=2)
    assert _event(anonymous, f"/en/forums/{cancelled}")["eventStatus"] == "https://schema.org/EventCancelled"


def test_a_moved_forum_is_rescheduled_with_its_previous_start_on_its_page_and_in_its_event(app):
    from forum_app.planning import services as planning

    anonymous = app.test_client(use_cookies=False)
    with app.app_context():
        forum = factories.forum(days=30)
        forum_id, announced = forum.id, forum.starts_at
        assert "previousStartDate" not in forum_event(forum, "en")
        planning.save_forum(forum, partner_ids=[], venue_name="Nya salen")  # the place only: same start
        assert db.session.get(Forum, forum_id).previous_starts_at is None
        later = announced + timedelta(days=7)
        planning.save_forum(db.session.get(Forum, forum_id), partner_ids=[], starts_at=later,
                            ends_at=later + timedelta(hours=3))
    event = _event(anonymous, f"/en/forums/{forum_id}")
    assert event["eventStatus"] == "https://schema.org/EventRescheduled"
    assert datetime.fromisoformat(event["previousStartDate"]) == announced
    assert datetime.fromisoformat(event["startDate"]) == later
    page = html.fromstring(anonymous.get(f"/en/forums/{forum_id}").get_data(as_text=True))
    moved = page.xpath('//dd/strong[starts-with(., "The forum has moved.")]')
    assert len(moved) == 1 and "It was announced for" in moved[0].text_content()
    with app.app_context():  # a cancelled forum is cancelled, not rescheduled
        planning.cancel_forum(db.session.get(Forum, forum_id), confirmed=True)
    event = _event(anonymous, f"/en/forums/{forum_id}")
    assert event["eventStatus"] == "https://schema.org/EventCancelled" and "previousStartDate" not in event


def test_robots_keeps_staff_and_private_pages_out_and_names_the_sitemap(app):
    response = app.test_client(use_cookies=False).get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *" and "Allow: /" in lines
    for private in ("/*/admin/", "/*/registration/", "/*/login", "/*/newsletter/unsubscribe/"):
        assert f"Disallow: {private}" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert not any(line == "Disallow: /" or line.startswith("Disallow: /*/forums") for line in lines)


def test_the_sitemap_lists_every_public_page_in_every_language_with_its_alternates(demo):
    anonymous = demo.test_client(use_cookies=False)
    with demo.app_context():
        draft = factories.forum(status=ForumStatus.DRAFT).id
        forums = db.session.execute(select(Forum.id, Forum.updated_at).where(Forum.status != ForumStatus.DRAFT)).all()
    response = anonymous.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert response.headers["Cache-Control"] == "public, max-age=60" and not response.headers.getlist("Set-Cookie")
    urls = {}
    for entry in etree.fromstring(response.data).iter(f"{SITEMAP}url"):
        links = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")}
        urls[entry.findtext(f"{SITEMAP}loc")] = (entry.findtext(f"{SITEMAP}lastmod"), links)
    for lang in LANGUAGES:
        for page in _public_pages(demo, lang):
            assert BASE + page in urls, page
    for forum_id, updated_at in forums:
        lastmod, links = urls[f"{BASE}/ti/forums/{forum_id}"]
        assert datetime.fromisoformat(lastmod) == updated_at.replace(microsecond=0)
        assert links == {**{code: f"{BASE}/{code}/forums/{forum_id}" for code in LANGUAGES},
                         "x-default": f"{BASE}/sv/forums/{forum_id}"}
    assert not any(f"/forums/{draft}" in url for url in urls)
    assert not any("/admin/" in url or "/registration/" in url for url in urls)


def test_the_sitemap_asks_the_database_the_same_few_questions_however_much_there_is(app, count_queries):
    anonymous = app.test_client(use_cookies=False)
    with count_queries() as few:
        anonymous.get("/sitemap.xml")
    with app.app_context():
        for days in (10, 20, 400):
            factories.forum(days=days)
    with count_queries() as more:
        body = anonymous.get("/sitemap.xml").get_data(as_text=True)
    assert body.count("<loc>") > 7 * 3 and more() == few()


def test_the_favicon_is_the_vendored_file_cached_for_a_week_without_a_cookie(app):
    response = app.test_client(use_cookies=False).get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.data == (Path(app.static_folder) / "favicon.ico").read_bytes()
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.cache_control.public and response.cache_control.max_age >= 7 * 24 * 3600
    assert not response.headers.getlist("Set-Cookie")
