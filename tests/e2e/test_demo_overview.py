"""A visitor opens the link: the demo account, with the same numbers kpi_core computes."""

from datetime import timedelta

import pytest

from kpi_core.ingest import ingest_paths
from kpi_core.metrics.comparison import compare_periods
from kpi_core.metrics.scope import data_extent
from kpi_core.store import Store
from tests.e2e.conftest import ROOT, metric_values, screenshot
from ui.cards import overview_cards

pytestmark = pytest.mark.browser


def expected_overview_cards() -> dict[str, str]:
    store = Store()
    ingest_paths(store, sorted((ROOT / "data" / "demo").iterdir()))
    account = store.primary_account()
    first, last = data_extent(store, account)
    start = max(first, last - timedelta(days=89))  # the sidebar's default period: last 90 days
    comparison = compare_periods(store, account, start, last)
    return {card.label: card.value for card in overview_cards(comparison)}


def test_the_app_opens_on_the_demo_account_with_kpi_core_values(new_page):
    page = new_page()
    screenshot(page, "overview")
    # The README shows this screenshot, so every browser run keeps it current.
    page.screenshot(path=str(ROOT / "docs" / "overview.png"), full_page=False)
    assert "demo account" in page.inner_text("[data-testid='stSidebar']")
    shown = metric_values(page)
    expected = expected_overview_cards()
    assert {"Likes", "Like rate", "Likes per day"} <= set(shown)
    for label, value in shown.items():
        assert value == expected[label], label
