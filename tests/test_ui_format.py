"""How the pages write values for people: posting times, rates and the Styler of a video list."""

import math
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pandas.io.formats.style import Styler

from kpi_core.metrics.comparison import compare_periods
from kpi_core.store import Store
from tests.conftest import add_days
from ui.cards import card_notes, kpi_rows, overview_cards
from ui.format import NO_VALUE, gaps_as_text, handle, plural, points, posted_text, text_columns
from ui.tables import (
    DAY_AND_TIME,
    DAY_ONLY,
    PERCENT_POINTS,
    formatted,
    printed_numbers,
    rate_points,
    video_columns,
    video_list,
    video_styler,
)
from ui.text import escape_md, markdown_table
from ui.uplift import PRINTED, UPLIFT_FORMATS, UPLIFT_ORDER, comparison_table, hashtag_table, shown_table

WEEK = ("2026-03-01", "2026-03-07")


def test_a_posting_time_shows_its_hour_only_when_the_export_gave_one():
    posted = datetime(2026, 6, 7, 15, 5)
    assert posted_text(posted, time_known=True) == "Sun 7 Jun 2026, 15:05"
    assert posted_text(posted.replace(hour=0, minute=0), time_known=False) == "Sun 7 Jun 2026"
    assert posted_text(pd.NaT, time_known=True) == NO_VALUE


def test_a_video_list_formats_each_row_by_what_its_export_knew():
    videos = pd.DataFrame(
        {
            "posted_at": pd.to_datetime(["2026-06-13 00:00", "2026-06-14 15:30", None]),
            "posted_time_known": [False, True, True],
            "like_rate": [0.0456, None, 0.07],
        }
    )
    shown = video_styler(videos).to_string(delimiter="|").splitlines()
    assert shown[1:] == [
        "0|Sat 13 Jun 2026|False|4.56%",
        "1|Sun 14 Jun 2026, 15:30|True|n/a",
        "2|n/a|True|7.00%",
    ]


def test_a_handle_gets_its_at_sign_but_the_placeholder_account_does_not():
    assert handle("brand.name") == "@brand.name"
    assert handle("my account") == "my account"  # files that named no handle: not a handle


# --- KPI cards: the core's statements, worded for st.metric -------------------------------------------


def overview(rows: list[dict], start: str, end: str) -> pd.DataFrame:
    store = Store()
    add_days(store, rows)
    comparison = compare_periods(store, "brand", start, end)
    store.close()
    return comparison


def test_a_card_without_earlier_data_says_so_without_an_arrow():
    comparison = overview([{"date": f"2026-03-0{d}", "likes": 10, "views": 100} for d in range(1, 8)], *WEEK)
    likes = next(c for c in overview_cards(comparison) if c.label == "Likes")
    assert (likes.value, likes.delta, likes.muted, likes.delta_note) == ("70", "no earlier data", True, None)
    assert "Previous period: no earlier data." in likes.help


def test_the_videos_card_of_a_sample_shows_no_change_and_keeps_the_count_before(shape_store):
    _, store = shape_store("declining")  # Content exports only: 5 videos listed now, 4 before
    cards = {c.label: c for c in overview_cards(compare_periods(store, None, "2025-11-13", "2026-02-10"))}
    videos = cards["Videos"]
    assert (videos.value, videos.delta, videos.muted) == ("5", "not compared", True)
    assert videos.help.endswith(
        "Previous period: 4 (not compared: the videos listed are a sample of the posts, so their number is a "
        "floor, not a count)."
    )


def test_a_card_over_a_partly_covered_previous_period_shows_the_change_and_the_coverage():
    rows = [{"date": f"2026-02-2{d}", "likes": 20, "views": 100} for d in (7, 8)]
    rows += [{"date": f"2026-03-0{d}", "likes": 10, "views": 100} for d in range(1, 8)]
    by_label = {c.label: c for c in overview_cards(overview(rows, *WEEK))}
    assert (by_label["Likes"].delta, by_label["Likes"].delta_note) == ("+30", "previous: 2 of 7 days")
    assert by_label["Likes"].muted is True  # 70 likes on 7 days against 20 on 2: no green "+30"
    assert "This period: 70 likes / 7 days." in by_label["Likes per day"].help
    assert "Previous period: 20 (2 days)." in by_label["Likes per day"].help


