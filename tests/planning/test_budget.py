from decimal import Decimal

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.planning.models import BudgetCategory, BudgetLine, ForumStatus
from forum_app.planning.services import budget_summary
from forum_app.recommendations.models import ForumResult
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import submit


def test_totals_per_category_and_forum_and_cost_per_participant(app_ctx):
    forum = factories.forum(days=-2, status=ForumStatus.HELD)
    db.session.add_all([
        BudgetLine(year=2027, category=BudgetCategory.FOOD, planned=Decimal("2000"), actual=Decimal("1800"),
                   forum_id=forum.id),
        BudgetLine(year=2027, category=BudgetCategory.FOOD, planned=Decimal("500"), actual=Decimal("600")),
        BudgetLine(year=2027, category=BudgetCategory.INTERPRETATION, planned=Decimal("3000"),
                   actual=Decimal("1200"), forum_id=forum.id),
        BudgetLine(year=2026, category=BudgetCategory.FOOD, planned=Decimal("999")),
    ] + [Registration(forum_id=forum.id, name=f"P{n}", status=RegistrationStatus.CONFIRMED,
                      attended_at=utcnow() if n < 4 else None) for n in range(6)])
    db.session.commit()
    summary = budget_summary(2027)
    assert summary.by_category[BudgetCategory.FOOD] == (Decimal("2500"), Decimal("2400"))
    assert summary.planned == Decimal("5500") and summary.actual == Decimal("3600")
    assert summary.by_forum[forum.id] == (Decimal("5000"), Decimal("3000"))
    assert summary.cost_per_participant(forum.id) == Decimal("750.00")  # 3000 / 4 checked in, nothing recorded
    db.session.add(ForumResult(forum_id=forum.id, attendance=12))  # staff add those not checked in
    db.session.commit()
    assert budget_summary(2027).cost_per_participant(forum.id) == Decimal("250.00")  # who took part


def test_amounts_are_typed_the_swedish_way(client, login, app):
    login("admin")
    response = submit(client, "/sv/admin/budget/new", {"year": "2027", "category": "venue", "forum_id": "0",
                                                         "description": "Hyra", "planned": "1 234,50"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(BudgetLine).one().planned == Decimal("1234.50")
    bad = submit(client, "/sv/admin/budget/new", {"year": "2027", "category": "venue", "forum_id": "0",
                                                   "description": "Hyra", "planned": "tusen"})
    assert bad.status_code == 400 and 'value="tusen"' in bad.get_data(as_text=True)


def test_budget_csv_opens_in_a_spreadsheet(client, login, app):
    login("admin")
    with app.app_context():
        db.session.add(BudgetLine(year=2027, category=BudgetCategory.OTHER, description="@SUM(A1:A3)",
                                  planned=Decimal("10")))
        db.session.commit()
    response = client.get("/en/admin/budget/?year=2027&format=csv")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff") and "'@SUM(A1:A3)" in text


def test_a_mistaken_budget_line_can_be_deleted(client, login, app):
    login("admin")
    with app.app_context():
        line = BudgetLine(year=2027, category=BudgetCategory.VENUE, planned=Decimal("100"), description="Fel")
        db.session.add(line)
        db.session.commit()
        line_id = line.id
    page = f"/sv/admin/budget/{line_id}"
    assert submit(client, f"{page}/delete", {}, page=page).status_code == 302
    with app.app_context():
        assert db.session.get(BudgetLine, line_id) is None


def test_an_amount_that_reads_two_ways_is_refused_in_the_page_language(client, login, app):
    """On an English page "1500,50" was read as 150 050 kronor; now it is refused, with an English example."""
    login("admin")
    fields = {"year": "2027", "category": "venue", "forum_id": "0", "description": "Hyra"}
    refused = submit(client, "/en/admin/budget/new", {**fields, "planned": "1500,50"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'value="1500,50"' in html
    assert "as it is written in English, for example 1,500.50" in html
    with app.app_context():
        assert db.session.query(BudgetLine).count() == 0
    assert submit(client, "/en/admin/budget/new", {**fields, "planned": "1,500.50"}).status_code == 302
    with app.app_context():
        assert db.session.query(BudgetLine).one().planned == Decimal("1500.50")
    assert "SEK 1,500.50" in client.get("/en/admin/budget/?year=2027").get_data(as_text=True).replace("\xa0", " ")
    assert "1 500,50 kr" in client.get("/sv/admin/budget/?year=2027").get_data(as_text=True).replace("\xa0", " ")
