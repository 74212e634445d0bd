"""The newsletter editor keeps what was typed when an article is added, removed or moved (the buttons save
first), and before scheduling says how many subscribers get the issue in each language and what is not
translated into it."""

from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.newsletter.models import Issue, Section

from ..conftest import submit
from .test_plan_and_placeholders import _issue


def _sections(app, issue_id: int) -> list[Section]:  # noqa: ANN001
    with app.app_context():
        issue = db.session.get(Issue, issue_id)
        return [(s.id, dict(s.heading), dict(s.body)) for s in issue.sections]


def test_adding_removing_and_moving_an_article_keeps_what_was_typed(client, login, app):
    with app.app_context():
        issue_id = _issue()
    login("admin")
    page = f"/sv/admin/newsletter/{issue_id}"
    [(first, _h, _b)] = _sections(app, issue_id)
    typed = {"title-sv": "Nyhetsbrev i mars", "title-ar": "النشرة الإخبارية لشهر مارس",
             f"heading_{first}-sv": "Forum i vintras", f"body_{first}-sv": "Vi höll två forum, med 120 deltagare."}
    assert submit(client, page, {**typed, "do": "add"}).status_code == 302
    sections = _sections(app, issue_id)
    assert len(sections) == 2 and sections[0][1]["sv"] == "Forum i vintras"
    with app.app_context():
        assert db.session.get(Issue, issue_id).title["ar"] == "النشرة الإخبارية لشهر مارس"
    second = sections[1][0]
    typed.update({f"heading_{second}-sv": "Nytt från kärngruppen", f"body_{second}-sv": "Vi har träffats."})
    assert submit(client, page, {**typed, "do": f"up-{second}"}).status_code == 302
    sections = _sections(app, issue_id)
    assert [s[1]["sv"] for s in sections] == ["Nytt från kärngruppen", "Forum i vintras"]
    typed[f"body_{first}-sv"] = "Vi höll två forum, med 130 deltagare."
    typed[f"heading_{second}-sv"] = ""  # being removed: not checked
    assert submit(client, page, {**typed, "do": f"remove-{second}"}).status_code == 302
    sections = _sections(app, issue_id)
    assert [s[2]["sv"] for s in sections] == ["Vi höll två forum, med 130 deltagare."]


def test_a_refused_save_keeps_what_was_typed_and_adds_nothing(client, login, app):
    with app.app_context():
        issue_id = _issue()
    login("admin")
    page = f"/sv/admin/newsletter/{issue_id}"
    [(first, _h, _b)] = _sections(app, issue_id)
    response = submit(client, page, {"title-sv": "", f"heading_{first}-sv": "Forum i vintras",
                                     f"body_{first}-sv": "Ny text som inte får försvinna.", "do": "add"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Ny text som inte får försvinna." in html
    assert len(_sections(app, issue_id)) == 1


def test_before_scheduling_the_page_counts_subscribers_per_language_and_names_what_is_missing(
        client, login, app, subscribers):
    subscribers(14)  # two in each language
    with app.app_context():
        issue_id = _issue()
        issue = db.session.get(Issue, issue_id)
        issue.title = {"sv": "Vårens nyhetsbrev", "ar": "نشرة الربيع"}
        issue.sections[0].heading = {"sv": "Forum", "ar": "المنتديات"}
        issue.sections[0].body = {"sv": "Vi höll två forum.", "ar": "عقدنا منتديين."}
        db.session.commit()
        assert db.session.scalar(select(Issue.id)) == issue_id
    login("admin")
    html = client.get(f"/en/admin/newsletter/{issue_id}").get_data(as_text=True)
    reach = html[html.index('id="reach-heading"'):]
    assert "14 subscribers will get this issue." in reach
    arabic = reach[reach.index('lang="ar"'):reach.index("</tr>", reach.index('lang="ar"'))]
    tigrinya = reach[reach.index('lang="ti"'):reach.index("</tr>", reach.index('lang="ti"'))]
    assert "Title" not in arabic and "Forum" not in arabic
    assert "Title" in tigrinya and "Forum" in tigrinya
