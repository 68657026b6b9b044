"""Download files, made by the same functions the buttons call (no browser): PNG, SVG, the report."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from defusedxml import ElementTree

from kpi_core.report import summary as report
from ui import charts, downloads

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def likes_chart():
    """The Overview's chart on 35 hand-made days (aggregated data, as the page passes it)."""
    days = pd.date_range("2026-03-01", periods=35, freq="D")
    likes = pd.Series([100.0 + 10 * (i % 7) for i in range(35)])
    daily = pd.DataFrame(
        {
            "date": days,
            "likes": likes,
            "likes_7d": likes.rolling(7).mean(),
            "likes_28d": likes.rolling(28).mean(),
        }
    )
    return charts.likes_over_time_chart(daily)


def test_a_chart_downloads_as_a_png(likes_chart):
    data = downloads.png_bytes(downloads.chart_spec(likes_chart))
    assert data.startswith(PNG_SIGNATURE)
    width = int.from_bytes(data[16:20], "big")  # IHDR: the image is drawn at twice the spec's size
    assert width > 2 * downloads.EXPORT_WIDTH


def test_a_chart_downloads_as_an_svg_that_parses_as_xml(likes_chart):
    text = downloads.svg_text(downloads.chart_spec(likes_chart))
    root = ElementTree.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Likes per day" in text  # the axis title, drawn as text


def test_a_chart_file_carries_a_title_with_the_account_and_the_period(likes_chart):
    period = downloads.Period("brand", date(2026, 3, 1), date(2026, 4, 4), False)
    spec = downloads.chart_spec(likes_chart, title=downloads.chart_title("Likes chart", period))
    assert spec["title"]["text"] == "Likes chart"
    assert spec["title"]["subtitle"] == "@brand · 1 Mar – 4 Apr 2026"
    svg = downloads.svg_text(spec)
    assert "Likes chart" in svg and "@brand · 1 Mar – 4 Apr 2026" in svg
    assert downloads.png_bytes(spec).startswith(PNG_SIGNATURE)


def test_the_file_spec_gets_a_width_and_keeps_the_data_inline(likes_chart):
    spec = downloads.chart_spec(likes_chart, width=640, height=200)
    assert (spec["width"], spec["height"]) == (640, 200)
    assert sum(len(v) for v in spec["datasets"].values()) > 35  # the aggregated rows, nothing fetched
    assert "url" not in str(spec.get("data", ""))


def test_the_report_inlines_the_chart_as_svg(likes_chart):
    data = report.Report(
        account="brand",
        date_from=date(2026, 3, 1),
        date_to=date(2026, 4, 4),
        generated=datetime(2026, 4, 5, 8, 0),
        cards=(),
        trend_verdict="no clear trend",
        trend_sentence="No clear trend.",
    )
    page = downloads.report_file(data, likes_chart).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 1 and "Likes per day" in page  # vl-convert's SVG passes the report's check
    assert "Likes KPI report: @brand, 1 Mar – 4 Apr 2026" in page
    assert "<svg" not in downloads.report_file(data, None).decode("utf-8")


@pytest.mark.parametrize(
    ("parts", "stem"),
    [
        (("lumen.skincare", date(2026, 8, 23), date(2026, 11, 20)), "lumen.skincare_2026-08-23_2026-11-20"),
        (("../../etc/passwd",), "etc-passwd"),
        (("<img src=x onerror=alert(1)>", "x"), "img-src-x-onerror-alert-1_x"),
        (("ελληνικά",), "download"),
    ],
)
def test_file_names_keep_only_safe_characters(parts, stem):
    assert downloads.file_stem(*parts) == stem


def test_the_overview_offers_every_download_and_makes_none_until_clicked():
    from streamlit.testing.v1 import AppTest

    from ui.session import DEMO_ACCOUNT
    from ui.widgets import Filters

    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=120)
    at.session_state["filters"] = Filters(DEMO_ACCOUNT, date(2026, 8, 23), date(2026, 11, 20), False)
    at.run()
    assert not at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels == [
        "KPI table (CSV)",
        "KPI table (XLSX)",
        "Videos (CSV)",
        "Videos (XLSX)",
        "Likes chart (PNG)",
        "Likes chart (SVG)",
        "Report (HTML)",
        "Save workspace",
    ]
    # Each button holds a callable: the file is made on click, not on every rerun.
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)


def _report_of_the_demo() -> None:  # an AppTest script: runs in Streamlit, so its imports are its own
    from datetime import date

    import streamlit as st

    from ui import downloads, session
    from ui.widgets import Period

    for include_provisional in (False, True):
        period = Period(session.DEMO_ACCOUNT, date(2026, 8, 23), date(2026, 11, 20), include_provisional)
        comparison = session.memo(
            downloads.compare_periods, period.account, period.date_from, period.date_to, include_provisional
        )
        data, _ = downloads.build_report(period, comparison)
        st.write(repr(data.notes))


def test_the_report_says_which_days_its_per_day_figures_compare():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_report_of_the_demo, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.markdown] == [
        repr(
            (
                "Per-day figures compare 23 Aug – 18 Nov 2026 (88 days) with the 88 days before: the daily "
                "data after 18 Nov is provisional, as TikTok may still update it.",
            )
        ),
        # With provisional days included: the Overview's provisional 19 Nov counts; 20 Nov, which
        # only the Followers file has, has no likes to count.
        repr(
            (
                "Per-day figures compare 23 Aug – 19 Nov 2026 (89 days) with the 89 days before: the files "
                "loaded have no Overview data after 19 Nov (upload a newer Overview export to include those "
                "days).",
            )
        ),
    ]