def test_a_card_without_a_value_shows_the_headline_and_the_page_the_whole_reason():
    rows = [
        {"date": f"2026-03-0{d}", "likes": 10, "views": 100, "comments": 0, "shares": 0, "followers": 64}
        for d in range(1, 8)
    ]
    comparison = overview(rows, *WEEK)
    card = next(c for c in overview_cards(comparison) if c.label == "Engagement rate by follower")
    assert (card.value, card.delta, card.muted) == ("n/a", "64 followers on average", True)
    notes = card_notes(comparison)
    assert any(
        n.startswith(
            "Engagement rate by follower — 64 followers on average: a rate by follower needs at least"
        )
        for n in notes
    )
    assert "Profile views — no data: no daily profile views in the period." in notes
    # No file lists videos: the like rate is the daily totals' (10%), the video count has none.
    assert next(c for c in overview_cards(comparison) if c.label == "Like rate").value == "10.00%"
    assert (
        "Videos — no video list: none of the files lists this account's videos (TikTok Studio's Content "
        "export, a scrape or TikTok's data archive does)."
    ) in notes


def test_a_card_without_earlier_data_says_how_few_of_its_days_have_data():
    # download_7d: "Likes 410" over a 63-day period whose daily data covers 5 days.
    rows = [{"date": f"2026-03-0{d}", "likes": 10, "views": 100} for d in (5, 6, 7)]
    by_label = {c.label: c for c in overview_cards(overview(rows, *WEEK))}
    assert (by_label["Likes"].value, by_label["Likes"].delta) == ("30", "no earlier data")
    assert by_label["Likes"].delta_note == "on 3 of 7 days"
    assert by_label["Likes per day"].delta_note == "on 3 of 7 days"


def test_the_kpi_table_is_text_with_no_placeholder():
    rows = [{"date": f"2026-03-0{d}", "likes": 1, "views": 0} for d in range(1, 8)]
    table = kpi_rows(overview(rows, *WEEK))
    cells = [str(v) for v in table.to_numpy().ravel()]
    assert not table.isna().any().any()
    for bad in ("None", "nan", "inf", "0.000000", "1 videos", "1 days"):
        assert not [c for c in cells if bad in c], bad
    like_rate = table[(table["KPI"] == "Like rate") & (table["From"] == "daily totals")].iloc[0]
    assert (like_rate["This period"], like_rate["Note"]) == ("n/a", "the views add up to 0")


@pytest.mark.parametrize(
    ("count", "noun", "text"),
    [(1, "video", "1 video"), (2, "video", "2 videos"), (1_234, "day", "1,234 days")],
)
def test_plural_agrees_with_the_count(count, noun, text):
    assert plural(count, noun) == text


def test_text_columns_write_missing_numbers_as_n_a():
    frame = pd.DataFrame({"rate": [0.0345, float("nan")], "diff": [0.01, None], "name": ["a", None]})
    shown = text_columns(frame, {"rate": "{:.2%}", "diff": points})
    assert shown["rate"].tolist() == ["3.45%", NO_VALUE] and shown["diff"].tolist() == ["+1.00 pp", NO_VALUE]
    assert shown["name"].iloc[0] == "a"  # other columns untouched


# --- video lists without a Styler where column settings can say it ------------------------------------


def videos_posted(times: list[str], known: list[bool], rates: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": [f"video {i}" for i in range(len(times))],
            "url": ["https://www.tiktok.com/@b/video/1"] * len(times),
            "posted_at": pd.to_datetime(times),
            "posted_time_known": known,
            "like_rate": rates,
            "outlier": [""] * len(times),
        }
    )


def test_a_video_list_whose_exports_agree_on_the_hour_is_formatted_by_its_columns():
    scraped = videos_posted(["2026-06-14 15:30", "2026-06-15 09:05"], [True, True], [0.0456, 0.07])
    frame, formats = video_list(scraped)
    assert isinstance(frame, pd.DataFrame)  # no Styler: the browser formats it
    assert frame["like_rate"].tolist() == [4.56, 7.0]
    assert formats == {"like_rate": PERCENT_POINTS, "posted_at": DAY_AND_TIME}
    studio = videos_posted(["2026-06-13", "2026-06-14"], [False, False], [0.0456, 0.07])
    assert video_list(studio)[1]["posted_at"] == DAY_ONLY  # no made-up midnight


@pytest.mark.parametrize(
    ("known", "rates", "highlight", "why"),
    [
        ([True, False], [0.01, 0.02], None, "the exports disagree on the hour"),
        ([True, True], [0.01, 0.02], "outlier", "a row to shade"),
    ],
)
def test_a_video_list_keeps_its_styler_where_a_column_setting_cannot_say_it(known, rates, highlight, why):
    videos = videos_posted(["2026-06-14 15:30", "2026-06-15 00:00"], known, rates)
    videos.loc[0, "outlier"] = "likes"
    shown, formats = video_list(videos, highlight=highlight)
    assert isinstance(shown, Styler), why
    assert formats == {}


