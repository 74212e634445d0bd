"""In Chromium, with the site's own Content-Security-Policy in force: a forum's page names itself in every
language, has its canonical address and a schema.org Event the browser parses, and the browser reports no
error (no favicon 404, no blocked script: the JSON-LD is data, not a script to run)."""

import json

import pytest

from .. import factories

pytestmark = pytest.mark.browser


def test_a_forum_page_tells_search_engines_what_it_is_without_a_browser_error(browser, live_server, app):
    with app.app_context():
        forum_id = factories.forum(days=30, hook={"sv": "Kom och berätta!", "ar": "تعال وأخبرنا!"}).id
    context = browser.new_context(locale="ar")  # the CSP in force, as a visitor has it
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.goto(f"{live_server}/ar/forums/{forum_id}")
    assert page.evaluate("fetch('/favicon.ico').then(r => r.status)") == 200  # what a browser asks for by itself
    head = page.evaluate("""() => ({
        canonical: document.querySelector('link[rel=canonical]').href,
        alternates: Object.fromEntries([...document.querySelectorAll('link[rel=alternate][hreflang]')]
                                       .map(link => [link.hreflang, link.getAttribute('href')])),
        description: document.querySelector('meta[name=description]').content,
        event: document.querySelector('script[type="application/ld+json"]').textContent,
    })""")
    context.close()
    base = app.config["BASE_URL"]
    assert head["canonical"] == f"{base}/ar/forums/{forum_id}"
    assert head["alternates"]["x-default"] == f"{base}/sv/forums/{forum_id}"
    assert sorted(head["alternates"]) == sorted(["sv", "en", "ar", "fa", "so", "ti", "uk", "x-default"])
    assert head["description"]
    event = json.loads(head["event"])
    assert event["@type"] == "Event" and event["name"] == "تعال وأخبرنا!" and event["inLanguage"] == "ar"
    assert errors == []
