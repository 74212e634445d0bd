import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.planning.models import Forum, ForumStatus
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import csrf_token_from, private_link, submit

FORM = {"name": "Amal Haddad", "email": "amal@example.org", "spoken_language": "ar", "interpretation": "ti",
        "children_ages": "3, 6", "dietary_needs": "halal", "consent": "y"}


def _forum(app, **fields) -> int:
    with app.app_context():
        return factories.forum(**fields).id


def _manage_path(html: str) -> str:
    return re.search(r'href="http://localhost(/\w\w/registration/[^"]+)"', html).group(1)


def test_register_in_arabic_with_children_and_an_interpreter(client, app, smtp):
    forum_id = _forum(app, childcare_offered=True)
    response = submit(client, f"/ar/forums/{forum_id}/register", FORM)
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "/registration/" not in html  # the link goes to the address only
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert registration.status is RegistrationStatus.CONFIRMED
        assert registration.children_ages == [3, 6]
        assert registration.interpretation_language == "ti" and registration.language == "ar"
        token = private_link(app, "amal@example.org", smtp).rsplit("/", 1)[1]
        assert token not in registration.token_hash and len(registration.token_hash) == 64
        assert len(token) >= 22  # 128 bits or more
    [message] = smtp.to("amal@example.org")
    assert message["Content-Language"] == "ar"
    html_part = message.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html_part and "التغرينية" in html_part  # Tigrinya, named in Arabic
    assert message.get_body(("plain",)).get_content().strip()
    [calendar] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert b"BEGIN:VEVENT" in calendar.get_content().encode() if isinstance(calendar.get_content(), str) \
        else b"BEGIN:VEVENT" in calendar.get_content()
    assert private_link(app, "amal@example.org", smtp) in html_part