def test_a_video_list_with_a_missing_rate_keeps_its_styler_to_write_it_out():
    # A number column would read "4.56%" as 0.0456 and show "n/a" as an error.
    videos = videos_posted(["2026-06-14 15:30", "2026-06-15 10:00"], [True, True], [0.0456, None])
    shown, formats = video_list(videos)
    assert isinstance(shown, Styler) and formats == {}
    assert shown.to_string(delimiter="|").splitlines()[1].endswith("|4.56%|")


def test_a_posting_time_whose_flag_is_missing_reads_as_a_day():
    videos = videos_posted(["2026-06-13 00:00", "2026-06-14 00:00"], [False, False], [0.01, 0.02])
    videos["posted_time_known"] = pd.array([False, None], dtype="boolean")
    assert video_list(videos)[1]["posted_at"] == DAY_ONLY


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_a_rate_in_points_is_the_number_its_text_shows(rate):
    points = rate_points(pd.Series([rate]))[0]
    assert f"{points:.2f}%" == f"{rate:.2%}"


def test_formatted_puts_the_format_into_a_column_setting_and_keeps_the_rest():
    columns = video_columns()
    out = formatted(columns, {"like_rate": PERCENT_POINTS})
    assert out["like_rate"]["type_config"]["format"] == PERCENT_POINTS
    assert (
        out["like_rate"]["label"] == "Like rate" and out["like_rate"]["help"] == columns["like_rate"]["help"]
    )
    assert (
        columns["like_rate"]["type_config"]["format"] is None
    )  # the settings passed in are left as they were


def test_a_markdown_table_keeps_every_cell_in_its_column_and_shows_user_text_as_text():
    frame = pd.DataFrame(
        {
            "KPI": ["Like rate", "a | b", "**bold** <b>x</b>", None],
            "Note": ["two\nlines", "", "[link](http://x)", float("nan")],
        }
    )
    table = markdown_table(frame)
    lines = table.splitlines()
    assert lines[:2] == ["| KPI | Note |", "| --- | --- |"]
    assert len(lines) == 2 + len(frame)
    for line in lines:  # three separators a line: nothing a cell holds splits it
        assert len(re.findall(r"(?<!\\)\|", line)) == 3, line
    assert lines[2] == "| Like rate | two lines |"
    assert lines[3] == r"| a \| b |  |"
    assert lines[4] == "| \\*\\*bold\\*\\* \\<b\\>x\\</b\\> | \\[link\\]\\(http\\:\u2060//x\\) |"
    assert lines[5] == "|  |  |"  # missing values are empty cells, never "None" or "nan"


