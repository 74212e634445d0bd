"""Every CSV download is also a workbook (.xlsx) with the same table, through the one export helper:
numbers as numbers, dates as dates, right to left for Arabic and Persian."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.planning.models import Forum, ForumStatus

from ..conftest import submit


@pytest.fixture
def demo_staff(app, client, demo):
    login = {"email": "admin@example.org", "password": "demo-password-2027"}
    assert submit(client, "/sv/login", login).status_code == 302
    with app.app_context():
        forum_id = db.session.scalar(select(Forum.id).where(Forum.status == ForumStatus.PUBLISHED).order_by(Forum.id))
        year = db.session.scalar(select(Forum.starts_at).order_by(Forum.id)).year
    return forum_id, year


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _as_csv_text(value) -> str:  # noqa: ANN001 - a cell's value as openpyxl reads it
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != datetime.min.time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _same(text: str) -> object:
    """A CSV cell as comparable: numbers by value (50.0 and 50 are one figure), text as it is."""
    try:
        return float(text)
    except ValueError:
        return text


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_csv_download_is_also_the_same_workbook(app, client, demo_staff, lang):
    forum_id, year = demo_staff
    pairs = [(f"/{lang}/impact/{year}.csv", f"/{lang}/impact/{year}.xlsx"),
             (f"/{lang}/recommendations/export.csv", f"/{lang}/recommendations/export.xlsx"),
             (f"/{lang}/admin/forums/{forum_id}/registrations.csv",
              f"/{lang}/admin/forums/{forum_id}/registrations.xlsx"),
             (f"/{lang}/admin/budget/?year={year}&format=csv", f"/{lang}/admin/budget/?year={year}&format=xlsx"),
             (f"/{lang}/admin/forums/{forum_id}/invite-list?format=csv",
              f"/{lang}/admin/forums/{forum_id}/invite-list?format=xlsx")]
    for csv_url, xlsx_url in pairs:
        as_csv, as_xlsx = client.get(csv_url), client.get(xlsx_url)
        assert as_csv.status_code == as_xlsx.status_code == 200, xlsx_url
        assert as_xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert as_xlsx.headers["Content-Disposition"].endswith('.xlsx"')
        sheet = load_workbook(io.BytesIO(as_xlsx.data)).active
        assert sheet.sheet_view.rightToLeft is (lang == "ar"), xlsx_url
        rows = [[_same(_as_csv_text(value)) for value in row] for row in sheet.iter_rows(values_only=True)]
        expected = [[_same(text[1:] if text.startswith("'") else text) for text in row] for row in _csv_rows(as_csv)]
        assert rows == expected, xlsx_url
    # Typed cells: the registration dates are dates, the impact figures numbers.
    registrations = load_workbook(io.BytesIO(client.get(pairs[2][1]).data)).active
    assert all(cell.is_date for cell in registrations["P"][1:]) and registrations.max_row > 1
    figures = load_workbook(io.BytesIO(client.get(pairs[0][1]).data)).active
    assert any(cell.data_type == "n" and cell.value is not None for cell in figures["C"][1:])
