"""Absolute links in emails, calendar files and posters: the same from a job as from a page."""

import pytest

from forum_app.web.links import external_url

LINKS = [
    ("planning.topics", {"lang": "ar", "year": 2027, "_anchor": "topic-3 ö"}),
    ("newsletter.unsubscribe", {"lang": "fa", "token": "a.b-c_d"}),
    ("newsletter.issue", {"lang": "so", "issue_id": 12}),
    ("static", {"filename": "css/site.css"}),
]


@pytest.mark.parametrize(("base", "page_root"), [
    ("https://forum.example.se", "http://localhost"),
    # A site in a folder, whether or not the proxy tells the application that folder (SCRIPT_NAME).
    ("https://example.se/migrantforum/", "https://example.se/migrantforum"),
    ("https://example.se/migrantforum", "http://localhost"),
])
def test_a_job_builds_the_link_a_page_would(app, base, page_root):
    app.config["BASE_URL"] = base
    with app.app_context():
        from_a_job = [external_url(endpoint, **dict(values)) for endpoint, values in LINKS]
        with app.test_request_context(base_url=page_root):
            from_a_page = [external_url(endpoint, **dict(values)) for endpoint, values in LINKS]
    assert from_a_job == from_a_page
    root = base.rstrip("/")
    assert from_a_job[0] == f"{root}/ar/topics/?year=2027#topic-3%20%C3%B6"
    assert from_a_job[1] == f"{root}/fa/newsletter/unsubscribe/a.b-c_d"
    assert from_a_job[2] == f"{root}/so/newsletter/12"
    assert from_a_job[3].startswith(f"{root}/static/css/site.")
