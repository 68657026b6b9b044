"""Yearless, localized dates and the year inferred back from the export date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date, format_skeleton
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from kpi_core.ingest import dates
from kpi_core.ingest.dates import (
    LOCALES,
    DateProblem,
    DayText,
    NumericDate,
    numeric_date,
    read_date,
    read_day_text,
    resolve,
)

# text, interface language, export date, the date it means
LOCALIZED = [
    ("June 30", "en", date(2026, 7, 2), date(2026, 6, 30)),
    ("December 24", "en", date(2026, 1, 6), date(2025, 12, 24)),
    ("25 Φεβρουαρίου", "el", date(2026, 3, 2), date(2026, 2, 25)),
    ("1 Μαρτίου", "el", date(2026, 3, 2), date(2026, 3, 1)),
    ("6 Ιανουαρίου", "el", date(2026, 11, 25), date(2026, 1, 6)),
    ("18 tháng Sáu", "vi", date(2026, 7, 1), date(2026, 6, 18)),
    ("27 tháng Mười Hai", "vi", date(2026, 1, 6), date(2025, 12, 27)),
    ("5 tháng Mười Một", "vi", date(2026, 1, 6), date(2025, 11, 5)),
    ("2 tháng Mười", "vi", date(2026, 1, 6), date(2025, 10, 2)),
    ("1 tháng Một", "vi", date(2026, 1, 6), date(2026, 1, 1)),
    ("11 septembre", "fr", date(2026, 9, 12), date(2026, 9, 11)),
    ("29 août", "fr", date(2026, 9, 7), date(2026, 8, 29)),
    ("30 de junio", "es", date(2026, 7, 1), date(2026, 6, 30)),
    ("3 de março", "pt", date(2026, 3, 4), date(2026, 3, 3)),
    ("3. März", "de", date(2026, 3, 4), date(2026, 3, 3)),
    ("12 Agustus", "id", date(2026, 8, 13), date(2026, 8, 12)),
    ("7 luglio", "it", date(2026, 7, 8), date(2026, 7, 7)),
    ("Jan 5", "en", date(2026, 1, 6), date(2026, 1, 5)),
    ("  november 20 ", "en", date(2026, 11, 25), date(2026, 11, 20)),
    ("6月30日", "ja", date(2026, 7, 1), date(2026, 6, 30)),
    ("12月24日", "zh", date(2026, 1, 6), date(2025, 12, 24)),
    ("6월 30일", "ko", date(2026, 7, 1), date(2026, 6, 30)),
    ("30 มิ.ย.", "th", date(2026, 7, 1), date(2026, 6, 30)),
    ("٣٠ يونيو", "ar", date(2026, 7, 1), date(2026, 6, 30)),
    ("30 ביוני", "he", date(2026, 7, 1), date(2026, 6, 30)),
    ("30 जून", "hi", date(2026, 7, 1), date(2026, 6, 30)),
    ("1-iyun", "uz", date(2026, 7, 1), date(2026, 6, 1)),
]


@pytest.mark.parametrize(
    ("text", "language", "export_date", "expected"),
    LOCALIZED,
    ids=[f"{lang}:{text.strip()}" for text, lang, _, _ in LOCALIZED],
)
def test_yearless_dates_in_each_interface_language(text, language, export_date, expected):
    assert read_date(text, export_date) == expected
    assert read_day_text(text) == DayText(expected.month, expected.day)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-04", DayText(1, 4, 2026)),
        ("2026-01-04 18:00:00", DayText(1, 4, 2026)),
        ("2026/1/4", DayText(1, 4, 2026)),
        ("13/04", DayText(4, 13)),  # 13 cannot be a month
        ("04/13/2026", DayText(4, 13, 2026)),
        ("05/05", DayText(5, 5)),  # the same either way
        ("15.3.26", DayText(3, 15, 2026)),
    ],
)
def test_numeric_dates_that_can_only_mean_one_day(text, expected):
    assert read_day_text(text) == expected


@pytest.mark.parametrize("text", ["03/04", "3/4/2026", "11.12", "01-02-2026"])
def test_ambiguous_numeric_dates_are_rejected_with_a_reason(text):
    with pytest.raises(DateProblem, match="day/month or month/day"):
        read_day_text(text)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("1/7/2022", "dmy", DayText(7, 1, 2022)),
        ("1/7/2022", "mdy", DayText(1, 7, 2022)),
        ("20/6/2022", "dmy", DayText(6, 20, 2022)),
        ("6/20/2022", "mdy", DayText(6, 20, 2022)),
        ("03.04", "dmy", DayText(4, 3)),
        ("2022-07-01", "mdy", DayText(7, 1, 2022)),  # ISO dates have one order whatever is given
        ("June 30", "dmy", DayText(6, 30)),
    ],
)
def test_a_given_order_reads_numeric_dates_that_way(text, order, expected):
    assert read_day_text(text, order) == expected


@pytest.mark.parametrize(("text", "order"), [("20/6/2022", "mdy"), ("6/20/2022", "dmy")])
def test_a_date_the_given_order_cannot_read_says_so(text, order):
    words = {"dmy": "day/month", "mdy": "month/day"}[order]
    with pytest.raises(DateProblem, match=f"is not a date in {words} order"):
        read_day_text(text, order)


@pytest.mark.parametrize(
    ("text", "parts", "ambiguous"),
    [
        ("1/7/2022", NumericDate(1, 7, 2022), True),
        ("20/6/2022", NumericDate(20, 6, 2022), False),
        ("5/5/22", NumericDate(5, 5, 2022), False),  # the same day either way
        ("3.4", NumericDate(3, 4, None), True),
        ("2022-07-01", None, False),
        ("June 30", None, False),
    ],
)
def test_numeric_dates_are_split_into_their_parts(text, parts, ambiguous):
    assert numeric_date(text) == parts
    assert (parts is not None and parts.ambiguous) == ambiguous


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("February 30", "does not exist"),
        ("31 Απριλίου", "does not exist"),
        ("June 31", "does not exist"),
        ("March 40", "not a real date"),
        ("0000-01-01", "not a real date"),  # year 0 does not exist
        ("", "has no date"),
        ("tomorrow", "not a date we recognise"),
        ("June", "not a date we recognise"),
        ("June July 3", "more than one month"),
        ("June 3 4", "not a date we recognise"),
    ],
)
def test_impossible_or_unreadable_dates_are_rejected_with_a_reason(text, words):
    with pytest.raises(DateProblem, match=words):
        read_date(text, date(2026, 11, 25))


def test_february_29_is_accepted_only_in_a_leap_year():
    assert read_date("February 29", date(2028, 3, 1)) == date(2028, 2, 29)
    assert read_date("February 29", date(2025, 2, 1)) == date(2024, 2, 29)  # the latest one before
    with pytest.raises(DateProblem, match="does not exist in 2026"):
        read_date("February 29", date(2026, 3, 2))
    with pytest.raises(DateProblem, match="does not exist"):
        read_date("2026-02-29", date(2026, 3, 2))


def test_year_inference_crosses_the_new_year_backwards_from_the_export_date():
    assert resolve(DayText(12, 24), date(2026, 1, 6)) == date(2025, 12, 24)
    assert resolve(DayText(1, 6), date(2026, 1, 6)) == date(2026, 1, 6)  # the export day itself
    assert resolve(DayText(1, 7), date(2026, 1, 6)) == date(2025, 1, 7)  # a day later is last year's


def test_a_dated_text_after_the_export_date_is_rejected():
    assert read_date("2026-01-07", date(2026, 1, 6)) == date(2026, 1, 7)  # one day of time-zone slack
    with pytest.raises(DateProblem, match="after the export date"):
        read_date("2026-01-08", date(2026, 1, 6))


@settings(max_examples=300)
@given(day=st.dates(date(1990, 1, 1), date(2090, 12, 31)), days_later=st.integers(0, 364))
@example(day=date(2025, 12, 31), days_later=1)
@example(day=date(2024, 2, 29), days_later=364)
@example(day=date(2023, 3, 1), days_later=364)
def test_a_yearless_day_resolves_to_itself_from_any_export_within_a_year_after_it(day, days_later):
    reference = day + timedelta(days=days_later)
    assert resolve(DayText(day.month, day.day), reference) == day


@settings(max_examples=100)
@given(reference=st.dates(date(1990, 1, 1), date(2090, 12, 31)))
def test_february_29_resolves_to_the_last_leap_day_or_is_rejected(reference):
    """The edge of the property above: the latest February 29 on or before the reference, but only
    when it falls in the year the reference puts it in; otherwise a reason, never a wrong date."""
    year = reference.year if (reference.month, reference.day) >= (2, 29) else reference.year - 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if leap:
        assert resolve(DayText(2, 29), reference) == date(year, 2, 29)
    else:
        with pytest.raises(DateProblem, match=f"does not exist in {year}"):
            resolve(DayText(2, 29), reference)


@settings(max_examples=100)
@given(day=st.dates(date(2000, 1, 1), date(2080, 12, 31)), days_later=st.integers(0, 364))
def test_english_month_names_round_trip_through_read_date(day, days_later):
    assume(not (day.month == 2 and day.day == 29))
    assert read_date(f"{day:%B} {day.day}", day + timedelta(days=days_later)) == day


@settings(max_examples=150)
@given(
    day=st.dates(date(2000, 1, 1), date(2080, 12, 31)),
    days_later=st.integers(0, 364),
    language=st.sampled_from(["en", "el", "vi", "fr", "es", "pt", "de", "id", "it"]),
    pattern=st.sampled_from(["d MMMM", "MMMM d", "d MMM", "MMM d"]),
)
def test_days_written_by_cldr_in_the_nine_interface_languages_read_back(day, days_later, language, pattern):
    assume(not (day.month == 2 and day.day == 29))
    text = format_date(day, pattern, locale=language)
    assert read_date(text, day + timedelta(days=days_later)) == day, text


@settings(max_examples=300)
@given(
    day=st.dates(date(2000, 1, 1), date(2080, 12, 31)),
    days_later=st.integers(0, 364),
    language=st.sampled_from(LOCALES),
)
def test_days_written_by_cldr_in_every_recognised_language_read_back(day, days_later, language):
    """Month name and day in each language's own order and script ("6月30日", "30 มิถุนายน", "sausio 1 d.")."""
    assume(not (day.month == 2 and day.day == 29))
    text = format_skeleton("MMMMd", day, locale=language)
    assert read_date(text, day + timedelta(days=days_later)) == day, text


