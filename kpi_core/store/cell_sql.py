"""SQL that reads one cell of export text: counts, shares, numbers, dates, times, links.

The macros are created on a reader of its own at once, and on an upload's connection when a
statement first calls them (`macros_for`, `raw_reader`); `column_sql` gives the
value and problem expressions of one raw column `c{index}` for a parser name of
`ingest.formats.PARSERS`. Kept in step with `ingest.counts.parse_count` (a property test checks
they agree).
"""

from __future__ import annotations

import re

from kpi_core.store.connection import check_identifier

# The parameter that "day" and "datetime" problems bind: the export date, as a DATE.
EXPORT_DATE = "export_date"

MISSING_MARKERS = ("", "undefined", "#n/a", "n/a", "na", "-", "--", "null", "none", "nan")
# In text (titles, handles, ids, territory codes) only the markers that are never real text:
# "NA" is Namibia's country code, and "None" or "Nan" can be a title or a name.
TEXT_MISSING_MARKERS = ("", "undefined", "#n/a", "n/a", "-", "--")

# The code points Python's str.strip() removes (chr(c).isspace()): SQL trims the same ones, so a
# tab or line break around a value means what it means in counts.parse_count (a test checks the list).
BLANK_CODEPOINTS = (
    *range(0x09, 0x0E),
    *range(0x1C, 0x21),
    0x85,
    0xA0,
    0x1680,
    *range(0x2000, 0x200B),
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
)

# A decimal number cell that is plain digits, read by a cast (15 digits: exact as a DOUBLE).
PLAIN_NUMBER = "[0-9]{1,15}"

