"""Anonymous feedback after a forum: when it is open, one answer per link or browser, paper forms,
and nothing shown or kept that points to a person."""

from __future__ import annotations

import re

from sqlalchemy import func, inspect, select

from forum_app.core.extensions import db
from forum_app.impact import services
from forum_app.impact.models import Channel, Credential, FeedbackAnswer, FeedbackReceipt
from forum_app.planning.models import Forum

from .. import factories
from ..conftest import submit
from .helpers import answers, held_forum, participant

ANSWER = {"got_to_speak": "5", "interpretation": "4", "childcare": "0", "represented": "3", "come_again": "5",
          "comment": "Mer tid till frågor, tack."}


def _count(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FeedbackAnswer))


def test_feedback_is_only_for_held_forums(app, client):
    with app.app_context():
        upcoming = factories.forum(days=10).id
    assert client.get(f"/sv/forums/{upcoming}/feedback").status_code == 404


def _slip_codes(app, forum_id: int, count: int = 1) -> list[str]:  # noqa: ANN001
    with app.app_context():
        return services.make_slips(db.session.get(Forum, forum_id), count)


def test_an_answer_with_a_slips_code_is_saved_and_the_code_counts_once(app, client):
    with app.app_context():
        forum_id = held_forum(childcare_offered=True).id
    [code] = _slip_codes(app, forum_id)
    page = client.get(f"/ar/forums/{forum_id}/feedback?code={code[:4]}-{code[4:]}").get_data(as_text=True)
    assert 'dir="rtl"' in page and "name=\"represented\"" in page and "name=\"childcare\"" in page
    assert f'value="{code[:4]}-{code[4:]}"' in page  # the QR code's address fills in the code
    response = submit(client, f"/ar/forums/{forum_id}/feedback", {**ANSWER, "code": code.lower()})
    assert response.status_code == 302
    with app.app_context():
        answer = db.session.scalar(select(FeedbackAnswer))
        assert (answer.got_to_speak, answer.interpretation, answer.childcare, answer.represented,
                answer.come_again) == (5, 4, None, 3, 5)
        assert answer.channel is Channel.VENUE and answer.comment == "Mer tid till frågor, tack."
        assert answer.credential is Credential.CODE
    again = submit(app.test_client(), f"/en/forums/{forum_id}/feedback", {**ANSWER, "code": code})
    assert again.status_code == 400 and "it has been used already" in again.get_data(as_text=True)
    assert _count(app) == 1


def test_one_answer_per_manage_link_whichever_link_is_used(app, client):
    with app.app_context():
        forum = held_forum()
        registration, manage_token = participant(forum, email="amal@example.org")
        _other, other_token = participant(forum)
        feedback_token = services.feedback_token(registration)
        forum_id = forum.id
    url = f"/sv/forums/{forum_id}/feedback?key={manage_token}"
    assert submit(client, url, ANSWER).status_code == 302
    assert _count(app) == 1
    # A fresh browser (no cookie) with the email's feedback token of the same registration is refused.
    fresh = app.test_client()
    page = fresh.get(f"/sv/forums/{forum_id}/feedback?key={feedback_token}").get_data(as_text=True)
    assert "Thank you for your answer" in page or "Tack för ditt svar" in page
    assert 'name="represented"' not in page
    with app.app_context():
        forum = db.session.get(Forum, forum_id)
        key = services.key_from_link(forum_id, feedback_token)
        try:
            services.submit(forum, {"represented": 5}, channel=Channel.EMAIL, key=key)
            raise AssertionError("a second answer with the same link was accepted")
        except services.AlreadyAnswered:
            pass
    assert _count(app) == 1
    # Another participant's link still works.
    assert submit(app.test_client(), f"/sv/forums/{forum_id}/feedback?key={other_token}", ANSWER).status_code == 302
    assert _count(app) == 2


def test_nothing_stored_points_from_an_answer_to_a_person(app_ctx):
    answer_columns = {c.name for c in inspect(FeedbackAnswer).columns}
    assert answer_columns == {"id", "forum_id", "channel", "got_to_speak", "interpretation", "childcare",
                              "represented", "come_again", "daily_life", "cooperation", "comment", "submitted_on",
                              "credential"}
    receipt_columns = {c.name for c in inspect(FeedbackReceipt).columns}
    assert receipt_columns == {"forum_id", "key_hash"}  # no serial number or time to match answers by


