"""A marketer's path through the portfolio in a real browser: upload a scrape of hundreds of accounts,
find one by its handle, tick its row, and every page shows that account."""

from __future__ import annotations

import pytest

from data.shapes import build
from kpi_core.ingest import ingest_files
from kpi_core.metrics import portfolio
from kpi_core.store import Store
from tests.conftest import TODAY
from tests.e2e.conftest import screenshot, settle
from tests.e2e.test_upload_and_share import go_to, upload

pytestmark = pytest.mark.browser
ROW_HEIGHT = 35  # Streamlit's data grid: the header and each row are 35 px tall


def sidebar_account(page) -> str:
    """The account the sidebar's selectbox shows."""
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="Account").input_value()


def tick_row(page, index: int) -> None:
    """Click the selection box of the table's `index`-th row (0 = the first under the header)."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + ROW_HEIGHT * (index + 1) + ROW_HEIGHT / 2)
    settle(page)


def test_picking_an_account_in_the_portfolio_shows_it_on_every_page(new_page, tmp_path):
    shape = build("scraper_many")
    ((name, data),) = shape.files.items()
    scrape = tmp_path / name
    scrape.write_bytes(data)
    store = Store()
    ingest_files(store, [(name, data)], today=TODAY)
    ranked = portfolio.ranking(portfolio.portfolio(store), "like_rate")
    wanted = ranked["account"].iloc[2]  # the third by like rate, not the account the app opens on
    assert wanted != store.primary_account()
    store.close()

    page = new_page()
    upload(page, [scrape])
    opened_on = sidebar_account(page)
    assert opened_on != wanted
    go_to(page, "Portfolio of accounts")
    assert "Ranked on like rate: " in page.inner_text("[data-testid='stMain']")
    page.get_by_label("Search accounts").fill(wanted)
    page.keyboard.press("Enter")
    settle(page)
    assert f"match “{wanted}”" in page.inner_text("[data-testid='stMain']")
    tick_row(page, 0)
    main = page.inner_text("[data-testid='stMain']")
    assert f"Every page now shows @{wanted}." in main
    screenshot(page, "portfolio_picked")
    assert sidebar_account(page) == wanted

    go_to(page, "Content")
    assert f"@{wanted}" in page.inner_text("[data-testid='stMain']")
    go_to(page, "Benchmarks & competitors")
    assert f"@{wanted}" in page.inner_text("[data-testid='stMain']")
    assert page.dialogs == []
