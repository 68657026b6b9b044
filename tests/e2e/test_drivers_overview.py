"""The Overview's "What changed" and "Why likes changed" in a real browser: the digest and its
figures on hover, the waterfall's bars and the tree as kpi_core computes them, and "Plan from here"
landing on What-if with the period's values in the sliders and the link."""

from __future__ import annotations

import urllib.parse
from datetime import timedelta

import pytest

from kpi_core.ingest import ingest_paths
from kpi_core.metrics.digest import digest
from kpi_core.metrics.drivers import driver_tree, waterfall
from kpi_core.metrics.scope import data_extent
from kpi_core.planning.baseline import load_baseline
from kpi_core.planning.levers import LEVERS
from kpi_core.store import Store
from tests.e2e.conftest import ROOT, SCREENSHOTS, settle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    """The demo account's digest, driver tree and baseline over the Overview's default period."""
    store = Store()
    ingest_paths(store, sorted((ROOT / "data" / "demo").iterdir()))
    account = store.primary_account()
    first, last = data_extent(store, account)
    start = max(first, last - timedelta(days=89))
    found = (
        digest(store, account, start, last),
        driver_tree(store, account, start, last),
        load_baseline(store),
    )
    store.close()
    return found


def section(page, key: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[class*='st-key-{key}']").first


def test_the_digest_reads_as_the_engine_writes_it_with_figures_on_hover(new_page, engine):
    found, _, _ = engine
    page = new_page()
    digest_box = section(page, "digest")
    digest_box.wait_for()
    shown = [line.strip() for line in digest_box.inner_text().splitlines() if line.strip()]
    assert shown == [s.text for s in found.sentences]
    digest_box.locator("[data-testid='stTooltipIcon']").first.hover()
    tip = page.locator("[data-testid='stTooltipContent']").first
    tip.wait_for()
    first = found.sentences[0]
    for name, figure in first.figures.items():
        assert f"{name.capitalize()}: {figure.text} — {figure.formula}" in tip.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    digest_box.screenshot(path=str(SCREENSHOTS / "overview_digest.png"))


def test_the_waterfall_and_the_tree_draw_the_engines_split(new_page, engine):
    _, tree, _ = engine
    page = new_page()
    charts = page.locator("[data-testid='stVegaLiteChart']")
    charts.first.wait_for()
    bars = waterfall(tree)
    texts = [charts.nth(i).inner_text() for i in range(charts.count())]
    [drawn] = [t for t in texts if "Views per video" in t and "Now" in t]
    for value, kind in zip(bars["value"], bars["kind"], strict=True):
        assert (f"{value:,.0f}" if kind == "total" else f"{value:+,.0f}") in drawn
    for label in ("Before", "Videos posted", "Views per video", "Like rate", "Now"):
        assert label in drawn  # every bar keeps its label
    [nodes] = [t for t in texts if "→" in t]
    assert f"{tree.before.likes:,} → {tree.now.likes:,}" in nodes
    heading = page.get_by_role("heading", name="Why likes changed")
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "overview_drivers.png"), full_page=True)


def test_plan_from_here_opens_what_if_with_the_periods_values(new_page, engine):
    _, tree, base = engine
    page = new_page()
    page.get_by_role("button", name="Plan from here").click()
    page.wait_for_url(lambda url: urllib.parse.urlparse(url).path.endswith("/what-if"))
    settle(page)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    for name, lever in LEVERS.items():
        if name in tree.plan:
            expected = lever.setting(tree.plan[name], base)
            assert float(query[lever.url_key][0]) == pytest.approx(expected), name
    assert "What-if planning" in page.inner_text("[data-testid='stMain']")
