"""Dates as exports write them: yearless and in the interface language ("June 30",
"25 Φεβρουαρίου", "18 tháng Sáu", "11 septembre", "6月30日", "30 มิ.ย."), or ISO / numeric with a year.

Month names come from the CLDR data shipped with Babel plus dateparser's locale data (which adds
forms such as Vietnamese "tháng sáu"); nothing here is a hand-typed month table. A name that
means different months in different languages is dropped rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import pandas as pd
from babel.dates import get_month_names

# Interface languages whose month names are recognised: TikTok's app languages (the issue asked for
# the first nine), and a few more of Europe's. tests/test_dates.py reads back what CLDR writes in each.
# Croatian is left out: its "listopad" is October where Czech and Polish mean November.
LOCALES = (
    "en",
    "el",
    "vi",
    "fr",
    "es",
    "pt",
    "de",
    "id",
    "it",
    "nl",
    "pl",
    "tr",
    "ro",
    "cs",
    "sv",
    "da",
    "nb",
    "fi",
    "hu",
    "ms",
    "ru",
    "uk",
    "ja",
    "ko",
    "zh",
    "zh_Hant",
    "th",
    "ar",
    "he",
    "hi",
    "bn",
    "ur",
    "fil",
    "km",
    "my",
    "jv",
    "ceb",
    "sk",
    "bg",
    "sr",
    "lt",
    "lv",
    "et",
    "sl",
    "ca",
    "kk",
    "uz",
    "az",
)
_MONTH_KEYS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Words that may sit around the day and month ("30 de junio", "the 3rd of May", "ngày 18", "sausio 1 d.").
_FILLERS = frozenset(
    {
        "de",
        "del",
        "of",
        "the",
        "st",
        "nd",
        "rd",
        "th",
        "ngày",
        "le",
        "den",
        "am",
        "tanggal",
        "d",
        "年",
        "日",
        "년",
        "일",
    }
)
# Chinese, Japanese and Korean write their units straight after the number ("2026年6月30日",
# "6월 30일"): a space after each unit lets the month name and the day be read apart.
_CJK_UNITS = re.compile(r"([年月日년월일])")


class DateProblem(ValueError):
    """A date text that cannot be read without guessing; the message is the reason for the user."""


@dataclass(frozen=True)
class DayText:
    """What a date text says: month and day, and the year when it has one."""

    month: int
    day: int
    year: int | None = None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.casefold().split())


# dateparser has no locale data for these; Babel's CLDR names cover them alone.
_NO_DATEPARSER_DATA = frozenset({"jv", "ceb"})


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Every known month name (case-folded, without a trailing dot) -> month number 1..12."""
    from dateparser.languages.loader import default_loader

    seen: dict[str, set[int]] = {}
    for locale in LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    seen.setdefault(_fold(name).rstrip("."), set()).add(number)
        language = locale.split("_")[0]
        if language in _NO_DATEPARSER_DATA:
            continue
        info = default_loader.get_locale(language).info
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in info.get(key, []):
                seen.setdefault(_fold(name).rstrip("."), set()).add(number)
    # A name that is a plain number ("6") or means two months is useless for reading dates.
    return {
        name: months.pop()
        for name, months in seen.items()
        if len(months) == 1 and name and not name.isdigit()
    }


@lru_cache(maxsize=1)
def _month_pattern() -> re.Pattern[str]:
    names = sorted(month_names(), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")\.?(?!\w)")


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t].*)?")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?")
# The two orders numeric dates are written in: day first ("20/6/2022") or month first ("6/20/2022").
DATE_ORDERS = ("dmy", "mdy")
ORDER_WORDS = {"dmy": "day/month", "mdy": "month/day"}


@dataclass(frozen=True)
class NumericDate:
    """A numeric date's parts as written ("1/7/2022": first 1, second 7, year 2022)."""

    first: int
    second: int
    year: int | None

    @property
    def ambiguous(self) -> bool:
        """True when it reads as a different real day in each order."""
        return self.first <= 12 and self.second <= 12 and self.first != self.second


def numeric_date(text: str) -> NumericDate | None:
    """The parts of a numeric date that does not start with its year ("20/6/2022", "6.20"), else None."""
    numeric = _NUMERIC.fullmatch(_fold(text))
    if numeric is None:
        return None
    return NumericDate(int(numeric.group(1)), int(numeric.group(2)), _full_year(numeric.group(3)))


def read_day_text(text: str, order: str | None = None) -> DayText:
    """Read one date text, with or without a year.

    `order` ("dmy" or "mdy") is how numeric dates such as "1/7/2022" are written; without it a
    numeric date is read only when one order makes it a real day, and is a DateProblem otherwise.

    >>> read_day_text("25 Φεβρουαρίου")
    DayText(month=2, day=25, year=None)
    >>> read_day_text("2026-01-04")
    DayText(month=1, day=4, year=2026)
    >>> read_day_text("1/7/2022", order="dmy")
    DayText(month=7, day=1, year=2022)
    """
    folded = _fold(text)
    if not folded:
        raise DateProblem("has no date")
    iso = _ISO.fullmatch(folded)
    if iso:
        return _checked(int(iso.group(2)), int(iso.group(3)), int(iso.group(1)), text)
    numeric = numeric_date(folded)
    if numeric:
        first, second, year = numeric.first, numeric.second, numeric.year
        if order is not None:
            day, month = (first, second) if order == "dmy" else (second, first)
            if month > 12:
                raise DateProblem(f"'{text}' is not a date in {ORDER_WORDS[order]} order")
            return _checked(month, day, year, text)
        if numeric.ambiguous:
            raise DateProblem(f"'{text}' could be day/month or month/day; use a date like 2026-03-04")
        day, month = (first, second) if first > 12 or first == second else (second, first)
        return _checked(month, day, year, text)
    named = _plain_named_day(folded)
    if named:
        return _checked(named[0], named[1], named[2], text)
    return _named_month_day(folded, text)


