
from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.registrations.diets import Diet
from forum_app.registrations.jobs import send_due_reminders
from forum_app.registrations.models import Registration, RegistrationStatus
from forum_app.registrations.orders import order_summary

from .. import factories
from ..conftest import submit


def _people(forum_id: int, *rows) -> None:
    for name, interpreter, ages, diet, coreteam in rows:
        db.session.add(Registration(forum_id=forum_id, name=name, status=RegistrationStatus.CONFIRMED,
                                    interpretation_language=interpreter, children_ages=ages,
                                    **({"diets": diet} if isinstance(diet, list) else {"dietary_needs": diet}),
                                    wants_coreteam=coreteam, email=f"{name.lower()}@example.org"))
    db.session.commit()


def test_what_to_order_counts_interpreters_childcare_and_food(app_ctx):
    forum = factories.forum()
    _people(forum.id, ("Amal", "ti", [1, 4], ["halal"], True), ("Reza", "fa", [], ["halal", "vegan"], False),
            ("Yonas", "ti", [7], [], False), ("Olena", "", [], [], False))
    db.session.add(Registration(forum_id=forum.id, name="Gone", status=RegistrationStatus.CANCELLED,
                                interpretation_language="so"))
    db.session.commit()
    summary = order_summary(forum.id)
    assert summary.interpreters == {"ti": 2, "fa": 1}
    assert summary.childcare == {(0, 2): 1, (3, 5): 1, (6, 12): 1, (13, 17): 0}
    assert summary.dietary == {Diet.HALAL: 2, Diet.VEGAN: 1}
    assert [p.name for p in summary.volunteers] == ["Amal"]


def test_staff_see_the_counts_and_export_the_csv(client, login, app):
    login("admin")
    with app.app_context():
        forum = factories.forum()
        _people(forum.id, ("ሰላም", "ti", [2], "", False), ("=cmd|' /C calc'!A0", "ar", [], "", False))
        forum_id = forum.id
    page = client.get(f"/en/admin/forums/{forum_id}").get_data(as_text=True)
    assert "Tigrinya: 1 person" in page and "Ages 0–2: 1" in page
    response = client.get(f"/en/admin/forums/{forum_id}/registrations.csv")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff") and "ሰላም" in text
    assert "'=cmd|" in text


def test_registrations_can_be_filtered(client, login, app):
    login("coreteam")
    with app.app_context():
        forum = factories.forum()
        _people(forum.id, ("Amal", "ti", [], "", True), ("Reza", "", [], "", False))
        forum_id = forum.id
    html = client.get(f"/sv/admin/forums/{forum_id}/registrations?need=interpreter").get_data(as_text=True)
    assert "Amal" in html and "Reza" not in html


def test_check_in_at_the_door_and_walk_ins_may_exceed_capacity(client, login, app):
    login("coreteam")
    with app.app_context():
        forum = factories.forum(capacity=1)
        _people(forum.id, ("Amal", "", [], "", False))
        forum_id = forum.id
        amal = db.session.scalar(select(Registration.id))
    found = client.get(f"/ar/admin/forums/{forum_id}/checkin?q=ama").get_data(as_text=True)
    assert "Amal" in found
    submit(client, f"/ar/admin/forums/{forum_id}/checkin/{amal}", {"present": "1", "q": "ama"},
           page=f"/ar/admin/forums/{forum_id}/checkin?q=ama")
    walk_in = submit(client, f"/ar/admin/forums/{forum_id}/checkin",
                     {"walkin-name": "Yonas", "walkin-interpretation": "ti", "walkin-children_ages": "5"})
    assert walk_in.status_code == 302
    with app.app_context():
        present = db.session.scalar(select(func.count()).select_from(Registration)
                                    .where(Registration.attended_at.is_not(None)))
        assert present == 2
        assert order_summary(forum_id).interpreters == {"ti": 1}


def test_reminders_go_out_once_whatever_the_number_of_runs(app, smtp):
    with app.app_context():
        soon = factories.forum(days=1)
        later = factories.forum(factories.topic(title="Annat"), days=10)
        _people(soon.id, ("Amal", "", [], "", False), ("Reza", "", [], "", False))
        _people(later.id, ("Olena", "", [], "", False))
        db.session.add(Registration(forum_id=soon.id, name="Wait", email="wait@example.org",
                                    status=RegistrationStatus.WAITING))
        db.session.commit()
        assert send_due_reminders() == 2
        assert send_due_reminders() == 0
    assert sorted(m["To"] for m in smtp.messages) == ["amal@example.org", "reza@example.org"]


def test_a_reminder_written_while_the_mail_server_is_down_arrives_once_it_is_back(app, smtp):
    from forum_app.mail.outbox import sending

    with app.app_context():
        forum = factories.forum(days=1)
        _people(forum.id, ("Amal", "", [], "", False))
        real_port = app.config["MAIL_PORT"]
        app.config["MAIL_PORT"] = 1  # nothing listens there
        assert send_due_reminders() == 1  # written to the outbox with its claim
        assert send_due_reminders() == 0  # and never a second time
        assert smtp.messages == []
        app.config["MAIL_PORT"] = real_port
        assert sending.send_due(retry_now=True).sent == 1
    assert len(smtp.messages) == 1


