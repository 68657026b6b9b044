"""Counts as exports write them, and the SQL macro that must read them exactly as Python does."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kpi_core.ingest.accounts import link_handle
from kpi_core.ingest.counts import is_missing, parse_count, parse_net_count
from kpi_core.store.cell_sql import (
    BLANK_CODEPOINTS,
    MISSING_MARKERS,
    TEXT_MISSING_MARKERS,
    column_sql,
    count_problem_sql,
    datetime_sql,
    link_handle_sql,
    link_video_id_sql,
    plain_cell_sql,
    plain_count_sql,
)
from kpi_core.store.raw_reader import RawReader


@pytest.fixture(scope="module")
def reader() -> Iterator[RawReader]:
    r = RawReader()
    yield r
    r.close()


def sql_count(reader: RawReader, text: str | None) -> tuple[int | None, str | None]:
    """(value, problem) as ingest reads a count cell; the problem also as the count_problem macro."""
    problem = count_problem_sql(0, required=False, value_name="v")
    row = reader.con.execute(
        f"SELECT v, {problem}, count_problem(raw.c0) "
        "FROM (SELECT CAST($s AS VARCHAR) AS c0, count_value(CAST($s AS VARCHAR)) AS v) AS raw",
        {"s": text},
    ).fetchall()[0]
    assert row[1] == row[2], (text, row)  # ingest's problem SQL (from the value) and the macro agree
    return row[0], row[1]


def python_count(text: str | None) -> tuple[int | None, str | None]:
    try:
        return parse_count(text), None
    except ValueError as exc:
        return None, str(exc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("1234", 1234),
        (" 42 ", 42),
        ("1,234", 1234),
        ("12,345,678", 12345678),
        ("1.234", 1234),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1\u202f234", 1234),
        ("12.0", 12),
        ("1.2K", 1200),
        ("1.2k", 1200),
        ("3.4M", 3_400_000),
        ("3,4M", 3_400_000),
        ("2B", 2_000_000_000),
        ("1.5K", 1500),
        ("1.0005K", 1001),
        ("999999999999999999", 999999999999999999),
    ],
)
def test_counts_written_every_way_parse(reader, text, expected):
    assert parse_count(text) == expected
    assert sql_count(reader, text) == (expected, None)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "  ",
        "undefined",
        "UNDEFINED",
        "#N/A",
        "N/A",
        "n/a",
        "NA",
        "-",
        "--",
        "null",
        "None",
        "nan",
        "\u00a0undefined\u00a0",
        "\tN/A\n",
    ],
)
def test_missing_markers_are_none_never_zero(reader, text):
    assert is_missing(text)
    assert parse_count(text) is None
    assert sql_count(reader, text) == (None, None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-5", "is negative"),
        ("−1.2K", "is negative"),
        ("abc", "is not a count"),
        ("1,5", "is not a count"),
        ("12.5", "is not a count"),
        ("1,23,456", "is not a count"),
        ("1.2.3", "is not a count"),
        ("5 likes", "is not a count"),
        ("999999999999B", "is not a count"),
        ("1,000,000,000,000,000,000,000", "is not a count"),
        ("9999999999999999999", "is not a count"),
    ],
)
def test_text_that_is_not_a_count_gives_a_reason_in_python_and_sql(reader, text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_count(text)
    assert sql_count(reader, text) == (None, reason)


def test_sql_trims_exactly_what_python_strips():
    assert {c for c in range(0x110000) if chr(c).isspace()} == set(BLANK_CODEPOINTS)


_PIECES = st.sampled_from(
    [
        "0",
        "1",
        "7",
        "12",
        "999",
        "1234",
        ",",
        ".",
        "K",
        "M",
        "B",
        "k",
        "m",
        " ",
        "\u00a0",
        "\u202f",
        "\t",
        "\n",
        "-",
        "−",
        "e",
        "undefined",
        "#N/A",
        "N/A",
        "x",
    ]
)
COUNT_LIKE = st.lists(_PIECES, max_size=8).map("".join)
ANY_TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=16)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(COUNT_LIKE, ANY_TEXT, st.none()))
@example(text="4503599627.370497M")  # above 2**52 once scaled: rounding must still agree
@example(text="9223372.036854775807B")
@example(text="\u2003123\u3000")
def test_the_sql_macro_reads_every_text_as_python_does(reader, text):
    """Both None for missing, the same int otherwise, and SQL NULL (with the same reason) where
    Python raises."""
    assert sql_count(reader, text) == python_count(text)


@settings(max_examples=200)
@given(n=st.integers(0, 10**18 - 1))
def test_a_count_round_trips_through_its_text_with_and_without_separators(n):
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}") == n
    assert parse_count(f"{n:,}".replace(",", "\u00a0")) == n
    assert parse_count(f" {n} ") == n


@settings(max_examples=200)
@given(whole=st.integers(0, 999), tenths=st.integers(0, 9), suffix=st.sampled_from(["K", "M", "B"]))
def test_suffixed_counts_scale_by_a_thousand_a_million_or_a_billion(whole, tenths, suffix):
    scale = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}[suffix]
    assert parse_count(f"{whole}.{tenths}{suffix}") == (whole * 10 + tenths) * scale // 10


# --- net counts: a day's count, which TikTok nets (comments net of deleted ones) -----------------


def sql_net_count(reader: RawReader, text: str | None) -> tuple[int | None, str | None]:
    """(value, problem) as ingest reads a net count cell (parser "net_count")."""
    problem = count_problem_sql(0, required=False, value_name="v", net=True)
    return tuple(  # type: ignore[return-value]
        reader.con.execute(
            f"SELECT v, {problem} FROM (SELECT CAST($s AS VARCHAR) AS c0, "
            "net_count_value(CAST($s AS VARCHAR)) AS v) AS raw",
            {"s": text},
        ).fetchall()[0]
    )


def python_net_count(text: str | None) -> tuple[int | None, str | None]:
    try:
        return parse_net_count(text), None
    except ValueError as exc:
        return None, str(exc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", (12, None)),
        ("-1", (-1, None)),
        ("−3", (-3, None)),
        (" -1,234 ", (-1234, None)),
        ("-1.2K", (None, "is not a count")),  # a net count's sign takes whole digits only
        ("−1.234", (-1234, None)),
        ("-9223372036854775808", (None, "is not a count")),
        ("-0", (0, None)),
        ("-", (None, None)),
        ("--", (None, None)),
        ("undefined", (None, None)),
        ("-undefined", (None, "is not a count")),
        ("--5", (None, "is not a count")),
        ("-abc", (None, "is not a count")),
    ],
)
def test_net_counts_read_a_minus_sign_in_python_and_sql(reader, text, expected):
    assert python_net_count(text) == expected
    assert sql_net_count(reader, text) == expected


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(COUNT_LIKE, ANY_TEXT, st.none()))
def test_the_net_count_macro_reads_every_text_as_python_does(reader, text):
    assert sql_net_count(reader, text) == python_net_count(text)


@settings(max_examples=100)
@given(n=st.integers(-(10**17), 10**17))
def test_a_net_count_round_trips_through_its_text(n):
    assert parse_net_count(str(n)) == n
    assert parse_net_count(f"{n:,}") == n


# --- plain count columns: every cell digits or a bare missing marker, read by a shorter expression --


def sql_cell(reader: RawReader, text: str | None, value: str, problem: str | None) -> tuple[object, ...]:
    """(value, problem) of SQL expressions over raw.c0 holding `text`."""
    return tuple(
        reader.con.execute(
            f"SELECT {value}, {problem or 'NULL'} FROM (SELECT CAST($s AS VARCHAR) AS c0) AS raw",
            {"s": text},
        ).fetchall()[0]
    )


def is_plain(reader: RawReader, text: str | None) -> bool:
    return bool(
        reader.con.execute(
            f"SELECT {plain_cell_sql('raw.c0')} FROM (SELECT CAST($s AS VARCHAR) AS c0) AS raw", {"s": text}
        ).fetchall()[0][0]
    )


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(COUNT_LIKE, ANY_TEXT, st.none(), st.integers(0, 10**18 - 1).map(str)),
    parser=st.sampled_from(["count", "net_count"]),
    required=st.booleans(),
)
@example(text="000123", parser="count", required=True)
@example(text="N/A", parser="net_count", required=True)
@example(text="", parser="count", required=True)
def test_a_plain_cell_reads_the_same_with_the_short_expression_as_with_the_macros(
    reader, text, parser, required
):
    if not is_plain(reader, text):
        return
    value, problem = column_sql(parser, 0, required, None)
    short_value, short_problem = plain_count_sql(0, required)
    assert sql_cell(reader, text, short_value, short_problem) == sql_cell(reader, text, value, problem)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("123", True),
        (None, True),
        ("", True),
        ("N/A", True),
        ("-", True),
        (" 12", False),
        ("1,234", False),
        ("-3", False),
        ("1.2K", False),
        ("12 ", False),
        ("9999999999999999999", False),
    ],
)
def test_only_digits_and_bare_missing_markers_make_a_plain_column(text, plain):
    r = RawReader()
    try:
        r.load_frame(pd.DataFrame({"c0": ["1", "2"], "c1": ["3", text]}, dtype="object"))
        assert r.probe(plain=[0, 1]).plain == ({0, 1} if plain else {0})
    finally:
        r.close()


# --- text cells -------------------------------------------------------------------------------

_BLANKS = "".join(chr(c) for c in BLANK_CODEPOINTS)

_pieces = st.sampled_from(
    [*TEXT_MISSING_MARKERS, "N/A", "Undefined", "UNDEFİNED", "a", "Brand", "#fyp"]
    + ["😀", "é", "e\u0301", "\u0301", "x" * 12]
)
_texts = st.lists(st.one_of(_pieces, st.sampled_from(list(_BLANKS)), st.text(max_size=3)), max_size=6).map(
    "".join
)


@settings(max_examples=300, deadline=None)
@given(_texts)
@example(" undefined\u3000")
@example("\u00a0" * 12 + "n/a")
@example("n/a" + "\u2028" * 10)
@example("x" * 10)
@example("#N/A")
@example("UNDEFİNED")  # 10 bytes, 9 code points: DuckDB's lower() makes it "undefined"
@example(" UNDEFİNED")
def test_a_text_cell_is_missing_exactly_when_its_marker_check_says(reader, text):
    # text_value skips the marker check for long texts with no blank at either end; it must never
    # answer otherwise than the check itself (blanks trimmed, lower-cased, one of the markers).
    [(value, missing)] = reader.con.execute(
        "SELECT text_value(CAST($s AS VARCHAR)), is_missing_text(CAST($s AS VARCHAR))", {"s": text}
    ).fetchall()
    assert value == (None if missing else text)


@pytest.mark.parametrize("text", ["undefined", " N/A\u00a0", "\u3000-\t", "", "#n/a"])
def test_text_markers_with_blanks_around_them_are_missing_as_python_reads_them(reader, text):
    assert text.strip(_BLANKS).lower() in TEXT_MISSING_MARKERS
    assert reader.con.execute("SELECT text_value($s)", {"s": text}).fetchall() == [(None,)]


@pytest.mark.parametrize(
    "text",
    [*MISSING_MARKERS, "N/A", "NaN", "None", "NULL", "Undefined", "#N/A", "0", "000123", "9" * 18],
)
def test_the_short_count_expression_casts_digits_and_no_marker(reader, text):
    # plain_count_sql casts where the macros first match the digits: on a plain column (digits or a
    # bare marker, any case) the cast must read the digits and nothing else.
    value, _ = plain_count_sql(0, required=False)
    [(read,)] = reader.con.execute(
        f"SELECT {value} FROM (SELECT CAST($s AS VARCHAR) AS c0) AS raw", {"s": text}
    ).fetchall()
    assert read == (int(text) if text.isdigit() else None)


# number_value before its plain-digits path: every text must read as this rule does.
_NUMBER_RULE = (
    "CASE WHEN is_missing(raw.c0) THEN NULL "
    "ELSE finite_or_null(TRY_CAST(replace(replace(trim(raw.c0), ',', ''), ' ', '') AS DOUBLE)) END"
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.integers(0, 10**20).map(str), st.from_regex(r"[0-9]{1,16}", fullmatch=True), ANY_TEXT, st.none()
    )
)
@example("0000000000000001")
@example("999999999999999")
@example(" 12 ")
@example("1,234.5")
@example("nan")
@example("inf")
def test_a_number_cell_reads_as_its_rule_with_the_plain_digits_path(reader, text):
    value, problem = column_sql("number", 0, required=True, lookup=None)
    read, reason = sql_cell(reader, text, value, problem)
    by_rule, _ = sql_cell(reader, text, _NUMBER_RULE, None)
    assert read == by_rule
    assert (reason is None) == (read is not None)
    if re.fullmatch(r"[0-9]{1,15}", text or ""):
        assert read == float(int(text))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        ANY_TEXT,
        st.lists(
            st.sampled_from(["@", "/", "?", "video", "/video/", "12", "a", "é", "\n", "@b"]), max_size=8
        ).map("".join),
        st.none(),
    )
)
@example("https://www.tiktok.com/@brand/video/7301234567890123456?lang=en")
@example("https://www.tiktok.com/@/video/1")
@example("x@?y")
@example("a/video/b/video/12/video/34")
def test_a_links_handle_and_video_id_read_as_python_reads_them(reader, text):
    [(handle, video_id)] = reader.con.execute(
        f"SELECT {link_handle_sql('c0')}, {link_video_id_sql('c0')} FROM (SELECT CAST($s AS VARCHAR) AS c0)",
        {"s": text},
    ).fetchall()
    assert handle == link_handle(text)
    found = re.search(r"/video/([0-9]+)", text or "")
    assert video_id == (found.group(1) if found else None)


def _replaced(text: str, changes: list[tuple[int, str]]) -> str:
    chars = list(text)
    for index, char in changes:
        chars[index] = char
    return "".join(chars)


# A scraper's posting time with up to three of its characters replaced by others.
_SHAPED_TIMES = st.builds(
    _replaced,
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z", fullmatch=True),
    st.lists(st.tuples(st.integers(0, 23), st.sampled_from(list("0123456789 +-:.TZz_aé\t"))), max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_SHAPED_TIMES, st.from_regex(r"[0-9 +:.TZ-]{24}", fullmatch=True)))
@example("2018-05-05T17:32:56.000Z")
@example("2024-01-01T24:00:00.000Z")
@example("2024-02-30T10:00:00.000Z")
@example("2024-01-01T10:00:00.+02Z")
@example("2024-01-01 10:00:00.000Z")
@example("2018-05-05T17:32:56.00 Z")  # the cast to TIMESTAMP stops at the space: no time
@example("2018-05-05T17:32:56. T9Z")
def test_a_scrapers_time_reads_as_the_general_way_reads_it(reader, text):
    # datetime_sql casts texts of a scraper's shape straight to TIMESTAMP; through TIMESTAMPTZ (the
    # general way) each must read the same, whatever sits in the shape's places.
    [(fast, general)] = reader.con.execute(
        f"SELECT {datetime_sql('c0')}, TRY_CAST(TRY_CAST(trim(c0) AS TIMESTAMPTZ) AS TIMESTAMP) "
        "FROM (SELECT CAST($s AS VARCHAR) AS c0)",
        {"s": text},
    ).fetchall()
    assert fast == general


@pytest.mark.parametrize(
    ("parser", "texts"),
    [
        ("count", ["12", " 1,234 ", "1.2K", "-5", "−1,234", "abc", "", "N/A", None, "12.0", "999999999999B"]),
        ("net_count", ["12", "-3", "−1,234", "1.2K", "abc", "", None]),
        ("share", ["12%", "0,5", "1.5", "150%", "-3%", "x", "", None]),
        ("number", ["12.5", "1,234.5", "inf", "x", "", None]),
        ("hour", ["0", "13:00", "24", "25", "x", "", None]),
        ("text", ["title", "  ", "N/A", "None", "", None]),
        ("video_link", ["https://www.tiktok.com/@a/video/7301", "https://x.com/", "", None]),
    ],
)
def test_a_problem_read_from_its_value_by_name_is_the_problem_read_from_the_text(reader, parser, texts):
    # Ingest's problem reads the value by its name in the same SELECT (a lateral alias): the same
    # reasons as the problem that parses the text again, for every kind of cell.
    for first_hour in (0, 1) if parser == "hour" else (0,):
        value, by_text = column_sql(parser, 0, True, None, first_hour)
        _, by_name = column_sql(parser, 0, True, None, first_hour, value_name="v")
        for text in texts:
            row = reader.con.execute(
                f"SELECT {value} AS v, {by_name} AS named, {by_text} AS parsed "
                "FROM (SELECT CAST($s AS VARCHAR) AS c0) AS raw",
                {"s": text},
            ).fetchall()[0]
            assert row[1] == row[2], (parser, text, row)


@pytest.mark.parametrize("name", ["value", "reason", "raw", "c3", "Likes"])
def test_a_value_cannot_be_named_as_a_column_its_problem_would_read_instead(name):
    with pytest.raises(ValueError):
        column_sql("count", 0, True, None, value_name=name)
