"""One decorator guards every staff page: checked over the whole URL map, not page by page, against
the one table of abilities (web/permissions.py); and that table itself checked against a list written
by hand of who may open a representative set of staff pages."""

import pytest

from forum_app.accounts.models import Role
from forum_app.web.access import staff_required
from forum_app.web.permissions import ABILITIES


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
                                          "work_in_core_team", "see_audit_log", "handle_privacy_requests",
                                          "meet_the_core_team"}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_is_answered_as_the_table_says(app, client, login, role):
    """Every staff GET page, for each role: a 403 exactly where the table leaves the role out. This proves
    the wiring (each page asks the table); whether the table is right is the next test's question."""
    login(role)
    wrong, walked = [], 0
    for rule in _staff_rules(app):
        if "GET" not in rule.methods:
            continue
        walked += 1
        allowed = role in ABILITIES[app.view_functions[rule.endpoint].ability]
        status = client.get(_example_url(rule)).status_code
        if (status == 403) == allowed or status >= 500:
            wrong.append((rule.rule, status, allowed))
    assert walked > 40
    assert wrong == []


# Who may open what, written by hand rather than read from web/permissions.py, so that a wrong edit to
# that table (an official given the user accounts, say) fails here. The sensitive pages are all in it:
# accounts, the audit log, personal-data requests, the registrations with contact details as a file.
WHO_MAY_OPEN = {
    "/sv/admin/": {"admin", "coreteam", "official", "translator"},
    "/sv/admin/users/": {"admin"},
    "/sv/admin/audit/": {"admin"},
    "/sv/admin/privacy/": {"admin"},
    "/sv/admin/mail/": {"admin"},
    "/sv/admin/budget/": {"admin"},
    "/sv/admin/newsletter/": {"admin"},
    "/sv/admin/topics/": {"admin", "coreteam"},  # the core team reads the plan and agrees each topic
    "/sv/admin/topics/new": {"admin"},
    "/sv/admin/departments/": {"admin"},
    "/sv/admin/forums/": {"admin", "coreteam"},
    "/sv/admin/forums/{forum}/edit": {"admin"},
    "/sv/admin/forums/{forum}/registrations": {"admin", "coreteam"},
    "/sv/admin/forums/{forum}/registrations.csv": {"admin"},
    "/sv/admin/forums/{forum}/checkin": {"admin", "coreteam"},
    "/sv/admin/core-team/": {"admin"},
    "/sv/admin/core-team/meetings/": {"admin", "coreteam"},
    "/sv/admin/core-team/meetings/new": {"admin"},
    "/sv/admin/core-team/workspace": {"admin", "coreteam"},
    "/sv/admin/recommendations/": {"admin", "coreteam", "official"},
    "/sv/admin/recommendations/new": {"admin", "coreteam"},
    "/sv/admin/recommendations/mine": {"official"},
    # staff content in every language: the translator may open these and nothing else but the dashboard
    "/sv/admin/translations/": {"admin", "translator"},
    "/sv/admin/translations/ar": {"admin", "translator"},
    "/sv/admin/translations/ti/interpreters.xlf": {"admin", "translator"},
}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_opens_exactly_the_staff_pages_written_down_for_it(app, client, login, role):
    from .. import factories

    with app.app_context():
        forum_id = factories.forum().id
    login(role)
    answers = {url: client.get(url.format(forum=forum_id)).status_code for url in WHO_MAY_OPEN}
    assert answers == {url: 200 if role in roles else 403 for url, roles in WHO_MAY_OPEN.items()}


def test_the_hand_written_list_covers_the_sensitive_abilities(app):
    """So the list above cannot drift away from what matters: each sensitive ability has a page in it."""
    endpoints = {rule.rule.replace("<lang:lang>", "sv").replace("<int:forum_id>", "{forum}"): rule.endpoint
                 for rule in _staff_rules(app)}
    covered = {app.view_functions[endpoints[url]].ability for url in WHO_MAY_OPEN
               if url in endpoints}  # those with a language code in the path are walked, not matched here
    assert {"manage_users", "see_audit_log", "handle_privacy_requests", "export_registrations",
            "see_registrations", "manage_meetings", "see_own_measures", "translate_content"} <= covered


def test_a_translator_opens_only_the_dashboard_and_the_translations(app, client, login):
    """The role is limited to filling in languages: every other staff GET page answers 403."""
    login("translator")
    opened = sorted(rule.rule for rule in _staff_rules(app) if "GET" in rule.methods
                    and client.get(_example_url(rule)).status_code != 403)
    assert opened == ["/<lang:lang>/admin/", "/<lang:lang>/admin/translations/",
                      "/<lang:lang>/admin/translations/<code>", "/<lang:lang>/admin/translations/<code>/interpreters.xlf"]


def test_an_official_cannot_open_a_measure_of_another_department(app, client, login):
    """Wrong-role object ids: every staff URL about one recommendation, GET and POST, answers an official
    of another department 403 (or 404), never the page or a change; its own official gets the page."""
    from forum_app.accounts.models import User
    from forum_app.core.extensions import db
    from forum_app.recommendations.models import Department, Recommendation, Status

    from .. import factories
    from ..conftest import csrf_token_from

    with app.app_context():
        ours, theirs = Department(name={"sv": "Arbetsmarknad"}), Department(name={"sv": "Kultur"})
        db.session.add_all([ours, theirs])
        db.session.commit()  # before the topic: its rule begins a transaction of its own
        recommendation = Recommendation(topic_id=factories.topic().id, title={"sv": "Praktik"}, text={"sv": "Text"},
                                        status=Status.IN_PROGRESS, departments=[ours])
        db.session.add(recommendation)
        db.session.commit()
        ids = {"ours": ours.id, "theirs": theirs.id, "recommendation": recommendation.id}
    rules = [r for r in _staff_rules(app) if "recommendation_id" in r.arguments]
    assert len(rules) >= 4, [r.rule for r in rules]

    def urls():
        for rule in rules:
            url = _example_url(rule).replace("/1", f"/{ids['recommendation']}", 1)
            for method in sorted(rule.methods & {"GET", "POST"}):
                yield method, url

    def set_department(email: str, department_id: int) -> None:
        with app.app_context():
            user = User.by_email(email)
            user.department_id = department_id
            db.session.commit()

    outsider = login("official", email="outsider@example.org")
    set_department(outsider.email, ids["theirs"])
    token = csrf_token_from(client.get("/sv/admin/").get_data(as_text=True))
    answers = {(method, url): (client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token}))
               .status_code for method, url in urls()}
    assert {key: status for key, status in answers.items() if status not in (403, 404)} == {}
    with app.app_context():
        assert db.session.get(Recommendation, ids["recommendation"]).status is Status.IN_PROGRESS
        assert not db.session.get(Recommendation, ids["recommendation"]).updates

    client.post("/sv/logout", data={"csrf_token": token})
    own = login("official", email="own@example.org")
    set_department(own.email, ids["ours"])
    assert client.get(f"/sv/admin/recommendations/{ids['recommendation']}").status_code == 200
