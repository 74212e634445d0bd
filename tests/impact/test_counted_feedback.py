"""Issue 27 item 5: feedback that counts only real participants. Every counted answer carries a one-time
credential (the personal link, or a code from a printed slip); an answer without one is refused with a
message that keeps what was typed; results only from five counted answers, and no question that fewer
than five answered."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.impact import services
from forum_app.impact.models import Channel, FeedbackAnswer
from forum_app.impact.queries import forum_feedback
from forum_app.planning.models import Forum

from .. import factories
from ..conftest import csrf_token_from, submit
from .helpers import answers, held_forum

STUFFED = {"got_to_speak": "1", "interpretation": "1", "childcare": "1", "represented": "1", "come_again": "1",
           "comment": "Allt var dåligt."}


def _figures(client, year: int) -> dict:  # noqa: ANN001
    return {f["key"]: f["value"] for f in client.get(f"/api/v1/impact/{year}").json["figures"]}


def test_thirty_answers_without_a_credential_change_no_figure(app, client):
    with app.app_context():
        forum = held_forum(factories.topic(2027, "Arbete"))
        for code in services.make_slips(forum, 5):
            services.submit(forum, {"got_to_speak": 5, "represented": 5, "come_again": 5}, channel=Channel.VENUE,
                            code=code)
        forum_id = forum.id
    before, page_before = _figures(client, 2027), client.get(f"/en/forums/{forum_id}").get_data(as_text=True)
    assert before["feedback_answers"] == 5 and before["represented"] == 100.0
    # The attack from the security review: one CSRF token, the cookie dropped, thirty posts.
    token = csrf_token_from(client.get(f"/en/forums/{forum_id}/feedback").get_data(as_text=True))
    for n in range(30):
        client.delete_cookie("feedback_%d" % forum_id)
        response = client.post(f"/en/forums/{forum_id}/feedback", data={**STUFFED, "csrf_token": token,
                                                                         **({"code": "ABCD-EFGH"} if n % 2 else {})})
        assert response.status_code == 400
        page = html.unescape(response.get_data(as_text=True))
        assert ("To count, an answer needs your personal link" in page if n % 2 == 0
                else "This code does not work for this forum" in page)
        assert "Allt var dåligt." in page  # what was typed and chosen is kept
        assert re.search(r'<input[^>]*name="represented"[^>]*value="1"[^>]*checked', page)
    assert _figures(client, 2027) == before
    assert client.get(f"/en/forums/{forum_id}").get_data(as_text=True) == page_before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FeedbackAnswer)) == 5


def test_a_question_fewer_than_five_answered_is_never_shown(app_ctx):
    forum = held_forum(factories.topic(2027, "Arbete"), childcare_offered=True)
    answers(forum, 4, childcare=None)
    answers(forum, 1, childcare=1)  # the one person who used the childcare
    shown = forum_feedback(forum.id)
    assert shown.shown and "childcare" not in {q["key"] for q in shown.questions}
    assert "represented" in {q["key"] for q in shown.questions}


def test_answers_from_before_credentials_count_nowhere(app_ctx):
    forum = held_forum(factories.topic(2027, "Arbete"))
    answers(forum, 5, credential=None)
    assert forum_feedback(forum.id).answers == 0


def test_staff_print_slips_with_a_qr_code_and_a_short_code_each(app, client, login, make_user):
    with app.app_context():
        forum = held_forum(capacity=4)
        forum_id = forum.id
    login("coreteam")
    assert client.get(f"/en/admin/forums/{forum_id}/feedback/slips").status_code == 403
    office = app.test_client()
    admin = make_user("admin@example.org", "admin")
    assert submit(office, "/sv/login", {"email": admin.email, "password": "correct horse battery"}).status_code == 302
    page = submit(office, f"/ar/admin/forums/{forum_id}/feedback/slips", {"count": "3"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    text = page.get_data(as_text=True)
    codes = re.findall(r'class="slip-code" dir="ltr">([A-Z0-9]{4}-[A-Z0-9]{4})<', text)
    assert len(set(codes)) == 3 and text.count("<svg") == 3 and 'lang="ar"' in text
    assert f"/ar/forums/{forum_id}/feedback?code={codes[0]}" in text
    with app.app_context():
        assert all(services.code_is_unused(forum_id, code) for code in codes)
    too_many = submit(office, f"/en/admin/forums/{forum_id}/feedback/slips", {"count": "2"})
    assert too_many.status_code == 400 and "at most 4 codes" in too_many.get_data(as_text=True)
    answered = submit(app.test_client(), f"/en/forums/{forum_id}/feedback?code={codes[0]}",
                      {"represented": "4", "code": codes[0]})
    assert answered.status_code == 302
    with app.app_context():
        assert not services.code_is_unused(forum_id, codes[0])
        assert db.session.get(Forum, forum_id) is not None