def _named_month_day(folded: str, text: str) -> DayText:
    """A case-folded date text with a month name, read by the general rule: exactly one month
    named, one day, at most one year, nothing else but filler words."""
    if _CJK_UNITS.search(folded):
        folded = _fold(_CJK_UNITS.sub(r"\1 ", folded))
    months = {month_names()[m.group(1)] for m in _month_pattern().finditer(folded)}
    if len(months) != 1:
        raise DateProblem(
            f"'{text}' is not a date we recognise" if not months else f"'{text}' names more than one month"
        )
    rest = _month_pattern().sub(" ", folded)
    numbers = re.findall(r"\d+", rest)
    words = [w for w in re.split(r"[\s.,-]+|\d+", rest) if w and w not in _FILLERS]
    years = [int(n) for n in numbers if len(n) == 4]
    days = [int(n) for n in numbers if len(n) <= 2]
    if words or len(days) != 1 or len(years) > 1 or len(days) + len(years) != len(numbers):
        raise DateProblem(f"'{text}' is not a date we recognise")
    return _checked(months.pop(), days[0], years[0] if years else None, text)


# The forms nearly every yearless export writes ("june 30", "30 juin", "5. januar 2026"): one word,
# the day, maybe a year. `_plain_named_day` reads them with a dictionary lookup where the general
# rule scans all thousand month names with one regular expression (5.6 ms for a year of days).
_WORD = re.compile(r"[^\W\d_]+")  # letters only
_WORD_DAY = re.compile(rf"({_WORD.pattern})\.? (\d{{1,2}})(?:,? (\d{{4}}))?")
_DAY_WORD = re.compile(rf"(\d{{1,2}})\.? ({_WORD.pattern})\.?(?: (\d{{4}}))?")


def _plain_named_day(folded: str) -> tuple[int, int, int | None] | None:
    """(month, day, year) of a case-folded "word day [year]" or "day word [year]" whose word is one
    of `_word_month_names` (the general rule reads those the same way), else None."""
    match = _WORD_DAY.fullmatch(folded)
    if match:
        word, day, year = match.group(1), match.group(2), match.group(3)
    else:
        match = _DAY_WORD.fullmatch(folded)
        if not match:
            return None
        day, word, year = match.group(1), match.group(2), match.group(3)
    month = _word_month_names().get(word)
    if month is None:
        return None
    return month, int(day), int(year) if year else None


@lru_cache(maxsize=1)
def _word_month_names() -> dict[str, int]:
    """The month names the lookup reads: one word of letters ("june", "juin", "januar") that begins
    no longer name followed by a space or a dot. In "word day" the general rule's longest-first
    pattern then matches the word itself, never a longer name that would take the day in (no
    known name does so today: tests/test_dates.py pins the rule with a made-up one)."""
    names = month_names()
    begin_longer = {name[:i] for name in names for i, c in enumerate(name) if c in " ."}
    return {
        name: month for name, month in names.items() if _WORD.fullmatch(name) and name not in begin_longer
    }


def _full_year(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _checked(month: int, day: int, year: int | None, text: str) -> DayText:
    if not 1 <= month <= 12 or not 1 <= day <= 31 or (year is not None and not 1 <= year <= 9999):
        raise DateProblem(f"'{text}' is not a real date")
    try:
        date(
            2000 if year is None else year, month, day
        )  # 2000 is a leap year: February 29 passes until a year is known
    except ValueError:
        raise DateProblem(f"'{text}' does not exist (there is no such day in that month)") from None
    return DayText(month, day, year)


def resolve(day_text: DayText, reference: date, text: str = "") -> date:
    """The calendar date of `day_text`, inferring a missing year backwards from `reference`.

    A yearless date is the latest such day on or before `reference` (the export date), so a
    365-day window that crosses the new year gets the right years. A dated text after the
    reference (beyond one day of time-zone slack) is in the future and rejected.

    >>> resolve(DayText(12, 24), date(2026, 1, 6))
    datetime.date(2025, 12, 24)
    """
    label = text or f"{day_text.month}/{day_text.day}"
    if day_text.year is not None:
        value = date(day_text.year, day_text.month, day_text.day)
        if value > reference + timedelta(days=1):
            raise DateProblem(f"'{label}' is after the export date {reference.isoformat()}")
        return value
    year = reference.year
    if (day_text.month, day_text.day) > (reference.month, reference.day):
        year -= 1
    try:
        return date(year, day_text.month, day_text.day)
    except ValueError:
        raise DateProblem(f"'{label}' does not exist in {year}, the year it must belong to") from None


def read_date(text: str, reference: date) -> date:
    """`read_day_text` and `resolve` in one step."""
    return resolve(read_day_text(text), reference, text)


def video_id_days(video_ids: pd.Series) -> pd.Series:
    """The UTC posting day TikTok writes into each video id (its top 32 bits are unix seconds);
    NaT where the text is not a real id (one from before 2014)."""
    numeric = pd.to_numeric(video_ids, errors="coerce")
    seconds = (numeric // 2**32).where(numeric > 2**32 * 1_400_000_000)
    return pd.to_datetime(seconds, unit="s", errors="coerce").dt.normalize()
