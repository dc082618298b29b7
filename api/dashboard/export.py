"""A panel's table as a file for a monthly report: CSV (UTF-8 with a byte-order mark,
so that spreadsheet programs read Kazakh and Russian letters) or XLSX (openpyxl), in
the page's language, headed by what it shows and over which period."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from api.dashboard.panels import Cell, Panel

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet program reads as the start of a formula. Text typed by users (an
agency's name) is exported, so a cell starting so is prefixed with an apostrophe and
stays text (OWASP, "CSV injection")."""


def inert(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _plain(panel: Panel, cell: Cell, lang: str) -> str | int | float:
    """Counts stay numbers, to be summed in the report; the rest as the page shows it."""
    if cell.kind == "count" and isinstance(cell.value, int):
        return cell.value
    return inert(panel.shown(cell, lang))


def to_csv(panel: Panel, lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([inert(panel.title)])
    writer.writerow([inert(panel.caption)])
    writer.writerow([inert(column) for column in panel.columns])
    for row in panel.rows:
        writer.writerow([_plain(panel, cell, lang) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(panel: Panel, lang: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    # A sheet's name is at most 31 characters, without []:*?/\ (Excel's rule).
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", panel.title)[:31]
    sheet.append([panel.title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([panel.caption])
    sheet.append(panel.columns)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in panel.rows:
        values: list[str | int | float | None] = []
        for cell in row:
            if cell.kind == "share":
                values.append(cell.value if isinstance(cell.value, float) else None)
            elif cell.kind in ("count", "number") and isinstance(cell.value, int | float):
                values.append(cell.value)
            else:
                values.append(inert(panel.shown(cell, lang)))
        sheet.append(values)
        for cell, written in zip(row, sheet[sheet.max_row], strict=True):
            if cell.kind == "share":
                written.number_format = "0.0%"
            elif isinstance(written.value, str):
                written.data_type = "s"  # openpyxl takes a leading "=" for a formula
    for index, header in enumerate(panel.columns, start=1):
        widest = max([len(header), *(len(panel.shown(r[index - 1], lang)) for r in panel.rows)])
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = min(
            60, widest + 2
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
