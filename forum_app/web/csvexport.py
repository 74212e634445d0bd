"""Table downloads: CSV that opens right in a spreadsheet, in every script, and cannot run formulas; and
the same table as an Excel workbook (``.xlsx``) for staff who open it in LibreOffice or Excel, which read
CSV in a legacy code page unless told otherwise.

Every export goes through :func:`csv_response`. An address ending in ``.xlsx`` (or ``?format=xlsx``) gets
the workbook: numbers as numbers, dates as dates, text as text (never a formula), a frozen header row, and
the sheet right to left for Arabic and Persian.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response, request
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..i18n import LANGUAGES, current_language

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str:  # noqa: ANN001
    if value is None:
        return ""
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return str(value)  # numbers stay numbers, negative ones included
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")  # the city's time, as the caller gives it
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def wants_spreadsheet() -> bool:
    return request.path.endswith(".xlsx") or request.args.get("format") == "xlsx"


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> Response:
    """``filename`` (``….csv``) as CSV, or as ``….xlsx`` when the address asks for a workbook."""
    if wants_spreadsheet():
        name = filename.removesuffix(".csv") + ".xlsx"
        return Response(xlsx_bytes(header, rows, right_to_left=LANGUAGES[current_language()].rtl), mimetype=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    # UTF-8 with a byte order mark, so Excel shows Arabic and Tigrinya instead of mojibake.
    body = "\ufeff" + csv_text(header, rows)
    return Response(body.encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _xlsx_value(value):  # noqa: ANN001, ANN202 - a cell's value as openpyxl takes it
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # a workbook has no time zones: the city's time, as given
    if isinstance(value, date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters a workbook cannot hold


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], *, right_to_left: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.sheet_view.rightToLeft = right_to_left
    widths: dict[int, int] = {}
    for row_number, row in enumerate([header, *rows], start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: "=HYPERLINK(...)" typed by someone is never a formula
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            widths[column] = max(widths.get(column, 0), len(safe_cell(value)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width, 8) + 2, 60)
    # The same table gives the same bytes (one ETag on every worker and host): no moment of writing inside,
    # neither in the document's properties (openpyxl's save_workbook would set "modified" to now) nor in the
    # archive's dates.
    workbook.properties.created = workbook.properties.modified = _FIXED_MOMENT
    buffer = io.BytesIO()
    ExcelWriter(workbook, _UndatedZip(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return buffer.getvalue()


_FIXED_MOMENT = datetime(1980, 1, 1)


class _UndatedZip(zipfile.ZipFile):
    """A zip archive whose files are all dated ``_FIXED_MOMENT`` instead of the second they were written."""

    def writestr(self, name, data, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003 - ZipFile's
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=_FIXED_MOMENT.timetuple()[:6])
            name.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(name, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        # openpyxl writes each worksheet to a temporary file first and adds that file, dated when written.
        with open(filename, "rb") as written:
            self.writestr(arcname or filename, written.read())