# Counts: plain digits; 1,234 / 1.234 / 1 234 thousands; 1.2K, 3,4M; Excel's 12.0.
# Kept in step with counts.parse_count (a property test checks they agree).
MACROS = (
    r"""
CREATE OR REPLACE MACRO blank_trim(s) AS regexp_replace(s, '^__BLANKS__+|__BLANKS__+$', '', 'g');
CREATE OR REPLACE MACRO is_missing(s) AS
    s IS NULL OR lower(blank_trim(s)) IN (__MISSING__);
CREATE OR REPLACE MACRO count_text(s) AS
    upper(replace(replace(replace(blank_trim(s), chr(160), ''), chr(8239), ''), ' ', ''));
CREATE OR REPLACE MACRO count_value(s) AS (
    CASE
        -- Plain digits, nearly every cell of a real export, skip the trimming and the patterns below.
        WHEN regexp_full_match(s, '[0-9]{1,18}') THEN CAST(s AS BIGINT)
        WHEN is_missing(s) THEN NULL
        WHEN regexp_full_match(count_text(s), '[0-9]{1,18}') THEN TRY_CAST(count_text(s) AS BIGINT)
        WHEN regexp_full_match(count_text(s), '[0-9]{1,3}(,[0-9]{3})+')
            THEN TRY_CAST(replace(count_text(s), ',', '') AS BIGINT)
        WHEN regexp_full_match(count_text(s), '[0-9]{1,3}(\.[0-9]{3})+')
            THEN TRY_CAST(replace(count_text(s), '.', '') AS BIGINT)
        WHEN regexp_full_match(count_text(s), '[0-9]{1,15}\.0+')
            THEN TRY_CAST(split_part(count_text(s), '.', 1) AS BIGINT)
        WHEN regexp_full_match(count_text(s), '[0-9]{1,12}([.,][0-9]{1,6})?[KMB]')
            THEN TRY_CAST(round(
                TRY_CAST(replace(left(count_text(s), -1), ',', '.') AS DOUBLE)
                * CASE right(count_text(s), 1) WHEN 'K' THEN 1e3 WHEN 'M' THEN 1e6 ELSE 1e9 END
            ) AS BIGINT)  -- TRY_: "999999999999B" is past BIGINT; NULL (then "is not a count"), not an error
        ELSE NULL
    END);
CREATE OR REPLACE MACRO count_problem(s) AS (
    CASE
        WHEN regexp_full_match(s, '[0-9]{1,18}') THEN NULL
        WHEN is_missing(s) OR count_value(s) IS NOT NULL THEN NULL
        WHEN regexp_full_match(count_text(s), '[-−][0-9.,]+[KMB]?') THEN 'is negative'
        ELSE 'is not a count'
    END);
-- A day's net count (TikTok's daily Comments are net of deleted ones): a count, or a minus sign and
-- whole digits ("-3", "−1,234"). Macros are inlined where they are used: parsing a second, signed
-- copy of count_value made reading an Overview a third slower and a file of 300,000 bad cells
-- three times slower, so the sign has this one narrow form.
CREATE OR REPLACE MACRO net_count_value(s) AS (
    CASE
        WHEN regexp_full_match(s, '[0-9]{1,18}') THEN CAST(s AS BIGINT)
        WHEN regexp_full_match(count_text(s), '[-−]([0-9]{1,18}|[0-9]{1,3}(,[0-9]{3})+|[0-9]{1,3}(\.[0-9]{3})+)')
            THEN -TRY_CAST(regexp_replace(substr(count_text(s), 2), '[,.]', '', 'g') AS BIGINT)
        ELSE count_value(s)
    END);
CREATE OR REPLACE MACRO share_value(s) AS (
    CASE
        WHEN is_missing(s) THEN NULL
        WHEN trim(s) LIKE '%\%%' ESCAPE '\'
            THEN TRY_CAST(replace(replace(trim(s), '%', ''), ',', '.') AS DOUBLE) / 100
        ELSE TRY_CAST(replace(trim(s), ',', '.') AS DOUBLE)
    END);
CREATE OR REPLACE MACRO finite_or_null(x) AS CASE WHEN isfinite(x) THEN x END;
-- A decimal number (a cost, a duration). DuckDB casts "inf" and "-nan" too: they are no number.
-- Plain digits, most cells, skip the missing-marker check's trim (a scrape's durations: 4x faster).
CREATE OR REPLACE MACRO number_value(s) AS (
    CASE WHEN regexp_full_match(s, '__PLAIN_NUMBER__') THEN CAST(s AS DOUBLE)
         WHEN is_missing(s) THEN NULL
         ELSE finite_or_null(TRY_CAST(replace(replace(trim(s), ',', ''), ' ', '') AS DOUBLE)) END);
-- A handle "N/A" or an id "" is no value: not an account, not a video (all ids "" were one video).
CREATE OR REPLACE MACRO is_missing_text(s) AS
    s IS NULL OR lower(blank_trim(s)) IN (__TEXT_MISSING__);
-- Whether a text starts or ends with a blank (its first or last character's code point; s[-1] is
-- the last code point, as right(s, 1) is, at a third of its cost).
CREATE OR REPLACE MACRO blank_edge(s) AS
    list_contains([__BLANK_CODES__], ord(s)) OR list_contains([__BLANK_CODES__], ord(s[-1]));
-- A text longer than any marker with no blank at either end is no marker, and is read without
-- the trim's regex (titles, links and ids: most text cells; 2-4 times faster on a scrape). Its
-- length in code points, which lower() maps one to one ('UNDEFİNED' is 9 of them, 10 bytes).
CREATE OR REPLACE MACRO text_value(s) AS
    CASE WHEN s IS NULL THEN NULL
         WHEN length(s) > __LONGEST_TEXT_MARKER__ AND NOT blank_edge(s) THEN s
         WHEN is_missing_text(s) THEN NULL ELSE s END;
""".replace("__MISSING__", ", ".join(f"'{m}'" for m in MISSING_MARKERS))
    .replace("__TEXT_MISSING__", ", ".join(f"'{m}'" for m in TEXT_MISSING_MARKERS))
    .replace("__LONGEST_TEXT_MARKER__", str(max(len(m) for m in TEXT_MISSING_MARKERS)))
    .replace("__BLANK_CODES__", ", ".join(str(c) for c in BLANK_CODEPOINTS))
    .replace("__PLAIN_NUMBER__", PLAIN_NUMBER)
    .replace("__BLANKS__", "[" + "".join(f"\\x{{{c:x}}}" for c in BLANK_CODEPOINTS) + "]")
)  # an RE2 class: faster than trim()


def _macro_statements() -> dict[str, str]:
    """Each macro of MACROS by name: its CREATE statement (with the comment above it), in order."""
    statements = {}
    for statement in MACROS.split(";\n"):
        found = re.search(r"CREATE OR REPLACE MACRO (\w+)\(", statement)
        if found:
            statements[found.group(1)] = statement + ";"
    return statements


