"""HTTP caching: public pages set no cookie and are cacheable; anything personal is private, no-store."""

import re

import pytest
from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.newsletter.models import Issue, IssueStatus, Subscriber
from forum_app.web.http_cache import is_public_endpoint

from ..conftest import submit

# Pages that must stay cacheable; dropping the mark from one of them is a regression.
MUST_BE_PUBLIC = {
    "site.home", "planning.forums", "planning.forum", "planning.topics", "planning.forum_ics", "planning.poster",
    "recommendations.index", "recommendations.detail", "newsletter.index", "newsletter.issue",
    "newsletter.feed", "api.forums", "api.topics", "api.recommendations", "api.openapi",
    "crawlers.robots", "crawlers.sitemap", "planning.forums_ics", "impact.year_xlsx", "recommendations.export_xlsx",
}


def _demo_values(app) -> dict[str, list[str]]:
    """Values to try for each URL argument: every forum, public recommendation, sent issue and year of
    the demo data (a page may need a forum in a given state, e.g. held for its feedback sheet)."""
    from forum_app.core.timeutil import city_today
    from forum_app.planning.models import Forum
    from forum_app.recommendations.display import PUBLIC_STATUSES
    from forum_app.recommendations.models import Recommendation

    with app.app_context():
        forums = db.session.scalars(select(Forum.id).order_by(Forum.id)).all()
        recs = db.session.scalars(select(Recommendation.id).where(Recommendation.status.in_(PUBLIC_STATUSES))).all()
        issues = db.session.scalars(select(Issue.id).where(Issue.status == IssueStatus.SENT)).all()
        year = city_today().year
    assert forums and recs and issues, "the demo data should have forums, public recommendations and an issue"
    return {"lang": ["ar"], "forum_id": [str(i) for i in forums], "recommendation_id": [str(i) for i in recs],
            "issue_id": [str(i) for i in issues], "year": [str(year), str(year - 1)]}


def _get_routes(app) -> list[tuple[str, list[str]]]:
    """(endpoint, candidate urls) for every GET route, arguments filled from the demo data."""
    values = _demo_values(app)
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "crawlers.favicon"):  # files: a longer cache
            continue
        urls = [rule.rule]
        for arg in rule.arguments:
            options = values.get(arg, ["not-a-real-token" if arg == "token" else "1"])
            urls = [re.sub(rf"<(?:[a-z]+:)?{arg}>", value, url) for url in urls for value in options]
        routes.append((rule.endpoint, urls))
    return sorted(routes)


def test_every_anonymous_public_page_is_cacheable_and_sets_no_cookie(demo):
    anonymous = demo.test_client(use_cookies=False)
    public = [(endpoint, urls) for endpoint, urls in _get_routes(demo) if is_public_endpoint_in(demo, endpoint)]
    assert MUST_BE_PUBLIC <= {endpoint for endpoint, _urls in public}
    problems = []
    for endpoint, urls in public:
        url, response = next(((u, r) for u in urls if (r := anonymous.get(u)).status_code == 200),
                             (urls[0], None))
        response = response or anonymous.get(url)
        etag = response.headers.get("ETag")
        found = (response.status_code, response.headers.getlist("Set-Cookie"), response.headers.get("Cache-Control"),
                 bool(etag))
        if found != (200, [], "public, max-age=60", True):
            problems.append((url, found))
            continue
        again = anonymous.get(url, headers={"If-None-Match": etag})
        if again.status_code != 304 or again.data or again.headers.getlist("Set-Cookie"):
            problems.append((url, "conditional request", again.status_code))
    assert problems == []


