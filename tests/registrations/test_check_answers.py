"""Check your answers before sending (issue 28): form -> check -> send. Nothing is saved before the last
POST; the answers travel in the check page's hidden fields (never in a cookie); every rule is checked in
the first round and again when sent; places that went meanwhile are said before anything is saved."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from forum_app.core.extensions import db
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import csrf_token_from, submit

FORM = {"name": "Amal Haddad", "email": "amal@example.org", "spoken_language": "ar", "interpretation": "ti",
        "children_ages": "3, 6", "access_needs": "A quiet place", "diets": ["halal", "nut_allergy"],
        "consent": "y"}


def _forum(app, **fields) -> int:  # noqa: ANN001
    with app.app_context():
        return factories.forum(**fields).id


def _count(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Registration))


def _check(client, lang: str, forum_id: int, data: dict):  # noqa: ANN001, ANN202
    """The form's "Continue": the answers posted to the check step, as the form page sends them."""
    return submit(client, f"/{lang}/forums/{forum_id}/register/check", data,
                  page=f"/{lang}/forums/{forum_id}/register")


def _fields(html: str) -> MultiDict:
    """What the check page's form posts: its hidden fields (the answers, the outlook, the CSRF token)."""
    form = html[html.index('<form method="post" action="'):]
    form = form[:form.index("</form>")]
    pairs = [(unescape(name), unescape(value))
             for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)]
    return MultiDict([*pairs, ("csrf_token", csrf_token_from(form))])


def _send(client, html: str, lang: str, forum_id: int, **changed):  # noqa: ANN001, ANN003, ANN202
    """The check page's "Send registration", with ``changed`` fields as a tampered page would post them."""
    data = _fields(html)
    for name, value in changed.items():
        if value is None:
            data.poplist(name)
        else:
            data.setlist(name, value if isinstance(value, list) else [value])
    return client.post(f"/{lang}/forums/{forum_id}/register", data=data)


def test_the_form_leads_to_the_answers_to_check_and_only_sending_saves(client, app, smtp):
    forum_id = _forum(app, childcare_offered=True)
    checked = _check(client, "en", forum_id, FORM)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "<h1>Check your answers</h1>" in html
    assert checked.headers["Cache-Control"] == "private, no-store"
    for field, question, answer in [
            ("name", "Your name", "Amal Haddad"), ("email", "Email address", "amal@example.org"),
            ("phone", "Phone number", "Not given"), ("spoken_language", "Language you will speak", "Arabic"),
            ("interpretation", "Interpreter", "Tigrinya"), ("children_ages", "Childcare", "2 children, ages 3 and 6"),
            ("access_needs", None, "A quiet place"), ("diets", "Food (allergies or diet)", "Halal and Nut allergy"),
            ("wants_coreteam", "Core team", "No"), ("newsletter", "Newsletter", "No")]:
        label = re.escape(question) if question else "[^<]+"  # the confirmation's label, whatever it reads
        assert re.search(rf'<dt id="answer-{field}">{label}</dt>\s*<dd class="summary-value"><bdi>{re.escape(answer)}</bdi></dd>',
                         html), field
    assert html.count(">Change</button>") == 10 and "Send registration</button>" in html
    assert f'formaction="/en/forums/{forum_id}/register/check#email"' in html
    assert f'formaction="/en/forums/{forum_id}/register/check#diets-0"' in html
    assert _count(app) == 0 and smtp.messages == []  # nothing saved, nothing sent
    # The answers travel in the page, not in a cookie: the check step writes no session.
    assert checked.headers.getlist("Set-Cookie") == []
    with client.session_transaction() as session:
        assert set(session.keys()) <= {"csrf_token", "_fresh", "_id"}  # the form's token and Flask-Login's marks

    sent = _send(client, html, "en", forum_id)
    assert sent.status_code == 200 and "Thank you" in sent.get_data(as_text=True)
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert (registration.name, registration.email, registration.children_ages, registration.diets,
                registration.access_needs, registration.interpretation_language, registration.spoken_language) == (
            "Amal Haddad", "amal@example.org", [3, 6], ["halal", "nut_allergy"], "A quiet place", "ti", "ar")
        assert registration.status is RegistrationStatus.CONFIRMED
    assert smtp.to("amal@example.org")


def test_every_rule_is_checked_on_the_form_step_with_the_error_summary(client, app):
    forum_id = _forum(app, childcare_offered=True)
    refused = _check(client, "sv", forum_id, {**FORM, "email": "", "children_ages": "tre", "consent": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'class="error-summary"' in html
    assert re.findall(r'<li><a href="#([\w-]+)">', html) == ["email", "children_ages", "consent"]
    assert 'value="Amal Haddad"' in html and 'value="tre"' in html
    assert f'action="/sv/forums/{forum_id}/register/check"' in html  # corrected, it goes to the check step again
    assert _count(app) == 0


def test_change_brings_the_form_back_with_every_answer_at_that_question(client, app):
    forum_id = _forum(app, childcare_offered=True)
    html = _check(client, "ar", forum_id, {**FORM, "access_needs": ""}).get_data(as_text=True)
    data = _fields(html)
    data["change"] = "access_needs"
    form = client.post(f"/ar/forums/{forum_id}/register/check", data=data)
    page = form.get_data(as_text=True)
    assert form.status_code == 200 and 'class="error-summary"' not in page
    assert 'value="Amal Haddad"' in page and 'value="3, 6"' in page and 'value="amal@example.org"' in page
    assert re.search(r'<input checked id="consent"', page) and re.search(r'checked id="diets-0"', page)
    assert re.search(r'<option selected value="ti">', page)
    # The fold holding the question opens (the answer was empty, so it would otherwise stay closed).
    assert re.search(r'<details class="fold" open>\s*<summary>[^<]*</summary>\s*<div class="fold-body">\s*'
                     r'<div class="field[^"]*">\s*<label for="access_needs"', page)
    assert _count(app) == 0
    # Changed, continued, sent: what is saved is the changed answer.
    again = _check(client, "ar", forum_id, {**FORM, "access_needs": "كرسي متحرك"}).get_data(as_text=True)
    assert "كرسي متحرك" in again
    assert _send(client, again, "ar", forum_id).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Registration.access_needs)) == "كرسي متحرك"