MACRO_STATEMENTS = _macro_statements()
_CALLED = re.compile(r"\b(\w+)\(")  # a name called: macro or function
# The macros each macro's body calls (macros are defined before those that call them).
_CALLS = {
    name: set(_CALLED.findall(statement)) & (MACRO_STATEMENTS.keys() - {name})
    for name, statement in MACRO_STATEMENTS.items()
}


def macros_for(sql: str, installed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The names of the macros `sql` calls, directly or through other macros, that are not in
    `installed`, in the order they must be created (MACROS's)."""
    # One pass for every name called, not one search per macro (5.6 -> 1.4 ms on a Studio download).
    wanted = {m for m in set(_CALLED.findall(sql)) if m in MACRO_STATEMENTS and m not in installed}
    pending = list(wanted)
    while pending:
        for called in _CALLS[pending.pop()] - wanted - set(installed):
            wanted.add(called)
            pending.append(called)
    return [m for m in MACRO_STATEMENTS if m in wanted]


# Columns of the FROM of `RawReader.normalise` besides c0..cN: the lookups' and the row number.
_NOT_VALUE_NAMES = frozenset({"raw", "value", "reason", "raw_row"})


def column_sql(
    parser: str,
    index: int,
    required: bool,
    lookup: str | None,
    first_hour: int = 0,
    value_name: str | None = None,
) -> tuple[str, str | None]:
    """(value, problem) SQL for raw column c{index} read with `parser`.

    The problem expression gives a reason text, or NULL when the value is usable. `lookup` is the
    table of date texts read in Python (columns raw, value, reason) for "day" and "datetime"; their
    problems bind the export date as `$export_date` (EXPORT_DATE). `first_hour` is the number an
    "hour" column gives the first hour of the day (0, or 1 in files numbering them 1 to 24): the
    value is always 0..23. `value_name`: the name the value is selected as, before the problem in
    the same SELECT, which the problem then reads (a lateral alias) instead of the value's whole
    expression: DuckDB bound and optimised each copy of the expanded macros anew, most of a small
    file's cost (a three-row FollowerGender.csv 8.7 -> 5.7 ms).
    """
    c = f"raw.c{int(index)}"
    if value_name is not None and (
        check_identifier(value_name) in _NOT_VALUE_NAMES or re.fullmatch(r"c[0-9]+", value_name)
    ):
        # DuckDB binds a column of the FROM before an alias: the problem would read that instead.
        raise ValueError(f"{value_name!r} names a column of the raw text or of a lookup, not a value")
    when_missing = "'is missing'" if required else "NULL"
    missing = f"WHEN is_missing({c}) THEN {when_missing}"
    if parser in ("count", "net_count"):
        net = parser == "net_count"
        value = f"{'net_' if net else ''}count_value({c})"
        if value_name is not None:
            return value, count_problem_sql(index, required, value_name, net=net)
        plain = f"WHEN regexp_full_match({c}, '[0-9]{{1,18}}') THEN NULL"  # the common case first
        if net:
            return value, f"CASE {plain} {missing} WHEN {value} IS NULL THEN 'is not a count' END"
        return value, f"CASE {plain} {missing} ELSE count_problem({c}) END"
    if parser == "text":
        # text_value is NULL exactly for a missing marker, and skips the marker check on long texts.
        value = f"text_value({c})"
        return value, (
            f"CASE WHEN {value_name or value} IS NULL THEN {when_missing} END" if required else None
        )
    if parser == "video_link":
        value = link_video_id_sql(c)
        return (
            value,
            f"CASE {missing} WHEN {value_name or value} IS NULL THEN 'has no video id in the link' END",
        )
    if parser in ("day", "datetime"):
        # SQL reads what it can (plain ISO days; ISO and epoch times); the lookup, when there is one,
        # holds the other texts as Python read them.
        looked_up = f"CAST({check_identifier(lookup)}.value AS TIMESTAMP)" if lookup else "NULL"
        reason = f"coalesce({lookup}.reason, 'is not a date')" if lookup else "'is not a date'"
        read = f"CAST({iso_day_sql(c)} AS TIMESTAMP)" if parser == "day" else datetime_sql(c)
        value = f"coalesce({read}, {looked_up})" if lookup else read
        read_value = value_name or value
        future = (
            f"CASE WHEN CAST({read_value} AS DATE) > CAST(${EXPORT_DATE} AS DATE) + 1 THEN 'is after the export date' END"
            if parser == "datetime"
            else "NULL"
        )
        # A date read is no missing marker (none reads as a date, and the lookup holds no marker):
        # the marker check, a trim by regex, is left for the cells without a date.
        return value, f"CASE WHEN {read_value} IS NOT NULL THEN {future} {missing} ELSE {reason} END"
    if parser == "share":
        value = f"share_value({c})"
        read_value = value_name or value
        return value, (
            f"CASE {missing} WHEN {read_value} IS NULL THEN 'is not a share' "
            f"WHEN {read_value} NOT BETWEEN 0 AND 1.0001 THEN 'is not a share between 0 and 100%' END"
        )
    if parser == "number":
        value = f"number_value({c})"
        return (
            value,
            f"CASE WHEN regexp_full_match({c}, '{PLAIN_NUMBER}') THEN NULL {missing} "
            f"WHEN {value_name or value} IS NULL THEN 'is not a number' END",
        )
    if parser == "hour":
        first = int(first_hour)
        value = f"{hour_sql(c)} - {first}"
        read_value = value_name or f"({value})"
        return (
            value,
            f"CASE {missing} WHEN {read_value} IS NULL OR {read_value} NOT BETWEEN 0 AND 23 "
            f"THEN 'is not an hour {first}-{first + 23}' END",
        )
    if parser == "bool":
        return f"lower(trim({c})) IN ('true', '1', 'yes')", None
    raise ValueError(f"unknown parser {parser!r}")


def count_problem_sql(index: int, required: bool, value_name: str, net: bool = False) -> str:
    """The problem of count column c{index}, read from its parsed value, selected as `value_name`
    before it (`column_sql`): the same answer as count_problem(), planned without parsing the text
    a second time. A `net` count (a day's net change) may be negative."""
    c = f"raw.c{int(index)}"
    value = check_identifier(value_name)
    when_missing = "'is missing'" if required else "NULL"
    if net:
        return (
            f"CASE WHEN regexp_full_match({c}, '[0-9]{{1,18}}') THEN NULL WHEN is_missing({c}) THEN {when_missing} "
            f"WHEN {value} IS NULL THEN 'is not a count' END"
        )
    return (
        f"CASE WHEN regexp_full_match({c}, '[0-9]{{1,18}}') THEN NULL WHEN is_missing({c}) THEN {when_missing} "
        f"WHEN {value} IS NOT NULL THEN NULL "
        f"WHEN regexp_full_match(count_text({c}), '[-−][0-9.,]+[KMB]?') THEN 'is negative' "
        "ELSE 'is not a count' END"
    )


def plain_count_sql(index: int, required: bool) -> tuple[str, str | None]:
    """(value, problem) of count column c{index} when every cell of it is plain digits, empty or a
    missing marker written bare (`RawReader.probe`): the same answers as `count_value`
    and its problem there, in an expression a fraction of the size. DuckDB plans the expanded
    macros anew for each file, and that planning, not the rows, was most of a small file's cost."""
    c = f"raw.c{int(index)}"
    # On such a column a cast reads exactly the digits: 1 to 18 of them fit a BIGINT, and no
    # missing marker casts (a test checks each). Half the cost of matching the digits first.
    value = f"TRY_CAST({c} AS BIGINT)"
    return value, (f"CASE WHEN {value} IS NULL THEN 'is missing' END" if required else None)


def plain_cell_sql(c: str) -> str:
    """True when a cell is plain digits, NULL or a missing marker as it is (no blanks around)."""
    markers = ", ".join(f"'{m}'" for m in MISSING_MARKERS)
    # CASE, not OR: DuckDB computes every operand of an OR for every row, a CASE branch only for
    # the rows that reach it (the markers are looked up for the cells that are not digits).
    return (
        f"(CASE WHEN regexp_full_match({c}, '[0-9]{{1,18}}') THEN true "
        f"ELSE {c} IS NULL OR lower({c}) IN ({markers}) END)"
    )


def hour_sql(c: str) -> str:
    """The hour number an "hour" cell writes ("13", "13:00"), or NULL."""
    return f"TRY_CAST(split_part(trim({c}), ':', 1) AS INTEGER)"


def total_row_sql(index: int) -> str:
    """Problem SQL that skips a report's summary row ("Total of 60 results")."""
    c = f"raw.c{int(index)}"
    return (
        f"CASE WHEN regexp_matches(lower(coalesce({c}, '')), '^\\s*total( of [0-9.,]+ results?)?\\s*$') "
        "THEN 'is the report''s total row, not an ad: skipped' END"
    )


def lookup_join(lookup: str, index: int, source: str) -> str:
    """Join the lookup made by SQL `source` (`RawReader.lookup`), named `lookup`, on raw column c{index}."""
    table = check_identifier(lookup)
    return f"LEFT JOIN {source} AS {table} ON {table}.raw = raw.c{int(index)}"


def iso_day_sql(c: str) -> str:
    """A plain ISO day ("2016-01-01") read in SQL, when it is a real day on or before the export
    date (`$export_date`, one day of slack); NULL for every other text, which Python reads (with
    the reason when it is no date), once per distinct text."""
    return (
        f"CASE WHEN regexp_full_match({c}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
        f"AND TRY_CAST({c} AS DATE) BETWEEN DATE '0001-01-01' AND CAST(${EXPORT_DATE} AS DATE) + 1 "
        f"THEN TRY_CAST({c} AS DATE) END"
    )


# The shape of a scraper's posting time, "2018-05-05T17:32:56.000Z", as a LIKE pattern.
SCRAPER_TIME_SHAPE = "____-__-__T__:__:__.___Z"


def datetime_sql(c: str) -> str:
    """ISO timestamps and epoch seconds (or milliseconds), read in SQL, as UTC when they say so.

    Through TIMESTAMPTZ: a plain cast to TIMESTAMP drops an offset ("01:44+02:00" stayed 01:44);
    with the connection's zone UTC, "…Z" and epochs stay as they are and "+02:00" moves to UTC.
    A scraper's own form ("2018-05-05T17:32:56.000Z", UTC) is cast straight to TIMESTAMP, a third
    of the cost; a text of its shape that this cast does not read takes the general way. Not one
    with a space: the cast stops reading there ("…:56.00 Z" would be a time; it is not one).
    """
    general = (
        f"coalesce(TRY_CAST(TRY_CAST(trim({c}) AS TIMESTAMPTZ) AS TIMESTAMP), CASE "
        f"WHEN regexp_full_match(trim({c}), '[0-9]{{9,10}}') THEN make_timestamp(CAST(trim({c}) AS BIGINT) * 1000000) "
        f"WHEN regexp_full_match(trim({c}), '[0-9]{{12,13}}') THEN make_timestamp(CAST(trim({c}) AS BIGINT) * 1000) END)"
    )
    # In a CASE: DuckDB computed the general way's trims for every row when a coalesce held both.
    return (
        f"CASE WHEN {c} LIKE '{SCRAPER_TIME_SHAPE}' AND NOT contains({c}, ' ') "
        f"THEN coalesce(TRY_CAST({c} AS TIMESTAMP), {general}) "
        f"ELSE {general} END"
    )


# A video link's id and handle. An expression that is written twice in a statement (as
# nullif(x, '') writes x) is computed once for every row before the coalesce around it: the first
# match of regexp_extract_all, NULL when there is none, is read only where the file's own id or
# handle is missing (a 200,000-row scrape: 70 ms less).
def link_video_id_sql(c: str) -> str:
    """The video id in a video link ("…/video/7301234567890123456"), or NULL."""
    return f"regexp_extract_all({c}, '/video/([0-9]+)', 1)[1]"


def link_handle_sql(c: str) -> str:
    """The handle in a video link ("https://www.tiktok.com/@brand/video/1" gives "brand"): what
    follows the first "@", up to a "/" or "?" (accounts.link_handle, in SQL); NULL when nothing does."""
    return f"regexp_extract_all({c}, '^[^@]*@([^/?]+)', 1)[1]"
