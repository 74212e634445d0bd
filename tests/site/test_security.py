import re

from forum_app.core.extensions import db
from forum_app.core.throttle import RateEvent

from ..conftest import csrf_token_from


def test_post_without_csrf_token_is_400_and_saves_nothing(client, app, make_user):
    make_user("amina@example.org", "admin")
    response = client.post("/ar/login", data={"email": "amina@example.org", "password": "wrong"})
    assert response.status_code == 400
    assert 'lang="ar"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(RateEvent).count() == 0  # the attempt never reached the rule


def test_forged_logout_does_not_log_out(client, login):
    login("admin")
    assert client.post("/sv/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/sv/admin/").status_code == 200


def test_security_headers(client):
    response = client.get("/sv/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                    "Permissions-Policy")


def test_static_files_carry_the_same_security_headers_as_the_pages(client, make_app):
    page = client.get("/sv/")
    expected = {name: page.headers[name] for name in SECURITY_HEADERS}
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page.get_data(as_text=True)).group(1)
    icon = re.search(r'href="(/static/favicon\.[0-9a-f]{12}\.ico)"', page.get_data(as_text=True)).group(1)
    for url, encoding in ((stylesheet, "gzip"), (stylesheet, "identity"), (icon, "identity"),
                          ("/static/css/site.css", "br")):
        response = client.get(url, headers={"Accept-Encoding": encoding})
        assert response.status_code == 200, url
        assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == expected, url
    # The development server serves the files themselves (re-read on each request): the same headers.
    debug = make_app(DEBUG=True)
    response = debug.test_client().get("/static/css/site.css")
    assert response.status_code == 200
    assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == expected


def test_session_cookie_is_httponly_lax_and_secure_over_https(client, make_user):
    make_user("amina@example.org", "admin")
    page = client.get("/sv/login", base_url="https://localhost").get_data(as_text=True)
    response = client.post("/sv/login", base_url="https://localhost", data={
        "email": "amina@example.org", "password": "correct horse battery", "csrf_token": csrf_token_from(page)})
    cookie = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookie if c.startswith("session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert "Secure" in session_cookie


def test_session_cookie_is_not_secure_over_plain_http_in_development(client):
    response = client.get("/sv/login")
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "Secure" not in session_cookie


def test_no_asset_from_another_host(client):
    html = client.get("/sv/").get_data(as_text=True)
    # A link for the reader to follow (the footer's source code link) loads nothing, nor do the page's addresses
    # for search engines and link previews (canonical, alternates, Open Graph); anything else with an absolute
    # address would.
    loaded = re.sub(r'<a\s[^>]*>|<link rel="(?:canonical|alternate)"[^>]*>|<meta property="og:[^"]*"[^>]*>', "", html)
    assert "http://" not in loaded and "https://" not in loaded
