import re

from sqlalchemy import select

from forum_app.accounts.models import Role, User
from forum_app.core.extensions import db
from forum_app.recommendations.models import Department

from ..conftest import submit


def test_staff_invite_an_official_of_a_department_who_chooses_a_password(client, login, app, smtp):
    with app.app_context():
        department = Department(name={"sv": "Socialförvaltningen"})
        db.session.add(department)
        db.session.commit()
        department_id = department.id
    login("admin")
    response = submit(client, "/sv/admin/users/", {"email": "karin@example.org", "name": "Karin", "role": "official",
                                                   "department_id": str(department_id), "language": "uk"})
    assert response.status_code == 302
    [message] = smtp.to("karin@example.org")
    assert message["Content-Language"] == "uk"
    link = re.search(r"http://localhost(/uk/set-password/\S+)", message.get_body(("plain",)).get_content()).group(1)
    client.post("/sv/logout", data={"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                                            client.get("/sv/admin/").get_data(as_text=True)).group(1)})
    assert submit(client, link, {"password": "ett nytt lösenord", "confirm": "ett nytt lösenord"}).status_code == 302
    assert client.get("/uk/admin/").status_code == 200
    assert client.get(link).status_code == 404  # used once
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "karin@example.org"))
        assert user.role is Role.OFFICIAL and user.department_id == department_id


def test_duplicate_user_is_refused_and_keeps_the_input(client, login):
    login("admin")
    response = submit(client, "/en/admin/users/", {"email": "admin@example.org", "name": "Ny", "role": "admin",
                                                   "department_id": "0", "language": "sv"})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True) and 'value="Ny"' in response.get_data(as_text=True)


def test_forgotten_password_gets_a_link_without_revealing_who_has_an_account(client, make_user, smtp):
    make_user("amina@example.org", "admin")
    known = submit(client, "/so/forgot-password", {"email": "amina@example.org"})
    unknown = submit(client, "/so/forgot-password", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "amina@example.org"


def test_a_deactivated_user_is_logged_out_at_the_next_page(client, login, app):
    user = login("coreteam")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = client.get("/sv/admin/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _reset_links(smtp, address: str) -> list[str]:
    import re

    return [re.search(r"http://localhost(/\w\w/set-password/\S+)", m.get_body(("plain",)).get_content()).group(1)
            for m in smtp.to(address)]


def test_password_resets_are_limited_per_address_and_per_client(client, app, make_user, smtp):
    """Issue 32, M3: 40 anonymous requests sent 40 emails and left 52 links alive at once."""
    make_user("amina@example.org", "admin")
    answers = [submit(client, "/en/forgot-password", {"email": "amina@example.org"}).status_code for _ in range(5)]
    assert answers == [302, 302, 302, 429, 429]  # three an hour for one address
    assert len(smtp.to("amina@example.org")) == 3
    others = [submit(client, "/en/forgot-password", {"email": f"n{n}@example.org"}).status_code for n in range(10)]
    assert others.count(429) == 3  # ten an hour from one client, whatever the addresses
    refused = submit(client, "/en/forgot-password", {"email": "x@example.org"})
    assert "Please wait an hour" in refused.get_data(as_text=True)


def test_at_most_one_reset_link_lives_and_a_login_or_a_new_password_ends_it(client, app, make_user, smtp):
    make_user("amina@example.org", "admin", "correct horse battery")
    for _ in range(2):
        submit(client, "/en/forgot-password", {"email": "amina@example.org"})
    older, newer = _reset_links(smtp, "amina@example.org")
    assert client.get(older).status_code == 404  # replaced by the newer link
    assert client.get(newer).status_code == 200
    assert submit(client, "/sv/login", {"email": "amina@example.org", "password": "correct horse battery"}) \
        .status_code == 302
    assert client.get(newer).status_code == 404  # a login ends it
    client.post("/sv/logout", data={})
    other = app.test_client()
    submit(other, "/en/forgot-password", {"email": "amina@example.org"})
    latest = _reset_links(smtp, "amina@example.org")[-1]
    assert submit(other, latest, {"password": "a new long password", "confirm": "a new long password"},
                  page=latest).status_code == 302
    assert client.get(latest).status_code == 404  # used once


def test_a_reset_for_an_unknown_address_does_the_same_work_as_for_an_account(app, client, make_user, monkeypatch):
    """Issue 32, L8: forgot-password was about 13 ms slower for a real staff address (only it built an email).
    Timing is measured in benchmarks, never asserted; here, that neither path writes an email in the request
    (the sender does, later) and both make and seal one link."""
    from forum_app.core import tokens
    from forum_app.mail import compose

    app.config["MAIL_AFTER_COMMIT"] = "off"
    built, sealed = [], []
    original_build, original_seal = compose.build_message, tokens.seal
    monkeypatch.setattr(compose, "build_message", lambda **kw: built.append(kw["to"]) or original_build(**kw))
    monkeypatch.setattr(tokens, "seal", lambda value: sealed.append(1) or original_seal(value))
    make_user("amina@example.org", "admin")
    submit(client, "/en/forgot-password", {"email": "amina@example.org"})
    submit(client, "/en/forgot-password", {"email": "nobody@example.org"})
    assert built == [] and sealed == [1, 1]
