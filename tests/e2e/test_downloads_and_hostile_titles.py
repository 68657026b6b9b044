"""Downloads parse back to what the page shows; hostile titles stay text in a real browser."""

import io

import pandas as pd
import pytest

from tests.e2e.conftest import metric_values, screenshot, settle
from tests.e2e.test_upload_and_share import go_to, upload
from ui.format import compact, percent

pytestmark = pytest.mark.browser


def test_the_kpi_table_download_parses_back_to_the_values_shown(new_page):
    page = new_page()
    shown = metric_values(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="KPI table (CSV)").click()
    table = pd.read_csv(io.BytesIO(open(info.value.path(), "rb").read()), encoding="utf-8-sig")
    rows = table.set_index(["grain", "kpi"])["current"]
    assert compact(rows[("per_day", "likes")]) == shown["Likes"]
    assert percent(rows[("per_video", "like_rate")]) == shown["Like rate"]
    assert int(rows[("per_video", "videos")]) == int(shown["Videos"])


def test_hostile_titles_show_as_plain_text_and_run_nothing(new_page, tmp_path):
    hostile = tmp_path / "Content.csv"
    hostile.write_text(
        '\ufeff"Time","Video title","Video link","Post time","Total likes","Total comments","Total shares","Total views"\n'
        '"January 6","<img src=x onerror=alert(1)>","https://www.tiktok.com/@sample.brand/video/7590000000000000001",'
        '"January 2","10","1","0","100"\n'
        '"January 6","=HYPERLINK(""http://evil.example"",""click"")","https://www.tiktok.com/@sample.brand/video/7590000000000000002",'
        '"January 3","20","0","1","200"\n'
        '"January 6","<script>alert(2)</script> **bold**","https://www.tiktok.com/@sample.brand/video/7590000000000000003",'
        '"January 4","30","0","0","300"',
        encoding="utf-8",
    )
    page = new_page()
    text = upload(page, [hostile])
    assert "3 rows: 3 accepted" in text
    for title in ("Overview", "Content", "Trends", "Benchmarks & competitors"):
        go_to(page, title)
        settle(page)
        screenshot(page, f"hostile-{title.split()[0].lower()}")
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("script:text('alert(2)')").count() == 0
        assert page.locator("a[href^='http://evil']").count() == 0
    assert page.dialogs == []