def _as_html(text: str) -> str:
    """`text` as a CommonMark renderer writes plain text in HTML (escape_md's word joiners kept)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _rendered_text(text: str) -> str:
    """What a CommonMark renderer shows of escape_md(text), word joiners dropped."""
    html = MarkdownIt("commonmark").enable("table").render(escape_md(text))
    return html.removeprefix("<p>").removesuffix("</p>\n").replace("\u2060", "")


@given(
    st.text(st.characters(codec="ascii", exclude_categories=("Cc",)), min_size=1).filter(
        lambda t: t == t.strip() and "  " not in t
    )
)
@example("Tom &amp; Jerry &lt;b&gt;")
@example("1. **sale** <b>now</b> | [link](http://x) #1 `code` ~~gone~~ _it_ > quote")
@example("- item")
def test_escaped_text_renders_as_itself_never_as_markdown_or_html(text):
    """A title such as "**sale** <b>now</b> &amp; #1" shows character for character: no emphasis,
    link, heading, list, table cell, tag or entity (an unescaped "&amp;" would show as "&")."""
    assert _rendered_text(text) == _as_html(text)


# The forms Streamlit reads in the text Markdown leaves once the escapes are taken off
# (StreamlitMarkdown: remark-gfm's links, :material/…: icons, :emoji: shortcodes, arrows).
STREAMLIT_FORMS = [
    re.compile(r"(?i)\bwww\."),  # a link
    re.compile(r"(?i)\bhttps?://"),  # a link
    re.compile(r"[\w.+-]@\w"),  # an e-mail link
    re.compile(r":[\w/]"),  # :material/home:, :streamlit:, :smile:, :red[...]
    re.compile(r"(<-|->|--|>=|<=|~=)"),  # arrows and dashes
]


@example("see www.evil-shop.com or https://phish.example/login, me@evil.example")
@example(":material/home: :streamlit: :smile: :red[alert] 10:30")
@example("Before -> after -- x >= 3 <= 4 ~= 5 <-> <- =>")
@given(st.text(st.sampled_from("wWh:tps/@.-<>=~ ame1"), max_size=30))
def test_escaped_text_holds_no_form_streamlit_would_turn_into_a_link_icon_or_arrow(text):
    """After Markdown takes the escapes off, no such form is left whole: a word joiner (U+2060)
    sits inside each, and the text reads the same without it."""
    shown = re.sub(r"\\(.)", r"\1", escape_md(text))  # what Markdown leaves: the escapes taken off
    for form in STREAMLIT_FORMS:
        assert not form.search(shown), (form.pattern, shown)
    assert shown.replace("\u2060", "") == re.sub(r"(?m)^[ \t]+", "", text)


def test_a_handle_or_a_sentence_with_a_colon_keeps_no_invisible_character():
    """Only the forms above get a word joiner: a handle copied from the page is the handle."""
    for text in ("@lumen.skincare", "column 'Date': 'nonsense'", "(@brand)", "Q&A: tips"):
        assert "\u2060" not in escape_md(text), text


def test_escaped_lines_make_no_heading_and_no_code_block():
    assert "<h1>" not in MarkdownIt("commonmark").render(escape_md("Big news\n==="))
    assert "<h2>" not in MarkdownIt("commonmark").render(escape_md("Big news\n---"))
    assert "<code>" not in MarkdownIt("commonmark").render(escape_md("    indented title"))
    assert "<code>" not in MarkdownIt("commonmark").render(
        escape_md("title\r\r    indented")
    )  # old Mac lines
    assert _rendered_text("Big news\n===") == "Big news\n==="


COMPARED = {
    "hashtag": "#serum",
    "videos_with": 6,
    "videos_without": 9,
    "likes_per_video_with": 890.5,
    "likes_per_video_without": 1000.0,
    "likes_uplift": 234.4,
    "likes_uplift_low": -0.4,
    "likes_uplift_high": 480.0,
    "likes_uplift_rel": 0.2344,
    "like_rate_with": 0.0456,
    "like_rate_without": 0.04,
    "like_rate_uplift": 0.0056,
    "like_rate_uplift_low": -0.0000275,
    "like_rate_uplift_high": 0.0123,
    "enough_support": True,
    "likes_verdict": "no clear difference",
    "like_rate_verdict": "no clear difference",
}


def test_a_complete_comparison_table_is_sent_without_a_styler_its_numbers_as_their_text_shows_them():
    table, columns, styled = comparison_table(pd.DataFrame([COMPARED]), "hashtag", "Hashtag")
    assert styled is None and not isinstance(shown_table(table, styled), Styler)
    row = table.iloc[0]
    assert (row["like_rate_with"], row["like_rate_without"]) == (4.56, 4.0)
    assert (row["like_rate_uplift"], row["like_rate_uplift_high"]) == (0.56, 1.23)
    assert row["like_rate_uplift_low"] == -0.001  # "-0.00 pp", as before: a negative zero reads "+0.00"
    assert (row["likes_per_video_with"], row["likes_uplift"]) == (890.0, 234.0)  # "890", Python's rounding
    assert row["likes_uplift_low"] == -0.1  # "-0", as before
    formats = {
        name: columns[name]["type_config"].get("format") for name in UPLIFT_FORMATS if name in UPLIFT_ORDER
    }
    assert formats == {
        "likes_per_video_with": "%,.0f",
        "likes_per_video_without": "%,.0f",
        "likes_uplift": "%+,.0f",
        "likes_uplift_low": "%+,.0f",
        "likes_uplift_high": "%+,.0f",
        "like_rate_with": PERCENT_POINTS,
        "like_rate_without": PERCENT_POINTS,
        "like_rate_uplift": "%+.2f pp",
        "like_rate_uplift_low": "%+.2f pp",
        "like_rate_uplift_high": "%+.2f pp",
    }


def test_a_hashtag_s_shrunk_like_rate_is_held_as_the_percentage_its_text_shows():
    # The Content page's hashtag table: the Welch likes columns, and the like rate against the account's
    # (hashtags.hashtag_table's uplift), a number that sorts as one, written "+6.9%".
    shrunk = {
        "uplift": 0.06925,
        "low": -0.22,
        "high": 0.47,
        "verdict": "can't tell yet",
        "videos_needed": 110,
    }
    frame = pd.DataFrame([{**COMPARED, **shrunk}]).drop(columns=["like_rate_uplift", "like_rate_verdict"])
    table, columns, styled = hashtag_table(frame, set_videos=38)
    assert styled is None
    row = table.iloc[0]
    assert row["uplift"] == 6.9 and columns["uplift"]["type_config"]["format"] == "%+.1f%%"
    assert _printf("%+.1f%%", row["uplift"]) == f"{shrunk['uplift']:+.1%}" == "+6.9%"
    assert (row["interval"], row["needed"]) == ("-22.0% to +47.0%", "about 110 videos")


def _printf(fmt: str, value: float) -> str:
    """What the browser's printf (sprintf-js) writes for the comparison table's formats ("%+,.2f pp"
    and the like): a sign from `value >= 0` ("+" only with the flag), then JavaScript's toFixed,
    which rounds the exact binary value half away from zero, with "," grouping its thousands."""
    flags, decimals, suffix = re.fullmatch(r"%([+,]*)\.(\d)f(.*)", fmt).groups()  # type: ignore[union-attr]
    digits = Decimal(abs(value)).quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    number = f"{digits:,f}" if "," in flags else f"{digits:f}"
    sign = ("+" if "+" in flags else "") if value >= 0 else "-"
    return sign + number + suffix.replace("%%", "%")


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.sampled_from(sorted(PRINTED)))
@example(890.5, "likes_per_video_with")
@example(-0.4, "likes_uplift_low")
@example(-0.5, "likes_uplift")
@example(-1234.5, "likes_uplift_high")
@example(-0.0000275, "like_rate_uplift_low")
@example(0.000125, "like_rate_with")
def test_a_complete_table_s_number_is_written_by_the_browser_as_the_styler_writes_it(value, name):
    assume(not (value == 0 and math.copysign(1.0, value) < 0))  # a negative zero has no minus in the browser
    if name in ("like_rate_with", "like_rate_without"):
        assume(value >= 0)  # a rate
    decimals, scale, fmt = PRINTED[name]
    written = UPLIFT_FORMATS[name]
    python_text = written.format(value) if isinstance(written, str) else written(value)
    sent = printed_numbers(pd.Series([value]), decimals, scale)[0]
    assert _printf(fmt, sent) == python_text


def test_a_comparison_table_with_a_gap_writes_it_n_a_and_the_rates_as_before():
    gap = {**COMPARED, "like_rate_uplift_low": float("nan"), "like_rate_uplift_high": float("nan")}
    rows, columns, styled = comparison_table(pd.DataFrame([gap]), "hashtag", "Hashtag")
    table = shown_table(rows, styled)
    assert isinstance(table, Styler)
    cells = dict(
        zip(table.data.columns, table.to_string(delimiter="|").splitlines()[1].split("|")[1:], strict=True)
    )
    assert (cells["like_rate_with"], cells["like_rate_uplift"]) == ("4.56%", "+0.56 pp")
    assert (cells["like_rate_uplift_low"], cells["like_rate_uplift_high"]) == (NO_VALUE, NO_VALUE)
    assert (cells["likes_per_video_with"], cells["likes_uplift_low"]) == ("890", "-0")
    # a difference written out in points is shown as text: the grid cannot read "+0.56 pp" as a number
    written = columns["like_rate_uplift_low"]
    assert (written["type_config"]["type"], written["alignment"]) == ("text", "right")
    assert written["label"] == "95% interval from"
    assert (
        columns["like_rate_uplift"]["type_config"]["type"] == "number"
    )  # complete: a number, in the Styler's text
    likes_gap = {**COMPARED, "likes_uplift_low": float("nan")}
    _, columns, _ = comparison_table(pd.DataFrame([likes_gap]), "hashtag", "Hashtag")
    assert columns["likes_uplift_low"]["type_config"]["type"] == "number"  # it reads "-338", and sorts it


def test_a_missing_count_of_an_int64_column_is_written_n_a_not_pandas_na():
    # pd.NA formats as "<NA>" ("{:,.0f}".format(pd.NA)): the Trends table of an export without
    # likes showed "<NA>" in Likes, Comments and Shares, and the Content list in Views.
    counts = pd.DataFrame({"likes": pd.array([None, 1234], dtype="Int64")})
    assert text_columns(counts, {"likes": "{:,.0f}"})["likes"].tolist() == [NO_VALUE, "1,234"]
    written, columns = gaps_as_text(counts, {})
    assert written["likes"].tolist() == [NO_VALUE, "1,234"] and columns == {"likes"}