def test_a_link_for_another_forum_is_not_a_key(app_ctx):
    forum = held_forum()
    other = held_forum()
    registration, token = participant(forum)
    assert services.key_from_link(forum.id, token) is not None
    assert services.key_from_link(other.id, token) is None
    assert services.key_from_link(other.id, services.feedback_token(registration)) is None
    assert services.key_from_link(forum.id, "made-up") is None


def test_feedback_closes_after_feedback_days(app, client):
    app.config["FEEDBACK_DAYS"] = 21
    with app.app_context():
        old = held_forum(days=-30).id
        recent = held_forum(days=-20).id
    assert "Feedback for this forum is closed." in client.get(f"/en/forums/{old}/feedback").get_data(as_text=True)
    client.post(f"/en/forums/{old}/feedback", data=ANSWER)
    assert _count(app) == 0
    assert 'name="come_again"' in client.get(f"/en/forums/{recent}/feedback").get_data(as_text=True)


def test_a_wrong_answer_value_is_refused_with_a_message_and_nothing_is_saved(app, client):
    with app.app_context():
        forum_id = held_forum().id
    response = submit(client, f"/en/forums/{forum_id}/feedback", {**ANSWER, "represented": "9"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose one of the answers." in page
    assert "Mer tid till frågor, tack." in page  # what was typed is kept
    assert _count(app) == 0


def test_staff_type_in_paper_forms_with_a_slips_code_even_after_feedback_closed(app, client, login):
    with app.app_context():
        forum_id = held_forum(days=-40).id
    first, second = _slip_codes(app, forum_id, 2)
    login("admin")
    without = submit(client, f"/sv/admin/forums/{forum_id}/feedback", ANSWER)
    assert without.status_code == 400 and "Mer tid till frågor, tack." in without.get_data(as_text=True)
    blank = submit(client, f"/en/admin/forums/{forum_id}/feedback", {"code": second})
    assert blank.status_code == 400 and "Nothing is answered." in blank.get_data(as_text=True)
    assert _count(app) == 0
    response = submit(client, f"/sv/admin/forums/{forum_id}/feedback", {**ANSWER, "code": first})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(FeedbackAnswer.channel)) is Channel.PAPER
        assert services.code_is_unused(forum_id, second)  # the blank form did not spend its code


def test_results_appear_only_from_five_answers_and_comments_only_to_staff(app, client, login):
    with app.app_context():
        forum = held_forum()
        answers(forum, 4, comment="Hemligt")
        forum_id = forum.id
    public = client.get(f"/en/forums/{forum_id}").get_data(as_text=True)
    assert "people have answered" not in public and "Hemligt" not in public
    login("admin")
    staff = client.get(f"/en/admin/forums/{forum_id}/feedback").get_data(as_text=True)
    assert "Results are shown from 5 answers" in staff
    assert "Hemligt" in staff  # staff read the comments
    with app.app_context():
        answers(db.session.get(Forum, forum_id), 1, represented=2)
    staff = client.get(f"/en/admin/forums/{forum_id}/feedback").get_data(as_text=True)
    assert "Results are shown from 5 answers" not in staff
    anonymous = app.test_client()
    public = anonymous.get(f"/en/forums/{forum_id}").get_data(as_text=True)
    assert "5 people have answered." in public
    assert re.search(r"represents people like you\?</th><td>80", public)  # 4 of 5 said "mostly"
    assert "Hemligt" not in public


def test_the_thank_you_sheet_has_a_qr_code_to_the_questionnaire(app, client):
    with app.app_context():
        forum_id = held_forum(poster_languages=["sv", "ti"]).id
    page = client.get(f"/sv/forums/{forum_id}/feedback/sheet").get_data(as_text=True)
    assert page.count("<svg") == 2
    assert f"http://localhost/ti/forums/{forum_id}/feedback" in page
    assert 'lang="ti"' in page
