"""A marketer's work that survives, in a real browser: upload, add a goal, move a slider, save the
workspace, restore it in a new browser context; a link made for another account; random links;
the report that holds the scenario and prints on one A4 page."""

from __future__ import annotations

import random
import re
import urllib.parse
from pathlib import Path

import pytest

from kpi_core import workspace
from kpi_core.workspace.link import LINK_KEYS
from tests.e2e.conftest import ROOT, metric_values, screenshot, settle
from tests.e2e.test_upload_and_share import go_to, reach_text, slider_value, upload

pytestmark = pytest.mark.browser
EXPORTS = sorted((ROOT / "data" / "demo").glob("*_lumen.skincare.zip"))  # a year of one account's exports


def press(page, label: str, key: str, times: int) -> None:
    thumb = page.locator("[data-testid='stSlider']", has_text=label).first.get_by_role("slider")
    thumb.focus()
    for _ in range(times):
        page.keyboard.press(key)
        settle(page)  # each press reruns the scenario panel: wait, so no press lands mid-rerun


def download(page, button: str, into: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).first.click()
    path = into / info.value.suggested_filename
    info.value.save_as(path)
    return path


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def test_a_saved_workspace_brings_back_the_kpis_the_goal_and_the_scenario(new_page, tmp_path):
    page = new_page()
    upload(page, EXPORTS)
    go_to(page, "Goals")
    page.get_by_role("button", name="Add goal").click()
    settle(page)
    goal_title = page.locator("[data-testid='stHeading']", has_text="by ").first.inner_text()
    go_to(page, "What-if")
    press(page, "Like rate change", "ArrowRight", 3)  # +15 %
    assert slider_value(page, "Like rate change") == 15
    reach, scenario_url = reach_text(page), page.url
    go_to(page, "Overview")
    assert "like_rate_change=15" in page.url  # the URL keeps the scenario on every page
    kpis = metric_values(page)
    go_to(page, "Your data")
    saved = download(page, "Save workspace", tmp_path)
    assert saved.name.startswith("workspace_lumen.skincare_") and workspace.is_workspace(
        saved.name, saved.read_bytes()
    )

    returning = new_page()  # a new browser context: a visitor with nothing but the file
    assert "Saved a workspace file last time?" in returning.inner_text("[data-testid='stSidebar']")
    text = upload(returning, [saved])
    screenshot(returning, "workspace-restored")
    assert f"✓ {saved.name}: Saved workspace, @lumen.skincare" in text
    assert "1 goal, the what-if scenario restored" in text
    go_to(returning, "Overview")
    assert metric_values(returning) == kpis
    go_to(returning, "Goals")
    assert goal_title in main_text(returning)
    go_to(returning, "What-if")
    screenshot(returning, "workspace-what-if")
    assert slider_value(returning, "Like rate change") == 15
    assert reach_text(returning) == reach
    assert urllib.parse.parse_qs(urllib.parse.urlparse(returning.url).query) == urllib.parse.parse_qs(
        urllib.parse.urlparse(scenario_url).query
    )
    assert returning.dialogs == []


def test_a_link_made_for_another_account_shows_the_notice_and_the_parameters(new_page):
    page = new_page(
        "what-if?metric=likes&target=2057&start=2026-07-01&deadline=2026-09-30&posts_per_week=4"
        "&like_rate_change=10&views_change=0&follower_change=0&account=x.brand&data_to=2026-06-28"
    )
    screenshot(page, "foreign-link")
    text = main_text(page)
    assert (
        "This scenario was made for @x.brand with data to 28 Jun 2026. Upload @x.brand's exports or workspace "
        "to see it; below it is applied to the demo account." in text
    )
    assert (
        "Likes received 2,057 from 1 Jul 2026 to 30 Sep 2026; posts per week 4, like rate change +10%" in text
    )
    assert "account=x.brand" in page.url


def _random_query(rng: random.Random) -> str:
    nasty = ["<img src=x onerror=alert(1)>", "**x**", "1e309", "-1", "nan", "9999-99-99", "", "%00", "😀" * 3]
    params = {}
    for _ in range(rng.randint(1, 6)):
        key = rng.choice([*LINK_KEYS, "utm_source", "<b>k</b>"])
        params[key] = rng.choice(
            [
                *nasty,
                str(rng.uniform(-1e6, 1e6)),
                f"20{rng.randint(0, 99):02d}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            ]
        )
    return urllib.parse.urlencode(params)


def test_random_query_strings_never_raise_on_any_page(new_page):
    rng = random.Random(14)
    for path in ("", "trends", "content", "benchmarks", "goals", "what-if", "data", "methods"):
        page = new_page(f"{path}?{_random_query(rng)}")
        assert page.locator("[data-testid='stException']").count() == 0, page.url
        assert page.locator("img[src='x']").count() == 0 and page.dialogs == []
        page.context.close()


def test_the_report_holds_the_scenario_and_prints_on_one_a4_page(new_page, tmp_path, browser):
    page = new_page()
    go_to(page, "What-if")
    posts_before = slider_value(page, "Posts per week")
    press(page, "Posts per week", "ArrowRight", 10)
    posts = slider_value(page, "Posts per week")
    assert posts > posts_before
    reach = reach_text(page)
    go_to(page, "Overview")
    report = download(page, "Report (HTML)", tmp_path).read_text(encoding="utf-8")
    assert "No what-if scenario" not in report
    assert f"<th>Posts per week</th><td>{posts:.1f} (today " in report
    assert f"<th>Target reached on</th><td>{reach}</td>" in report
    assert report.count("<svg") == 2  # the likes chart and the scenario's chart
    go_to(page, "What-if")  # ... and the same report from What-if
    assert "Report (HTML)" in main_text(page)

    viewer = browser.new_context().new_page()
    viewer.goto(Path(tmp_path / next(p.name for p in tmp_path.iterdir() if p.suffix == ".html")).as_uri())
    pdf = viewer.pdf(format="A4", print_background=True)
    viewer.context.close()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the report prints on {pages} A4 pages"
