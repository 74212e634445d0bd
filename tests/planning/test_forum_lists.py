"""The forum lists stay short as the years pass: the coming forums and this year's, then one link per
earlier year (``?year=``); the same for staff, drafts included. Their queries are few and indexed."""

from __future__ import annotations

import re

import pytest

from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.planning.models import ForumStatus

from .. import factories


def _this_year(app) -> int:  # noqa: ANN001
    with app.app_context():
        return city_today().year


def _years_of_forums(app) -> dict[str, int]:  # noqa: ANN001
    """A coming forum and a held one this year, a held one last year, one three years ago, a draft."""
    this_year = _this_year(app)
    with app.app_context():
        now_topic = factories.topic(year=this_year, title="Ämne i år")
        ids = {
            "coming": factories.forum(now_topic, days=20, hook={"sv": "Kommande forum"}).id,
            "this_year": factories.forum(now_topic, days=-2, status=ForumStatus.HELD, hook={"sv": "Hållet i år"}).id,
            "last_year": factories.forum(factories.topic(year=this_year - 1, title="Förra året"), days=-400,
                                         status=ForumStatus.HELD, hook={"sv": "Hållet förra året"}).id,
            "long_ago": factories.forum(factories.topic(year=this_year - 3, title="Länge sedan"), days=-1100,
                                        status=ForumStatus.DOCUMENTED, hook={"sv": "Hållet för länge sedan"}).id,
            "draft": factories.forum(now_topic, days=40, status=ForumStatus.DRAFT, hook={"sv": "Ett utkast"}).id,
        }
    return ids


def test_the_forum_list_shows_the_coming_forums_and_this_years_and_links_to_earlier_years(client, app):
    _years_of_forums(app)
    this_year = _this_year(app)
    response = client.get("/en/forums/")
    html = response.get_data(as_text=True)
    assert "Kommande forum" in html and "Hållet i år" in html
    assert "Hållet förra året" not in html and "Hållet för länge sedan" not in html and "Ett utkast" not in html
    assert "Earlier this year" in html and "Earlier years" in html
    assert f'href="/en/forums/?year={this_year - 1}"' in html and f'href="/en/forums/?year={this_year - 3}"' in html
    # Still a page for everyone: cacheable, no cookie.
    assert response.headers["Cache-Control"].startswith("public") and not response.headers.getlist("Set-Cookie")


def test_an_earlier_year_has_its_own_page(client, app):
    _years_of_forums(app)
    this_year = _this_year(app)
    response = client.get(f"/en/forums/?year={this_year - 1}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"Forums in {this_year - 1}" in html
    assert "Hållet förra året" in html and "Kommande forum" not in html and "Hållet i år" not in html
    assert f'<a href="/en/forums/?year={this_year - 1}" aria-current="page">' in html
    assert 'href="/en/forums/">See the coming forums' in html
    assert response.headers["Cache-Control"].startswith("public")


def test_a_year_without_forums_says_so_and_a_wrong_year_shows_the_coming_forums(client, app):
    _years_of_forums(app)
    html = client.get("/sv/forums/?year=2003").get_data(as_text=True)
    assert "Det hölls inga forum 2003." in html
    for wrong in ("nonsense", "1899", "99999"):
        response = client.get(f"/sv/forums/?year={wrong}")
        assert response.status_code == 200 and "Kommande forum" in response.get_data(as_text=True)


def test_staff_see_drafts_this_year_and_earlier_years_by_link(client, app, login):
    ids = _years_of_forums(app)
    login("admin")
    this_year = _this_year(app)
    html = client.get("/en/admin/forums/").get_data(as_text=True)
    assert "Ett utkast" in html and "Kommande forum" in html and "Hållet i år" in html
    assert "Hållet förra året" not in html
    assert f'href="/en/admin/forums/?year={this_year - 3}"' in html
    html = client.get(f"/en/admin/forums/?year={this_year - 1}").get_data(as_text=True)
    assert f'href="/en/admin/forums/{ids["last_year"]}"' in html and "Ett utkast" not in html


def test_the_forum_lists_run_as_many_queries_with_ten_years_behind_them(client, app, login, count_queries):
    _years_of_forums(app)
    this_year = _this_year(app)
    login("admin")
    pages = ["/sv/forums/", f"/sv/forums/?year={this_year - 1}", "/sv/admin/forums/",
             f"/sv/admin/forums/?year={this_year - 1}"]
    with count_queries() as few:
        for page in pages:
            assert client.get(page).status_code == 200
    with app.app_context():
        for year in range(this_year - 10, this_year):
            for n in range(3):
                topic = factories.topic(year=year, title=f"Ämne {year}-{n}")
                for f in range(2):
                    factories.forum(topic, days=(year - this_year) * 365 + n * 20 + f,
                                    status=ForumStatus.DOCUMENTED)
    with count_queries() as many:
        for page in pages:
            assert client.get(page).status_code == 200
    assert many() == few()


# --- every list query is indexed -------------------------------------------------------------------

LIST_PAGES = ["/sv/forums/", "/sv/forums/?year={last}", "/sv/recommendations/", "/sv/recommendations/?page=1",
              "/sv/", "/api/v1/forums", "/api/v1/recommendations", "/sv/impact/{last}"]
BIG_TABLES = ("forum", "registration", "recommendation")


def _statements(app, client, paths: list[str]) -> list[tuple[str, object]]:  # noqa: ANN001
    from sqlalchemy import event

    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, *args):  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT") and any(
                re.search(rf"\b{table}\b", statement) for table in BIG_TABLES):
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        for path in paths:
            assert client.get(path).status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _full_scans(app, backend: str, statements: list[tuple[str, object]]) -> list[str]:  # noqa: ANN001
    """The plans that read a whole big table instead of searching an index."""
    found = []
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            if backend == "postgresql":
                # With sequential scans priced out, the plan shows a Seq Scan only where no index can serve.
                cursor.execute("SET enable_seqscan = off")
            for statement, parameters in statements:
                prefix = "EXPLAIN QUERY PLAN " if backend == "sqlite" else "EXPLAIN "
                cursor.execute(prefix + statement, parameters)
                plan = "\n".join(str(row[-1] if backend == "sqlite" else row[0]) for row in cursor.fetchall())
                pattern = (r"^SCAN ({})\b(?! USING)" if backend == "sqlite" else r"Seq Scan on ({})\b").format(
                    "|".join(BIG_TABLES))
                if re.search(pattern, plan, re.M):
                    found.append(f"{statement}\n{plan}")
        finally:
            connection.close()
    return found


@pytest.mark.parametrize("kind", ["public", "staff"])
def test_every_list_query_uses_an_index(client, app, backend, login, kind):
    from .. import factories as f

    ids = _years_of_forums(app)
    with app.app_context():
        from forum_app.recommendations.models import Recommendation, Status

        db.session.add(Recommendation(topic_id=f.topic(year=_this_year(app) - 2, title="Rek").id,
                                      title={"sv": "Rekommendation"}, status=Status.ACCEPTED))
        db.session.commit()
    last = _this_year(app) - 1
    if kind == "staff":
        login("admin")
        paths = ["/sv/admin/forums/", f"/sv/admin/forums/?year={last}", "/sv/admin/recommendations/", "/sv/admin/"]
    else:
        paths = [p.format(last=last) for p in LIST_PAGES]
    statements = _statements(app, client, paths)
    assert statements and ids
    assert _full_scans(app, backend, statements) == []
