"""A marketer's path in a real browser: upload, read the KPIs, move a slider, share the link."""

import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, metric_values, screenshot, settle

pytestmark = pytest.mark.browser
STUDIO = ROOT / "tests" / "fixtures" / "studio"
UPLOADS = [
    STUDIO / "Overview_2026-01-04_1767657600_sample.brand.zip",
    STUDIO / "Content.csv",
    STUDIO / "Viewers.csv",
    STUDIO / "Followers_sample.brand.zip",
]


def go_to(page, title: str) -> None:
    link = page.locator("[data-testid='stSidebarNavLink']", has_text=title).first
    path = urllib.parse.urlparse(link.get_attribute("href")).path
    link.click()
    page.wait_for_url(lambda url: urllib.parse.urlparse(url).path == path)  # the new page's run has begun
    settle(page)


def upload(page, files) -> str:
    go_to(page, "Your data")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(files)
    # The browser sends the files over HTTP before the rerun that reads them starts, so an idle
    # page is not yet proof they were read: wait for each file's line under "What was read".
    for name in (f["name"] if isinstance(f, dict) else f.name for f in files):
        page.get_by_test_id("stText").filter(has_text=name).first.wait_for(timeout=60_000)
    settle(page)
    return page.inner_text("[data-testid='stMain']")


def choose(page, label: str, option: str) -> None:
    page.locator("[data-testid='stSelectbox']", has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def cli_score(files) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "kpi_core", "score", *map(str, files), "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


def test_uploaded_exports_give_the_same_kpis_as_the_command_line(new_page):
    page = new_page()
    text = upload(page, UPLOADS)
    screenshot(page, "upload-summary")
    assert (
        "Overview.csv: TikTok Studio Overview, @sample.brand, 24 Dec 2025 – 4 Jan 2026 · 12 rows: 12 accepted"
        in text
    )
    assert "Content.csv: TikTok Studio Content, @sample.brand" in text
    go_to(page, "Overview")
    choose(page, "Period", "All data")
    screenshot(page, "overview-uploaded")
    shown = metric_values(page)
    expected = cli_score(UPLOADS)
    assert shown["Likes"] == f"{expected['per_day']['likes']:,}"
    assert shown["Like rate"] == f"{expected['per_video']['like_rate']:.2%}"
    assert shown["Videos"] == str(expected["per_video"]["videos"])
    assert "demo account" not in page.inner_text("[data-testid='stSidebar']")


def slider_value(page, label: str) -> float:
    slider = page.locator("[data-testid='stSlider']", has_text=label).first
    return float(slider.locator("[data-testid='stSliderThumbValue']").inner_text().replace("%", ""))


def reach_text(page) -> str:
    card = page.locator("[data-testid='stMetric']", has_text="Target reached on").first
    return card.locator("[data-testid='stMetricValue']").inner_text()


def test_a_slider_moved_with_the_keyboard_changes_the_reach_date_and_the_link_restores_it(new_page):
    page = new_page(
        "what-if?metric=likes&target=60000&start=2026-11-19&deadline=2027-02-28&posts_per_week=3"
        "&like_rate_change=0&views_change=0&follower_change=0"
    )
    before = reach_text(page)
    thumb = page.locator("[data-testid='stSlider']", has_text="Posts per week").first.get_by_role("slider")
    thumb.focus()
    for _ in range(round(3 / _posting_step())):  # 3 -> 6 posts a week, in the slider's own steps
        page.keyboard.press("ArrowRight")
        settle(page)  # each press reruns the scenario panel: wait, so no press lands mid-rerun
    settle(page)
    after = reach_text(page)
    screenshot(page, "what-if")
    assert slider_value(page, "Posts per week") == 6.0
    assert after != before
    shared = page.url
    assert "posts_per_week=6" in shared
    colleague = new_page(shared.split("/", 3)[3])
    assert slider_value(colleague, "Posts per week") == 6.0
    assert reach_text(colleague) == after


def _posting_step() -> float:
    """The posts-per-week slider's step on the demo account (the lever table fits it to the account)."""
    from kpi_core.ingest import ingest_paths
    from kpi_core.planning.baseline import load_baseline
    from kpi_core.planning.levers import LEVERS
    from kpi_core.store import Store

    store = Store()
    ingest_paths(store, sorted((Path(__file__).resolve().parents[2] / "data" / "demo").iterdir()))
    return LEVERS["posts_per_week"].bounds(load_baseline(store))[2]


def test_two_visitors_never_see_each_others_data(new_page, tmp_path):
    first, second = new_page(), new_page()
    upload(first, [STUDIO / "Content.csv"])
    other = tmp_path / "Content.csv"
    other.write_bytes((STUDIO / "Content.csv").read_bytes().replace(b"@sample.brand", b"@other.brand"))
    upload(second, [other])
    for page, mine, theirs in (
        (first, "@sample.brand", "other.brand"),
        (second, "@other.brand", "sample.brand"),
    ):
        go_to(page, "Overview")
        screenshot(page, f"isolation-{mine[1:]}")
        assert mine in page.inner_text("[data-testid='stMain']")
        assert theirs not in page.inner_text("body")
        go_to(page, "Your data")
        assert theirs not in page.inner_text("body")


def test_a_hostile_file_name_is_shown_as_text_and_runs_nothing(new_page):
    page = new_page()
    hostile = {
        "name": "<img src=x onerror=alert(1)>.csv",
        "mimeType": "text/csv",
        "buffer": (STUDIO / "Content.csv").read_bytes(),
    }
    text = upload(page, [hostile])
    assert "<img src=x onerror=alert(1)>.csv: TikTok Studio Content" in text
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []
