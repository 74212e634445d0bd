"""Every public page, the registration confirmation and the manage page fit a 360 px phone, in a
left-to-right and a right-to-left language: nothing makes the page scroll sideways (issue 19)."""

from __future__ import annotations

from urllib.parse import urljoin, urlparse

import pytest
from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.planning.models import Forum, ForumStatus

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
# Not pages to read: files, feeds, and what needs a login or a private token.
# The poster is an A4 sheet to print, not a page to read on a phone.
SKIP = ("/admin", "/login", "/logout", "/forgot", "/password", ".ics", ".pdf", ".csv", ".xlsx", ".xml", ".atom", ".json",
        "/feed", "/language?", "/poster", "/registration/", "/confirm", "/unsubscribe", "/unfollow", "/static/", "/api/", "/healthz")


def _overflow(page) -> int:
    """How many pixels the page is wider than the phone's screen (0 when it fits)."""
    assert page.evaluate("() => window.innerWidth") == PHONE["width"]
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def _public_links(page, base: str, lang: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = set()
    for href in hrefs:
        url = urljoin(page.url, href).split("#")[0]
        path = urlparse(url).path
        if url.startswith(base) and path.startswith(f"/{lang}/") and not any(s in url for s in SKIP):
            found.add(url)
    return found


@pytest.fixture
def phone(browser):
    # Not is_mobile: a mobile viewport zooms out to fit a too-wide page, and innerWidth grows with it, which
    # would hide the very overflow this test looks for. A 360 px window keeps innerWidth at 360.
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["uk", "ar"])
def test_no_public_page_scrolls_sideways_on_a_360px_phone(phone, live_server, app, lang):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        open_forum = db.session.scalar(select(Forum).where(
            Forum.status == ForumStatus.PUBLISHED, Forum.starts_at > utcnow()).order_by(Forum.starts_at))
        assert open_forum is not None and open_forum.registration_is_open(utcnow())
        forum_id = open_forum.id

    # Every page a resident can reach by following links from the home page (two clicks deep).
    to_visit, seen, wide = [f"{live_server}/{lang}/"], set(), {}
    for _depth in range(3):
        next_round = []
        for url in to_visit:
            if url in seen:
                continue
            seen.add(url)
            response = phone.goto(url)
            assert response.status < 500, url
            if response.status == 200:
                overflow = _overflow(phone)
                if overflow > 0:
                    wide[url] = overflow
                next_round.extend(_public_links(phone, live_server, lang) - seen)
        to_visit = next_round
    assert len(seen) >= 12, sorted(seen)  # the crawl reached the forums, topics, tracker and newsletter
    assert f"{live_server}/{lang}/forums/{forum_id}" in seen

    # The confirmation page with its long private link (shown to a registration with a phone number alone),
    # then the manage page it leads to.
    phone.goto(f"{live_server}/{lang}/forums/{forum_id}/register")
    phone.fill("[name=name]", "Oleksandra Kovalenko-Shevchenko")
    phone.fill("[name=phone]", "070 123 45 67")
    phone.check("[name=consent]")
    with phone.expect_navigation():
        phone.click("form.form button[type=submit]")
    if _overflow(phone) > 0:
        wide["check your answers"] = _overflow(phone)
    with phone.expect_navigation():
        phone.click("button.send")
    assert phone.locator(".manage-link").is_visible()
    assert phone.locator(".copy-box").input_value().startswith("http")
    if _overflow(phone) > 0:
        wide["registered page"] = _overflow(phone)
    # The link names the configured public address; follow its path on the test server.
    phone.goto(live_server + urlparse(phone.locator(".manage-link").get_attribute("href")).path)
    assert phone.locator("h1").count() == 1 and "/registration/" in phone.url
    if _overflow(phone) > 0:
        wide["manage page"] = _overflow(phone)

    assert wide == {}, f"pages wider than a 360 px phone ({lang}), in pixels: {wide}"