def test_wrong_fields_get_messages_next_to_them_and_keep_what_was_typed(client, app):
    forum_id = _forum(app)
    response = submit(client, f"/so/forums/{forum_id}/register",
                      {**FORM, "email": "not-an-email", "children_ages": "three", "consent": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Amal Haddad"' in html and 'value="not-an-email"' in html and 'value="three"' in html
    assert 'aria-describedby="email-error"' in html and 'id="consent-error"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_an_online_registration_needs_an_email_address_or_a_phone_number(client, app):
    forum_id = _forum(app)
    response = submit(client, f"/en/forums/{forum_id}/register", {**FORM, "email": "", "phone": ""})
    assert response.status_code == 400 and "email address or a phone number" in response.get_data(as_text=True)
    assert 'value="Amal Haddad"' in response.get_data(as_text=True)  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_with_only_a_phone_number_the_page_shows_the_link_to_keep(client, app):
    forum_id = _forum(app)
    response = submit(client, f"/en/forums/{forum_id}/register", {**FORM, "email": "", "phone": "070 123 45 67"})
    html = response.get_data(as_text=True)
    assert "Keep this link" in html
    assert client.get(_manage_path(html)).status_code == 200
    # The link goes by SMS as well, and the page says so (it said "we cannot send it to you").
    assert "We are also sending it to your phone by text message." in html and "cannot send it" not in html


def test_the_page_says_the_link_is_not_sent_only_when_no_sms_goes(client, app):
    app.config["EMAILS_PER_ADDRESS_PER_DAY"] = 1  # the number's one message today is the first registration's
    first, second = _forum(app), _forum(app)
    submit(client, f"/en/forums/{first}/register", {**FORM, "email": "", "phone": "070 123 45 67"})
    html = submit(client, f"/en/forums/{second}/register", {**FORM, "email": "", "phone": "070 123 45 67"}
                  ).get_data(as_text=True)
    assert "Keep this link" in html and "we cannot send it to you" in html and "by text message" not in html


def test_nobody_learns_from_the_answer_who_is_already_registered(client, app, smtp):
    """With an email address the answer is one page, whether the address was new, already registered or
    put on the waiting list; the owner of the address is emailed a way to a new link, and the link they
    have keeps working: a stranger's probe takes nothing from them."""
    forum_id = _forum(app, capacity=2)
    stranger = app.test_client()

    def answer(who, email: str, name: str):  # noqa: ANN001, ANN202
        response = submit(who, f"/sv/forums/{forum_id}/register", {**FORM, "name": name, "email": email})
        return response.status_code, response.get_data(as_text=True).replace(email.lower(), "ADDRESS")

    new = answer(client, "amal@example.org", "Amal Haddad")
    first_link = private_link(app, "amal@example.org", smtp)
    again = answer(stranger, "AMAL@example.org", "Amal Haddad")
    answer(client, "b@example.org", "Amal Haddad")
    waiting = answer(client, "c@example.org", "Amal Haddad")
    assert new[0] == again[0] == waiting[0] == 200
    # The same page apart from the form's secret token.
    strip = lambda page: re.sub(r'value="[^"]{20,}"', "", page)  # noqa: E731
    assert strip(new[1]) == strip(again[1]) == strip(waiting[1])
    assert "/registration/" not in again[1] and "Tigrinya" not in again[1]
    with app.app_context():
        assert db.session.scalar(select(Registration.status).where(Registration.email == "c@example.org")) \
            is RegistrationStatus.WAITING
    offer = smtp.to("amal@example.org")[-1].get_body(("plain",)).get_content()
    assert "/registration/new-link/" in offer and "/registration/" + first_link.rsplit("/", 1)[1] not in offer
    assert client.get(first_link).status_code == 200  # the link the owner has still works
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 3
        assert db.session.scalar(select(Registration.name).where(Registration.email == "amal@example.org")) \
            == "Amal Haddad"


def test_a_lost_link_is_replaced_only_when_its_owner_asks_from_the_email(client, app, smtp):
    forum_id = _forum(app)
    submit(client, f"/sv/forums/{forum_id}/register", FORM)
    first = private_link(app, "amal@example.org", smtp)
    resend = submit(client, f"/sv/forums/{forum_id}/resend-link", {"resend-email": "amal@example.org"},
                    page=f"/sv/forums/{forum_id}/register")
    assert resend.status_code == 302
    assert len(smtp.to("amal@example.org")) == 2
    assert client.get(first).status_code == 200  # asking changed nothing yet
    offer = re.search(r"http://localhost(/sv/registration/new-link/\S+)",
                      smtp.to("amal@example.org")[-1].get_body(("plain",)).get_content()).group(1)
    assert client.get(offer).status_code == 200 and client.get(first).status_code == 200  # a scanner changes nothing
    pressed = submit(client, offer, {}, page=offer)
    assert pressed.status_code == 302 and "/sv/registration/" in pressed.headers["Location"]
    new = pressed.headers["Location"].replace("http://localhost", "")
    assert client.get(new).status_code == 200
    assert client.get(first).status_code == 404  # replaced by its owner
    assert client.get(offer).status_code == 410  # an offer is used once
    assert submit(client, offer, {}, page=new).status_code == 410


def test_an_offer_of_a_new_link_expires(client, app, smtp, clock):
    forum_id = _forum(app)
    submit(client, f"/sv/forums/{forum_id}/register", FORM)
    submit(client, f"/sv/forums/{forum_id}/resend-link", {"resend-email": "amal@example.org"},
           page=f"/sv/forums/{forum_id}/register")
    offer = re.search(r"http://localhost(/sv/registration/new-link/\S+)",
                      smtp.to("amal@example.org")[-1].get_body(("plain",)).get_content()).group(1)
    assert client.get(offer).status_code == 200
    clock((datetime.now(timezone.utc) + timedelta(days=8)).isoformat())
    gone = client.get(offer)
    assert gone.status_code == 410 and "<h1>" in gone.get_data(as_text=True)
    assert client.get(offer[:-3] + "abc").status_code == 410  # a changed link opens nothing either


def test_one_client_registers_at_most_the_limit_per_hour(client, app):
    app.config["REGISTRATION_LIMIT"] = 3
    forum_id = _forum(app)
    answers = [submit(client, f"/sv/forums/{forum_id}/register", {**FORM, "email": f"p{n}@example.org"}).status_code
               for n in range(4)]
    assert answers == [200, 200, 200, 429]
    last = submit(client, f"/so/forums/{forum_id}/register", {**FORM, "email": "p9@example.org"})
    assert last.status_code == 429 and 'value="Amal Haddad"' in last.get_data(as_text=True)
    other = app.test_client()
    assert submit(other, f"/sv/forums/{forum_id}/register", {**FORM, "email": "q@example.org"},
                  environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 200
    app.config["REGISTRATION_LIMIT"] = 0  # off: a tablet at the venue
    assert submit(client, f"/sv/forums/{forum_id}/register", {**FORM, "email": "r@example.org"}).status_code == 200


def test_nobody_can_flood_an_inbox_through_registration_and_cancellation(client, app, smtp):
    """Register with someone's address and the newsletter box, cancel, repeat: a few emails a day at most."""
    forum_id = _forum(app)
    for _round in range(8):
        html = submit(client, f"/sv/forums/{forum_id}/register",
                      {**FORM, "email": "victim@example.org", "newsletter": "y"}).get_data(as_text=True)
        path = re.search(r'href="http://localhost(/sv/registration/[^"]+)"', html)
        if path:
            submit(client, f"{path.group(1)}/cancel", {}, page=path.group(1))
    limit = app.config["EMAILS_PER_ADDRESS_PER_DAY"]
    assert len(smtp.to("victim@example.org")) <= 2 * limit


def test_full_forum_puts_people_on_the_waiting_list_and_a_cancellation_promotes_the_first(client, app, smtp):
    forum_id = _forum(app, capacity=1)
    submit(client, f"/uk/forums/{forum_id}/register", {**FORM, "email": "one@example.org"})
    first = private_link(app, "one@example.org", smtp)
    submit(client, f"/uk/forums/{forum_id}/register", {**FORM, "email": "two@example.org"})
    submit(client, f"/uk/forums/{forum_id}/register", {**FORM, "email": "three@example.org"})
    third = private_link(app, "three@example.org", smtp).replace("/uk/", "/en/")
    assert "number 2 on the waiting list" in client.get(third).get_data(as_text=True)
    submit(client, first + "/cancel", {}, page=first)
    with app.app_context():
        statuses = dict(db.session.execute(select(Registration.email, Registration.status)).all())
    assert statuses == {"one@example.org": RegistrationStatus.CANCELLED,
                        "two@example.org": RegistrationStatus.CONFIRMED,
                        "three@example.org": RegistrationStatus.WAITING}
    promotion = smtp.to("two@example.org")[-1]
    assert promotion["Content-Language"] == "uk"
    assert "Добра новина" in promotion.get_body(("plain",)).get_content()
    cancelled = client.get(first.replace("/uk/", "/en/"))  # read-only: download or delete, until anonymised
    assert cancelled.status_code == 200 and "This registration is cancelled" in cancelled.get_data(as_text=True)
    assert 'name="interpretation"' not in cancelled.get_data(as_text=True)
    assert submit(client, first, {"interpretation": "ar"}, page=first).status_code == 400  # nothing to change
    with app.app_context():
        assert db.session.scalar(select(Registration.interpretation_language).where(
            Registration.email == "one@example.org")) == "ti"


def test_raising_capacity_promotes_from_the_waiting_list(client, login, app, smtp):
    forum_id = _forum(app, capacity=1)
    for n in range(3):
        submit(client, f"/sv/forums/{forum_id}/register", {**FORM, "email": f"p{n}@example.org"})
    login("admin")
    with app.app_context():
        from forum_app.registrations.services import fill_free_places

        forum = db.session.get(Forum, forum_id)
        forum.capacity = 2
        db.session.commit()
        promoted = fill_free_places(forum_id)
        assert [r.email for r in promoted] == ["p1@example.org"]
    assert smtp.to("p1@example.org")


def test_childcare_places_are_counted_when_the_forum_limits_them(client, app):
    forum_id = _forum(app, capacity=10, childcare_capacity=3)
    submit(client, f"/sv/forums/{forum_id}/register", {**FORM, "email": "a@example.org", "children_ages": "1, 2"})
    submit(client, f"/sv/forums/{forum_id}/register", {**FORM, "email": "b@example.org", "children_ages": "4, 5"})
    submit(client, f"/sv/forums/{forum_id}/register", {**FORM, "email": "c@example.org", "children_ages": ""})
    with app.app_context():
        statuses = dict(db.session.execute(select(Registration.email, Registration.status)).all())
    assert statuses["b@example.org"] is RegistrationStatus.WAITING  # two more children would be five
    assert statuses["c@example.org"] is RegistrationStatus.CONFIRMED


def test_registration_closes_at_the_closing_time(client, app):
    from datetime import timedelta

    from forum_app.core.models_base import utcnow

    forum_id = _forum(app, registration_closes_at=utcnow() - timedelta(minutes=1))
    response = submit(client, f"/en/forums/{forum_id}/register", FORM, page="/en/login")
    assert response.status_code == 409
    assert "closed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_participant_changes_needs_and_deletes_everything(client, app):
    forum_id = _forum(app)
    submit(client, f"/fa/forums/{forum_id}/register", FORM)
    page = private_link(app, FORM["email"])
    assert client.get(page).headers["Cache-Control"] == "no-store"
    changed = submit(client, page, {"interpretation": "", "interpretation_other": "Pashai",
                                    "children_ages": "۴", "access_needs": "", "dietary_needs": ""})
    assert changed.status_code == 302
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert registration.interpretation_language == "Pashai" and registration.children_ages == [4]
    submit(client, page + "/delete", {}, page=page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert client.get(page).status_code == 404


def test_a_made_up_token_is_a_plain_404(client):
    response = client.get("/sv/registration/" + "x" * 32)
    assert response.status_code == 404
    assert "registration" not in response.get_data(as_text=True).lower().split("<main")[1][:400]


def test_forged_registration_is_refused_and_saves_nothing(client, app):
    forum_id = _forum(app)
    response = client.post(f"/ar/forums/{forum_id}/register", data=FORM)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_only_name_a_way_to_reach_the_person_and_consent_are_required(client, app):
    forum_id = _forum(app)
    response = submit(client, f"/sv/forums/{forum_id}/register", {"name": "Reza", "phone": "0701234567", "consent": "y"})
    assert response.status_code == 200, response.get_data(as_text=True)
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert (registration.spoken_language, registration.interpretation_language) == ("", "")


def test_the_link_of_a_past_forum_shows_the_registration_read_only(client, app):
    forum_id = _forum(app)
    submit(client, f"/sv/forums/{forum_id}/register", FORM)
    path = private_link(app, FORM["email"])
    with app.app_context():
        from datetime import timedelta

        from forum_app.core.models_base import utcnow
        from forum_app.planning.models import Forum

        forum = db.session.get(Forum, forum_id)
        forum.starts_at, forum.ends_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=2, hours=-3)
        db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "Amal Haddad" in page and "kan inte längre ändras" in page and "/cancel" not in page
    assert submit(client, path, {**FORM, "access_needs": "changed"}).status_code == 400
    submit(client, f"{path}/cancel", {}, page=path)
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert registration.status.value == "confirmed" and registration.access_needs != "changed"
    submit(client, f"{path}/delete", {}, page=path)  # deleting one's information always works
    assert client.get(path).status_code == 404


def test_a_hand_built_change_without_every_field_is_not_a_server_error(client, app):
    forum_id = _forum(app)
    submit(client, f"/sv/forums/{forum_id}/register", FORM)
    path = private_link(app, FORM["email"])
    response = submit(client, path, {"interpretation": ""})  # no access_needs, no dietary_needs at all
    assert response.status_code in (200, 302, 400)


def test_a_registration_posted_to_a_forum_the_public_cannot_see_is_a_404_and_saves_nothing(client, app):
    """A post reads its forum only under the registration's lock: a draft or a made-up id is still a 404."""
    with app.app_context():
        public_id = factories.forum().id
        draft_id = factories.forum(status=ForumStatus.DRAFT).id
    token = csrf_token_from(client.get(f"/sv/forums/{public_id}/register").get_data(as_text=True))
    for forum_id in (draft_id, 9999):
        response = client.post(f"/sv/forums/{forum_id}/register", data={**FORM, "csrf_token": token})
        assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_who_cancelled_can_register_again_and_walk_ins_take_no_online_place(client, app, smtp):
    forum_id = _forum(app, capacity=1)
    with app.app_context():  # registered at the door by staff: in the room, not one of the online places
        db.session.add(Registration(forum_id=forum_id, name="Ali", status=RegistrationStatus.CONFIRMED,
                                    walk_in=True, language="sv"))
        db.session.commit()
    submit(client, f"/sv/forums/{forum_id}/register", FORM)
    first = private_link(app, FORM["email"], smtp)
    submit(client, first + "/cancel", {}, page=first)
    submit(client, f"/sv/forums/{forum_id}/register", FORM)
    assert private_link(app, FORM["email"], smtp) != first  # a registration of its own, with its own link
    with app.app_context():
        statuses = sorted(db.session.scalars(select(Registration.status).where(Registration.email == FORM["email"])))
    assert statuses == sorted([RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED])