def test_tampered_answers_are_refused_clearly_and_nothing_is_saved(client, app):
    forum_id = _forum(app, childcare_offered=True)
    html = _check(client, "en", forum_id, FORM).get_data(as_text=True)
    for changed in ({"children_ages": "99"}, {"name": None}, {"diets": ["halal", "caviar"]},
                    {"spoken_language": "xx"}, {"consent": None}, {"email": "", "phone": ""}):
        refused = _send(client, html, "en", forum_id, **changed)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400, changed
        assert "Some answers could not be sent as they were, so nothing is saved." in page, changed
        assert 'class="error-summary"' in page and '<li><a href="#' in page, changed
        assert 'value="amal@example.org"' in page or "email" in changed, changed  # what was typed is kept
    assert _count(app) == 0


def test_a_forum_that_fills_up_between_check_and_send_says_so_and_saves_nothing(client, app):
    forum_id = _forum(app, capacity=1)
    html = _check(client, "en", forum_id, {**FORM, "children_ages": ""}).get_data(as_text=True)
    assert 'name="outlook" value="place"' in html and "Send registration</button>" in html
    other = app.test_client()
    assert submit(other, f"/en/forums/{forum_id}/register", {**FORM, "email": "first@example.org"}).status_code == 200

    refused = _send(client, html, "en", forum_id)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "The forum filled up while you were checking your answers. Nothing is saved yet" in page
    assert "<h1>Check your answers</h1>" in page and 'value="Amal Haddad"' in page  # the answers are kept
    assert 'name="outlook" value="waiting"' in page and "Join the waiting list</button>" in page
    assert "When you send your registration, you join the waiting list" in page
    assert _count(app) == 1
    # Sent again, knowing: on the waiting list.
    assert _send(client, page, "en", forum_id).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Registration.status).where(Registration.email == "amal@example.org")) \
            is RegistrationStatus.WAITING


def test_childcare_that_fills_up_between_check_and_send_is_said_before_anything_is_saved(client, app):
    forum_id = _forum(app, capacity=10, childcare_offered=True, childcare_capacity=2)
    html = _check(client, "sv", forum_id, FORM).get_data(as_text=True)
    assert 'name="outlook" value="place"' in html
    submit(app.test_client(), f"/sv/forums/{forum_id}/register", {**FORM, "email": "b@example.org", "children_ages": "4"})
    refused = _send(client, html, "sv", forum_id)
    assert refused.status_code == 409 and 'name="outlook" value="childcare_full"' in refused.get_data(as_text=True)
    assert _count(app) == 1
    chosen = _send(client, refused.get_data(as_text=True), "sv", forum_id)
    assert chosen.status_code == 200 and 'name="come" value="without"' in chosen.get_data(as_text=True)


def test_a_full_forum_and_full_childcare_are_explained_before_sending(client, app):
    full = _forum(app, capacity=1)
    submit(client, f"/en/forums/{full}/register", {**FORM, "email": "first@example.org"})
    html = _check(client, "en", full, {**FORM, "email": "second@example.org"}).get_data(as_text=True)
    assert "The forum is full. When you send your registration, you join the waiting list." in html
    assert "Join the waiting list</button>" in html and "Send registration</button>" not in html
    childcare = _forum(app, capacity=10, childcare_offered=True, childcare_capacity=1)
    html = _check(client, "en", childcare, FORM).get_data(as_text=True)
    assert "All the childcare places are taken. When you have sent your registration, you choose" in html
    assert "Send registration</button>" in html


def test_a_phone_only_registrant_checks_sends_and_gets_the_link_and_code(client, app):
    forum_id = _forum(app)
    html = _check(client, "ti", forum_id, {**FORM, "email": "", "phone": "070 765 43 21",
                                           "name": "ሓጎስ ተኽለ", "name_latin": "Hagos Tekle"}).get_data(as_text=True)
    assert "070 765 43 21" in html and "Hagos Tekle" in html and 'id="answer-name_latin"' in html
    sent = _send(client, html, "ti", forum_id)
    page = sent.get_data(as_text=True)
    assert sent.status_code == 200 and 'class="door-code"' in page and "/ti/registration/" in page
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert (registration.phone, registration.email, registration.name_latin) == ("0707654321", "", "Hagos Tekle")


def test_the_check_step_opened_without_answers_leads_to_the_form(client, app):
    forum_id = _forum(app)
    response = client.get(f"/sv/forums/{forum_id}/register/check")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/sv/forums/{forum_id}/register")


def test_a_registration_closed_while_checking_says_so_and_offers_no_button(client, app):
    from datetime import timedelta

    from forum_app.core.models_base import utcnow
    from forum_app.planning.models import Forum

    forum_id = _forum(app)
    html = _check(client, "en", forum_id, FORM).get_data(as_text=True)
    with app.app_context():
        db.session.get(Forum, forum_id).registration_closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    refused = _send(client, html, "en", forum_id)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Registration for this forum is closed." in page
    assert "Send registration</button>" not in page and 'value="Amal Haddad"' in page
    assert _count(app) == 0
