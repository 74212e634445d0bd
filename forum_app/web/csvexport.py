"""CSV downloads that open right in a spreadsheet, in every script, and cannot run formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:  # noqa: ANN001
    if value is None:
        return ""
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return str(value)  # numbers stay numbers, negative ones included
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


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> Response:
    # UTF-8 with a byte order mark, so Excel shows Arabic and Tigrinya instead of mojibake.
    body = "\ufeff" + csv_text(header, rows)
    return Response(body.encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