def test_a_chinese_or_japanese_date_with_its_year():
    assert read_day_text("2025年12月24日") == DayText(12, 24, 2025)
    assert read_day_text("2026년 1월 4일") == DayText(1, 4, 2026)


def test_adding_languages_never_makes_a_month_name_ambiguous():
    """A name meaning two months is dropped, so each language added must keep the others' names."""
    for name, month in (("listopada", 11), ("lipca", 7), ("srpna", 8), ("juni", 6), ("mai", 5), ("6月", 6)):
        assert read_day_text(f"3 {name}") == DayText(month, 3), name


def _general_rule(text: str) -> DayText | str:
    """What the general rule (every month name scanned by one pattern) makes of a named-month text."""
    try:
        return dates._named_month_day(dates._fold(text), text)
    except DateProblem as exc:
        return str(exc)


def _read(text: str) -> DayText | str:
    try:
        return read_day_text(text)
    except DateProblem as exc:
        return str(exc)


def test_the_dictionary_lookup_of_plain_forms_reads_every_month_name_as_the_general_rule_does():
    """ "june 30" and "30 juin" skip the scan of all month names: for every known name, each form,
    day and year reads the same day, or fails with the same reason, as the general rule."""
    # Names that are no single word of letters never reach the lookup (its patterns need one).
    names = [name for name in dates.month_names() if dates._WORD.fullmatch(name)]
    forms = (
        "{n} {d}",
        "{d} {n}",
        "{n}. {d}",
        "{d}. {n}",
        "{d} {n}.",
        "{n} {d}, {y}",
        "{n} {d} {y}",
        "{d} {n} {y}",
        "{d}. {n}. {y}",
    )
    read_by_lookup = 0
    for name in names:
        for day, year in (
            ("1", "2025"),
            ("05", "25"),
            ("31", "202"),
            ("0", "20260"),
            ("45", "2024"),
            ("100", "2026"),
        ):
            for form in forms:
                text = form.format(n=name.title(), d=day, y=year)
                assert _read(text) == _general_rule(text), text
                read_by_lookup += dates._plain_named_day(dates._fold(text)) is not None
    assert len(names) > 700 and read_by_lookup > len(names) * 10  # the lookup did read most of them
    assert dates._plain_named_day("june 30") == (6, 30, None)
    assert dates._plain_named_day("5. januar 2026") == (1, 5, 2026)
    assert dates._plain_named_day("june 30, 25") is None  # a two-digit year: the general rule says why


def test_a_month_name_that_begins_a_longer_one_is_left_to_the_general_rule(monkeypatch):
    """Were "mar 5" a name of May, "mar 5" would be that name and no day: the lookup of "mar" must
    not read it as March 5."""
    monkeypatch.setattr(dates, "month_names", lambda: {"mar": 3, "mar 5": 5})
    dates._month_pattern.cache_clear()
    dates._word_month_names.cache_clear()
    try:
        assert dates._plain_named_day("mar 5") is None
        assert _read("Mar 5") == _general_rule("Mar 5") == "'Mar 5' is not a date we recognise"
        assert _read("Mar 6") == DayText(3, 6)
    finally:
        dates._month_pattern.cache_clear()
        dates._word_month_names.cache_clear()
