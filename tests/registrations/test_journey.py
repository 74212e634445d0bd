"""The resident's journey and the door (issue 28), without a browser: every rule in the first round with a
summary that links each error to its field, what only some people need folded, the forum's languages first,
cancelling that asks first, the door code, and a door that finds names in any script."""

import re

from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.tokens import new_token
from forum_app.registrations import door, services
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import private_link, submit


def _forum(app, **fields) -> int:
    with app.app_context():
        return factories.forum(**fields).id


def test_every_rule_is_checked_in_the_first_round_and_the_summary_links_each_field(client, app):
    forum_id = _forum(app, childcare_offered=True)
    response = submit(client, f"/en/forums/{forum_id}/register", {"name": "", "children_ages": "three"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    # The contact rule, which no single field can check, is there in the first round with the others.
    assert re.findall(r'href="#([\w-]+)"', summary) == ["name", "email", "children_ages", "consent"]
    for field in ("name", "email", "children_ages", "consent"):
        assert f'id="{field}-error"' in html and f'id="{field}"' in html
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "autofocus" in summary
    assert re.search(r"<title>Error: ", html)
    assert 'value="three"' in html  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_a_diet_error_opens_its_fold_and_links_to_the_first_box(client, app):
    forum_id = _forum(app)
    response = submit(client, f"/en/forums/{forum_id}/register",
                      {"name": "Amal", "phone": "0701234567", "consent": "y", "diets": ["not-a-diet"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'href="#diets-0"' in html
    assert re.search(r'<details class="fold" open>\s*<summary>Do you have allergies', html)


def test_what_only_some_people_need_is_folded_and_the_forums_languages_come_first(client, app):
    forum_id = _forum(app, childcare_offered=False, interpretation_languages=["ti", "ar"])
    html = client.get(f"/en/forums/{forum_id}/register").get_data(as_text=True)
    assert 'id="children_ages"' not in html  # no childcare at this forum: not asked
    assert html.count('<details class="fold">') == 5  # Latin name, two other languages, access, food
    first_group = re.split(r'<select[^>]* id="interpretation"', html)[1].split("</optgroup>")[0]
    assert re.findall(r'value="(\w*)"', first_group) == ["", "ar", "ti"]  # as named in the reader's language
    spoken = re.split(r'<select[^>]* id="spoken_language"', html)[1].split("</optgroup>")[0]
    assert re.findall(r'value="(\w*)"', spoken) == ["", "ar", "sv", "ti"]
    assert "(optional)" not in html.split("How can we reach you?")[1].split("</fieldset>")[0]


def test_a_language_typed_in_its_box_is_the_one_saved(client, app):
    forum_id = _forum(app)
    response = submit(client, f"/en/forums/{forum_id}/register", {
        "name": "Reza", "phone": "0701234567", "consent": "y", "spoken_language": "", "spoken_other": "Hazaragi",
        "interpretation": "fa", "interpretation_other": "Pashai"})
    assert response.status_code == 200
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert (registration.spoken_language, registration.interpretation_language) == ("Hazaragi", "Pashai")


def test_the_code_is_shown_only_to_a_phone_only_registration(client, app, smtp):
    forum_id = _forum(app)
    by_phone = submit(client, f"/en/forums/{forum_id}/register",
                      {"name": "Reza", "name_latin": "", "phone": "0701234567", "consent": "y"}).get_data(as_text=True)
    by_email = submit(client, f"/en/forums/{forum_id}/register",
                      {"name": "Amal", "email": "amal@example.org", "consent": "y"}).get_data(as_text=True)
    with app.app_context():
        reza, amal = db.session.scalars(select(Registration).order_by(Registration.id)).all()
        assert door.door_code(reza) in by_phone and door.door_code(reza) != door.door_code(amal)
        assert re.fullmatch(f"[{door.CODE_ALPHABET}]{{5}}", amal.door_code)
    assert door.door_code(amal) not in by_email and "door-code" not in by_email  # as a stranger's page
    assert door.door_code(amal) in client.get(private_link(app, "amal@example.org", smtp)).get_data(as_text=True)


def test_cancelling_asks_first_and_only_the_button_cancels(client, app, smtp):
    forum_id = _forum(app)
    submit(client, f"/sv/forums/{forum_id}/register", {"name": "Amal", "email": "amal@example.org", "consent": "y"})
    page = private_link(app, "amal@example.org", smtp)
    assert f'href="{page}/cancel"' in client.get(page).get_data(as_text=True)
    asked = client.get(page + "/cancel")  # a link opened by a person or a mail scanner changes nothing
    assert asked.status_code == 200 and asked.headers["Cache-Control"] == "no-store"
    assert asked.get_data(as_text=True).split("<main")[1].split("</main>")[0].count("<button") == 1
    with app.app_context():
        assert db.session.scalar(select(Registration.status)) is RegistrationStatus.CONFIRMED
    assert client.post(page + "/cancel").status_code == 400  # without the form's CSRF token: refused
    done = submit(client, page + "/cancel", {})
    assert done.status_code == 302 and done.headers["Location"].endswith(page.split("localhost")[-1])
    with app.app_context():
        assert db.session.scalar(select(Registration.status)) is RegistrationStatus.CANCELLED
    assert client.get(page + "/cancel").status_code == 302  # already cancelled: back to the private page


def _person(forum, name: str, **fields) -> Registration:  # noqa: ANN001
    _token, token_hash = new_token()
    registration = Registration(forum_id=forum.id, name=name, token_hash=token_hash, consent_at=utcnow(),
                                **{"status": RegistrationStatus.CONFIRMED, **fields})
    db.session.add(registration)
    db.session.commit()
    return registration


def test_the_door_finds_names_in_any_script_by_code_and_by_phone_digits(app_ctx):
    forum = factories.forum()
    people = [_person(forum, "ሓጎስ ተኽለ", phone="+46707654321", door_code="K7M4Q"),
              _person(forum, "محمد علي", name_latin=""), _person(forum, "Фатима Юсуф"),
              _person(forum, "Anna Berg", phone="+46701112233")]
    hagos, mohammed, fatima, anna = people

    def found(text: str) -> list[str]:
        return [match.registration.name for match in door.find(people, text)]

    assert found("Hagos") == [hagos.name]
    assert found("hagos tekle")[0] == hagos.name  # Tigrinya "ተኽለ" reads "tehle": alike, still first
    assert found("Mohammed Ali") == [mohammed.name]  # Arabic has no short vowels
    assert found("Fatima") == [fatima.name]
    assert found("k7m-4q") == [hagos.name] and found("4321") == [hagos.name] and found("2233") == [anna.name]
    assert found("Zeynep") == []
    assert door.first_letter(hagos) == "H" and door.first_letter(mohammed) == "M"


def test_let_in_from_the_waiting_list_only_while_there_is_room(app_ctx):
    forum = factories.forum(capacity=1)
    inside = _person(forum, "Anna", attended_at=utcnow())
    waiting = _person(forum, "Omar", status=RegistrationStatus.WAITING)
    try:
        services.let_in(waiting.id)
    except services.RegistrationError:
        pass
    else:
        raise AssertionError("let in with the room full")
    services.check_in(inside.id, present=False)
    services.let_in(waiting.id)
    db.session.expire_all()
    assert waiting.status is RegistrationStatus.CONFIRMED and waiting.attended_at is not None


def test_the_door_page_shows_no_phone_number_and_searches_by_digits(client, app, login):
    with app.app_context():
        forum = factories.forum()
        _person(forum, "ሓጎስ ተኽለ", phone="+46707654321", door_code="K7M4Q")
        forum_id = forum.id
    login("coreteam")
    html = client.get(f"/sv/admin/forums/{forum_id}/checkin?q=4321").get_data(as_text=True)
    assert "ሓጎስ ተኽለ" in html and "0707" not in html and "46707" not in html
    assert "ሓጎስ ተኽለ" in client.get(f"/sv/admin/forums/{forum_id}/checkin?letter=H").get_data(as_text=True)
    assert "ሓጎስ ተኽለ" not in client.get(f"/sv/admin/forums/{forum_id}/checkin?letter=A").get_data(as_text=True)


def test_the_feedback_form_chooses_nothing_and_takes_a_question_left_unanswered(client, app):
    from forum_app.impact.models import FeedbackAnswer
    from forum_app.planning.models import ForumStatus

    forum_id = _forum(app, days=-1, status=ForumStatus.HELD, interpretation_languages=["ar"], childcare_offered=True)
    page = f"/ar/forums/{forum_id}/feedback"
    html = client.get(page).get_data(as_text=True)
    assert html.count('type="radio"') >= 20 and " checked" not in html
    with app.app_context():
        from forum_app.impact import services as impact

        [code] = impact.make_slips(db.session.get(factories.Forum, forum_id), 1)  # a slip from the forum
        db.session.commit()
    assert submit(client, page, {"got_to_speak": "4", "code": code}).status_code in (200, 302)
    with app.app_context():
        answer = db.session.scalar(select(FeedbackAnswer))
        assert (answer.got_to_speak, answer.interpretation, answer.childcare) == (4, None, None)


def test_a_walk_in_alike_a_registered_name_is_shown_them_first_so_nobody_counts_twice(client, app, login):
    with app.app_context():
        forum = factories.forum()
        _person(forum, "ሓጎስ ተኽለ", phone="+46707654321")
        forum_id = forum.id
    login("coreteam")
    page = f"/sv/admin/forums/{forum_id}/checkin"
    shown = submit(client, page, {"walkin-name": "Hagos Tekle", "walkin-interpretation": ""})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "ሓጎስ ተኽለ" in html and 'name="walkin-seen_matches" type="hidden" value="1"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 1  # nobody added yet
    added = submit(client, page, {"walkin-name": "Hagos Tekle", "walkin-interpretation": "", "walkin-seen_matches": "1"})
    assert added.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration).where(Registration.walk_in)) == 1
