"""Downloads are safe to open in a spreadsheet: formulas neutralised, numbers kept as numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_core.report.export import (
    FORMULA_PREFIXES,
    neutralise,
    safe_frame,
    sheet_title,
    to_csv_bytes,
    to_xlsx_bytes,
)

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
HARMLESS = ["Morning routine", "a = b", "1+1", "", "'already quoted", "émoji ✨ #skincare", "5 tips - part 2"]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[list[openpyxl.cell.cell.Cell]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows()]


def sample() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": ["=1+1", "plain", "-5 tips"],
            "likes": [10, -5, 0],
            "like_rate": [0.1, float("nan"), -0.25],
            "views": pd.array([100, None, 7], dtype="Int64"),
            "posted": [date(2026, 3, 1), date(2026, 3, 2), None],
            "is_ad": [False, True, False],
        }
    )


# --- one value -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_every_owasp_prefix_is_neutralised(prefix):
    assert neutralise(prefix + "1") == "'" + prefix + "1"


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_left_alone(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-5, 0, 3.5, -0.25, None, True, date(2026, 3, 1)])
def test_values_that_are_not_text_are_left_alone(value):
    assert neutralise(value) is value


# --- CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cells_never_start_a_formula(text):
    rows = read_csv(to_csv_bytes(pd.DataFrame({"title": [text], "likes": [1]})))
    assert rows[1][0] == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_csv_keeps_harmless_text_as_it_is(text):
    rows = read_csv(to_csv_bytes(pd.DataFrame({"title": [text]})))
    assert rows[1][0] == text


def test_csv_numbers_stay_numbers_and_negative_numbers_are_not_text():
    rows = read_csv(to_csv_bytes(sample()))
    assert rows[0] == ["title", "likes", "like_rate", "views", "posted", "is_ad"]
    assert [r[1] for r in rows[1:]] == ["10", "-5", "0"]
    assert [r[2] for r in rows[1:]] == ["0.1", "", "-0.25"]  # a missing rate is empty, never 0
    assert [r[3] for r in rows[1:]] == ["100", "", "7"]
    assert [r[0] for r in rows[1:]] == ["'=1+1", "plain", "'-5 tips"]  # text "-5 tips" is still text


def test_a_carriage_return_inside_a_cell_is_quoted_so_it_cannot_start_a_row():
    data = to_csv_bytes(pd.DataFrame({"title": ["a\r=1+1", "b\n@x"], "likes": [1, 2]}))
    assert b'"a\r=1+1",1\r\n' in data and b'"b\n@x",2\r\n' in data
    assert read_csv(data)[1:] == [["a\r=1+1", "1"], ["b\n@x", "2"]]


def test_csv_column_names_are_neutralised_too():
    rows = read_csv(to_csv_bytes(pd.DataFrame({"=SUM(A1)": [1], "@who": ["x"], "likes": [2]})))
    assert rows[0] == ["'=SUM(A1)", "'@who", "likes"]


def test_string_and_category_columns_are_neutralised_like_object_columns():
    frame = pd.DataFrame({"s": pd.array(["=1", None], dtype="string"), "c": pd.Categorical(["+1", "ok"])})
    rows = read_csv(to_csv_bytes(frame))
    assert rows[1] == ["'=1", "'+1"] and rows[2] == ["", "ok"]


def test_the_frame_given_is_not_changed():
    frame = sample()
    safe_frame(frame)
    assert frame["title"].tolist() == ["=1+1", "plain", "-5 tips"]


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_numbers_are_number_cells_and_text_is_text_never_a_formula():
    rows = read_xlsx(to_xlsx_bytes(sample()))
    header, body = rows[0], rows[1:]
    assert [c.value for c in header] == ["title", "likes", "like_rate", "views", "posted", "is_ad"]
    assert [(c.value, c.data_type) for c in (r[0] for r in body)] == [
        ("'=1+1", "s"),
        ("plain", "s"),
        ("'-5 tips", "s"),
    ]
    assert [(c.value, c.data_type) for c in (r[1] for r in body)] == [(10, "n"), (-5, "n"), (0, "n")]
    assert [(c.value, c.data_type) for c in (r[2] for r in body)][0::2] == [(0.1, "n"), (-0.25, "n")]
    assert body[1][2].value is None  # missing stays empty
    assert body[0][3].data_type == "n" and body[0][3].value == 100
    assert body[0][4].data_type == "d" and body[0][4].value.date() == date(2026, 3, 1)
    assert body[1][5].data_type == "b" and body[1][5].value is True
    assert all(c.data_type != "f" for row in rows for c in row)


@pytest.mark.parametrize("text", HOSTILE)
def test_xlsx_hostile_text_is_a_string_cell(text):
    rows = read_xlsx(to_xlsx_bytes(pd.DataFrame({text: [text]})))
    shown = "'" + text.replace("\r", "\n")  # XML reads a raw CR back as LF
    assert (rows[0][0].value, rows[0][0].data_type) == (shown, "s")
    assert (rows[1][0].value, rows[1][0].data_type) == (shown, "s")


def test_xlsx_takes_timezone_aware_times_and_odd_sheet_names():
    frame = pd.DataFrame({"at": pd.to_datetime(["2026-03-01 10:00"]).tz_localize("UTC")})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, sheet_name="KPIs: 2026/03 [draft]")))
    assert book.active.title == "KPIs  2026 03  draft"
    assert book.active["A2"].data_type == "d"


@pytest.mark.parametrize(
    ("name", "title"),
    [("videos", "videos"), ("", "data"), ("x" * 40, "x" * 31), ("a/b", "a b"), ("'q'", "q")],
)
def test_sheet_titles_are_ones_excel_accepts(name, title):
    assert sheet_title(name) == title


# --- properties ------------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
        ),
        min_size=1,
        max_size=5,
    )
)
def test_no_csv_cell_can_start_a_formula_whatever_the_text(texts):
    rows = read_csv(to_csv_bytes(pd.DataFrame({"text": texts, "n": range(len(texts))})))
    assert len(rows) == len(texts) + 1, "a line break inside a cell never starts a new row"
    assert [r[0] for r in rows[1:]] == [neutralise(t) for t in texts]
    assert not any(r[0].startswith(FORMULA_PREFIXES) for r in rows[1:])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=5),
    st.lists(st.sampled_from(HOSTILE + HARMLESS), min_size=1, max_size=5),
)
def test_xlsx_never_holds_a_formula_and_keeps_every_number(numbers, texts):
    rows = read_xlsx(to_xlsx_bytes(pd.DataFrame({"n": numbers})))
    assert [c.value for c in (r[0] for r in rows[1:])] == numbers
    assert all(r[0].data_type == "n" for r in rows[1:])
    rows = read_xlsx(to_xlsx_bytes(pd.DataFrame({"t": texts})))
    assert all(c.data_type != "f" for row in rows for c in row)


# --- rates in XLSX ---------------------------------------------------------------------------------


def test_xlsx_rates_are_numbers_with_a_percent_format_and_counts_are_not():
    kpis = pd.DataFrame(
        {
            "grain": ["per_video", "per_video", "per_day"],
            "kpi": ["like_rate", "likes", "engagement_rate_by_view"],
            "current": [0.0345, 120.0, 0.05],
            "previous": [0.03, 100.0, None],
            "change": [0.0045, 20.0, None],
            "relative_change": [0.15, 0.2, None],
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(kpis, sheet_name="KPIs")))
    sheet = book.active
    like_rate, likes, engagement = (sheet[f"C{row}"] for row in (2, 3, 4))
    assert (like_rate.value, like_rate.data_type, like_rate.number_format) == (0.0345, "n", "0.00%")
    assert (likes.value, likes.number_format) == (120, "General")  # a count stays a count
    assert engagement.number_format == "0.00%" and sheet["E2"].number_format == "0.00%"
    assert [sheet[f"F{row}"].number_format for row in (2, 3)] == ["0.00%", "0.00%"]  # relative change
    assert sheet["A2"].number_format == "General"


def test_xlsx_rate_columns_of_a_video_table_are_percentages():
    videos = pd.DataFrame(
        {
            "title": ["a", "b"],
            "likes": [5, 7],
            "like_rate": [0.05, None],
            "engagement_rate_by_view": [0.1, 0.2],
        }
    )
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(videos))).active
    assert sheet["C2"].number_format == "0.00%" and sheet["C2"].value == 0.05
    assert sheet["D3"].number_format == "0.00%" and sheet["B2"].number_format == "General"