def test_staff_pages_for_a_forum_use_a_fixed_number_of_queries(client, login, app, count_queries):
    login("admin")
    with app.app_context():
        forum = factories.forum()
        _people(forum.id, ("Amal", "ti", [2], "halal", True))
        forum_id = forum.id
    pages = [f"/sv/admin/forums/{forum_id}", f"/sv/admin/forums/{forum_id}/registrations", "/sv/admin/"]
    with count_queries() as few:
        for page in pages:
            assert client.get(page).status_code == 200
    with app.app_context():
        _people(forum_id, *[(f"P{n}", "ar", [n % 10], "", n % 2 == 0) for n in range(40)])
    with count_queries() as many:
        for page in pages:
            client.get(page)
    assert many() == few()


def test_registrations_are_anonymised_six_months_after_the_forum(app_ctx):

    from forum_app.registrations.jobs import anonymise_old_registrations

    old = factories.forum(days=-200)
    recent = factories.forum(factories.topic(title="Nyligen"), days=-30)
    _people(old.id, ("Amal", "ti", [3], "halal", True))
    _people(recent.id, ("Reza", "fa", [], "", False))
    db.session.get(Registration, 1).attended_at = old.starts_at
    db.session.commit()
    assert anonymise_old_registrations() == 1
    assert anonymise_old_registrations() == 0
    kept = db.session.scalar(select(Registration).where(Registration.forum_id == old.id))
    assert (kept.name, kept.email, kept.dietary_needs, kept.token_hash) == ("", "", "", None)
    assert kept.interpretation_language == "ti" and kept.children_ages == [3] and kept.attended_at
    assert db.session.scalar(select(Registration.name).where(Registration.forum_id == recent.id)) == "Reza"


def test_core_team_volunteers_see_door_needs_but_no_contact_details_or_ages(client, login, make_user, app):
    """Volunteers are residents too: at the door they need names, interpretation, childcare and access,
    never addresses, phone numbers, children's ages or diets, nor a search that probes an address."""
    with app.app_context():
        forum = factories.forum()
        db.session.add(Registration(forum_id=forum.id, name="Hawa Ali", status=RegistrationStatus.CONFIRMED,
                                    email="hawa@example.org", phone="0701234567", children_ages=[3, 9],
                                    interpretation_language="so", access_needs="Rullstol"))
        db.session.commit()
        forum_id = forum.id
    login("coreteam", email="omar@example.org")
    for page in (f"/sv/admin/forums/{forum_id}/registrations", f"/sv/admin/forums/{forum_id}/checkin?q=Hawa"):
        html = client.get(page).get_data(as_text=True)
        assert "Hawa Ali" in html
        assert "hawa@example.org" not in html and "0701234567" not in html and "3, 9" not in html and "3 och 9" not in html
        assert "2 barn" in html
    probe = client.get(f"/sv/admin/forums/{forum_id}/registrations?q=hawa@example.org").get_data(as_text=True)
    assert "Hawa Ali" not in probe
    assert client.get(f"/sv/admin/forums/{forum_id}/registrations.csv").status_code == 403
    make_user("boss@example.org", "admin")
    admin = app.test_client()
    submit(admin, "/sv/login", {"email": "boss@example.org", "password": "correct horse battery"})
    html = admin.get(f"/sv/admin/forums/{forum_id}/registrations?q=hawa@example.org").get_data(as_text=True)
    assert "Hawa Ali" in html and "hawa@example.org" in html and "0701234567" in html


def test_staff_cancel_a_flood_of_fakes_at_once_and_the_waiting_list_moves_up(client, login, app, smtp):
    with app.app_context():
        forum = factories.forum(capacity=2)
        fakes = [Registration(forum_id=forum.id, name=f"x{n}", status=RegistrationStatus.CONFIRMED) for n in range(2)]
        real = Registration(forum_id=forum.id, name="Hawa", email="hawa@example.org", status=RegistrationStatus.WAITING,
                            language="so")
        db.session.add_all([*fakes, real])
        db.session.commit()
        forum_id, fake_ids = forum.id, [f.id for f in fakes]
    login("coreteam", email="omar@example.org")
    assert 'name="chosen"' not in client.get(f"/sv/admin/forums/{forum_id}/registrations").get_data(as_text=True)
    assert client.post(f"/sv/admin/forums/{forum_id}/registrations/cancel", data={"chosen": fake_ids}).status_code in (400, 403)
    admin = app.test_client()
    from forum_app.accounts.services import create_user

    with app.app_context():
        create_user("boss@example.org", "admin", "correct horse battery")
    submit(admin, "/sv/login", {"email": "boss@example.org", "password": "correct horse battery"})
    page = f"/sv/admin/forums/{forum_id}/registrations"
    response = submit(admin, f"{page}/cancel", {"chosen": [str(i) for i in fake_ids]}, page=page)
    assert response.status_code == 302
    with app.app_context():
        statuses = dict(db.session.execute(select(Registration.name, Registration.status)).all())
        assert statuses == {"x0": RegistrationStatus.CANCELLED, "x1": RegistrationStatus.CANCELLED,
                            "Hawa": RegistrationStatus.CONFIRMED}
        from forum_app.core.audit import AuditEvent

        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "cancelled")) == 2
    assert len(smtp.to("hawa@example.org")) == 1  # her promotion
