"""One decorator guards every staff page: checked over the whole URL map, not page by page."""

from forum_app.accounts.access import staff_required


def _staff_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "/admin" in rule.rule]


def test_every_staff_page_uses_the_access_decorator(app):
    rules = _staff_rules(app)
    assert rules, "no staff pages found"
    unguarded = [r.rule for r in rules if not hasattr(app.view_functions[r.endpoint], "staff_roles")]
    assert unguarded == []


def test_every_staff_page_sends_anonymous_readers_to_login(app, client):
    for rule in _staff_rules(app):
        if "GET" not in rule.methods:
            continue
        url = _example_url(rule)
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login?next=" in response.headers["Location"], url


def test_wrong_role_gets_a_translated_403(app, client, login):
    @staff_required()
    def admins_only():
        return "secret"

    app.add_url_rule("/<lang:lang>/admin/test-admins-only", "admins_only", admins_only)
    login("official")
    response = client.get("/uk/admin/test-admins-only")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)
    assert 'lang="uk"' in response.get_data(as_text=True)


def _example_url(rule) -> str:
    values = {arg: "sv" if arg == "lang" else "1" for arg in rule.arguments}
    url = rule.rule
    for arg, value in values.items():
        url = url.replace(f"<lang:{arg}>", value).replace(f"<int:{arg}>", value).replace(f"<{arg}>", value)
    return url
