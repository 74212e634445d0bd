"""Every page answers without a server error, for each role, on the demo data."""

import pytest

from forum_app.accounts.models import User
from forum_app.core.extensions import db

from ..conftest import submit


def _urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = rule.rule
        for arg in rule.arguments:
            value = {"lang": "ar", "token": "not-a-real-token", "code": "fa"}.get(arg, "1")
            url = url.replace(f"<lang:{arg}>", value).replace(f"<int:{arg}>", value).replace(f"<{arg}>", value)
        urls.append(url)
    return sorted(urls)


@pytest.mark.parametrize("role", [None, "admin", "coreteam", "official"])
def test_no_page_is_a_server_error(app, client, role, demo):
    if role:
        with app.app_context():
            email = db.session.scalar(db.select(User.email).where(User.role == role))
        assert submit(client, "/sv/login", {"email": email, "password": "demo-password-2027"}).status_code == 302
    failures = []
    for url in _urls(app):
        if url.endswith("/logout"):
            continue
        status = client.get(url).status_code
        if status >= 500:
            failures.append((url, status))
    assert failures == []