def test_every_other_page_is_private_and_never_stored(demo):
    anonymous = demo.test_client(use_cookies=False)
    problems = []
    for endpoint, urls in _get_routes(demo):
        if is_public_endpoint_in(demo, endpoint):
            continue
        url = urls[0]
        response = anonymous.get(url)
        if response.headers.get("Cache-Control") != "private, no-store" or response.headers.get("ETag"):
            problems.append((url, response.status_code, response.headers.get("Cache-Control")))
    assert problems == []
    assert not is_public_endpoint_in(demo, "registrations.register")  # holds a CSRF token: needs a session
    assert not is_public_endpoint_in(demo, "registrations.manage")  # a personal link


def test_staff_see_public_pages_privately(demo, client):
    assert 'action="/sv/logout"' not in client.get("/sv/forums/").get_data(as_text=True)  # anonymous first
    assert submit(client, "/sv/login", {"email": "admin@example.org", "password": "demo-password-2027"}).status_code == 302
    # The header and footer remembered for anonymous visitors are never shown to a logged-in person.
    assert 'action="/sv/logout"' in client.get("/sv/forums/").get_data(as_text=True)
    for url in ("/sv/admin/", "/sv/", "/sv/forums/", "/api/v1/forums"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store", url
        assert "ETag" not in response.headers


def test_the_page_after_a_post_is_private(demo, client):
    response = client.post("/sv/newsletter/", data={"email": "ny@example.org", "language": "sv"})
    assert response.status_code == 302
    after = client.get(response.headers["Location"])
    assert after.headers["Cache-Control"] == "private, no-store"  # it shows this person's flash message
    assert client.get("/sv/newsletter/").headers["Cache-Control"] == "public, max-age=60"  # read, so public again


def test_the_registration_form_keeps_its_token_in_a_session(demo):
    anonymous = demo.test_client(use_cookies=False)
    from forum_app.planning.models import Forum, ForumStatus

    with demo.app_context():
        forum_id = db.session.scalar(select(func.min(Forum.id)).where(Forum.status == ForumStatus.PUBLISHED))
    response = anonymous.get(f"/so/forums/{forum_id}/register")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert any(c.startswith("session=") for c in response.headers.getlist("Set-Cookie"))


def test_the_footer_form_subscribes_without_a_session(app):
    anonymous = app.test_client(use_cookies=False)
    html = anonymous.get("/fa/topics/").get_data(as_text=True)
    footer = html.split('class="site-footer"')[1]
    assert 'action="/fa/newsletter/"' in footer and "csrf_token" not in footer
    response = anonymous.post("/fa/newsletter/", data={"email": "Leila@example.org ", "language": "fa"},
                              headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Subscriber.email)) == "leila@example.org"


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "null"}])
def test_a_subscription_posted_from_another_site_is_refused(app, headers):
    anonymous = app.test_client(use_cookies=False)
    response = anonymous.post("/en/newsletter/", data={"email": "victim@example.org", "language": "en"},
                              headers=headers)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "can only be sent from this website" in html and 'value="victim@example.org"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 0


def test_static_files_have_hashed_names_and_are_kept_for_a_year_compressed(client):
    html = client.get("/sv/").get_data(as_text=True)
    [stylesheet] = re.findall(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    response = client.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"] and "max-age=315360000" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    plain = client.get("/static/css/site.css")  # the unhashed name still answers, briefly cached
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]


def is_public_endpoint_in(app, endpoint: str) -> bool:
    with app.test_request_context():
        return is_public_endpoint(endpoint)


def test_a_changed_static_file_gets_a_new_name(tmp_path):
    from pathlib import Path

    from forum_app.web.static_files import build, manifest_for

    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: black }" * 50)
    first = manifest_for(source)
    built = build(source, tmp_path / "build", first)
    assert (built / first["css/site.css"]).read_text() == (source / "css" / "site.css").read_text()
    assert (built / (first["css/site.css"] + ".gz")).exists()
    (source / "css" / "site.css").write_text("body { color: navy }" * 50)
    second = manifest_for(source)
    assert second["css/site.css"] != first["css/site.css"]
    assert build(source, tmp_path / "build", second) != built and Path(built).is_dir()  # old pages keep theirs
