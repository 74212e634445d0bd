"""One decorator guards every staff page: checked over the whole URL map, not page by page, against
the one table of abilities (accounts/permissions.py)."""

import pytest

from forum_app.accounts.access import staff_required
from forum_app.accounts.models import Role
from forum_app.accounts.permissions import ABILITIES


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
    @staff_required("manage_users")
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


def test_every_staff_page_names_an_ability_of_the_table(app):
    abilities = {app.view_functions[r.endpoint].ability for r in _staff_rules(app)}
    assert abilities <= set(ABILITIES)
    assert set(ABILITIES) - abilities <= {"see_contact_details", "cancel_registrations", "see_own_measures",
                                          "work_in_core_team", "see_audit_log", "handle_privacy_requests"}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_is_answered_as_the_table_says(app, client, login, role):
    """Every staff GET page, for each role: a 403 exactly where the table leaves the role out."""
    login(role)
    wrong = []
    for rule in _staff_rules(app):
        if "GET" not in rule.methods:
            continue
        allowed = role in ABILITIES[app.view_functions[rule.endpoint].ability]
        status = client.get(_example_url(rule)).status_code
        if (status == 403) == allowed or status >= 500:
            wrong.append((rule.rule, status, allowed))
    assert wrong == []
