import re

from sqlalchemy import select

from forum_app.accounts.models import Role, User
from forum_app.extensions import db
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
