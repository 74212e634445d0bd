"""The CSV download helper every export goes through."""

from forum_app import create_app
from forum_app.web.csvexport import csv_response


def test_a_csv_download_names_its_charset_once(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
                      "SECRET_KEY": "test", "INSTANCE_PATH": str(tmp_path)})
    with app.test_request_context("/sv/"):
        response = csv_response("x.csv", ["namn"], [["Åsa"], ["=1+1"]])
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.get_data().decode("utf-8").startswith("\ufeffnamn")


def test_the_workbook_keeps_types_and_never_runs_a_formula(tmp_path):
    from datetime import date, datetime
    from decimal import Decimal
    from io import BytesIO

    from openpyxl import load_workbook

    from forum_app.web.csvexport import xlsx_bytes

    data = xlsx_bytes(["Namn", "Antal", "Datum", "Tid", "Belopp"],
                      [["=HYPERLINK(\"http://x\",\"a\")", 3, date(2027, 3, 1), datetime(2027, 3, 1, 18, 30),
                        Decimal("1500.50")], ["Amal\x07", -2.5, None, "", 0]], right_to_left=True)
    sheet = load_workbook(BytesIO(data)).active
    assert sheet.sheet_view.rightToLeft is True and sheet.freeze_panes == "A2"
    first, second = sheet[2], sheet[3]
    assert first[0].value == '=HYPERLINK("http://x","a")' and first[0].data_type == "s"  # text, not a formula
    assert first[1].value == 3 and first[1].data_type == "n"
    assert first[2].is_date and first[2].value == datetime(2027, 3, 1)
    assert first[3].is_date and first[3].value == datetime(2027, 3, 1, 18, 30)
    assert first[4].value == 1500.5 and second[1].value == -2.5
    assert second[0].value == "Amal"  # a control character a workbook cannot hold is dropped
    assert not load_workbook(BytesIO(xlsx_bytes(["a"], []))).active.sheet_view.rightToLeft


def test_the_same_table_gives_the_same_workbook_bytes(clock):
    """Cacheable downloads need one ETag: nothing in the file may depend on the moment it was written."""
    from forum_app.web.csvexport import xlsx_bytes

    clock("2027-03-01T10:00:00+01:00")
    first = xlsx_bytes(["a"], [[1]])
    clock("2027-03-01T11:00:07+01:00")
    assert xlsx_bytes(["a"], [[1]]) == first
    # The machine's own clock reaches the archive too (the worksheet goes through a temporary file, dated
    # when written): every entry carries the one fixed date, so two requests a second apart agree.
    import io
    import zipfile
    assert {entry.date_time for entry in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {(1980, 1, 1, 0, 0, 0)}
