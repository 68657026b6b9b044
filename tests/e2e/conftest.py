"""Browser tests: the real app under `streamlit run`, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"

pytestmark = pytest.mark.browser


@contextmanager
def running_app(log_name: str = "server.log") -> Iterator[str]:
    """`streamlit run app.py` as a freshly started server (bench/browser.py starts it); yields its URL."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` (scripts/check.sh does)"
        )
    with streamlit_server("app.py", SCREENSHOTS.parent / log_name) as server:
        yield server.url


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Start the app once for the browser tests and wait for its health check."""
    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, app_url):
    """Open a fresh browser context (a new visitor) on a path of the app."""
    contexts = []

    def open_page(path: str = ""):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []  # any alert() would be an injection: record it and dismiss
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(app_url + path.lstrip("/"))
        settle(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def settle(page, timeout_ms: int = 60_000) -> None:
    """Streamlit's own waiting rule (connected, and the script has finished running), then the
    browser's: the script's messages drawn (no skeleton left, every chart drawn, the page's elements
    no longer changing). A page served from memory finishes its run before the browser has drawn
    it; a chart drawn late also moves what is below it, away from the mouse of a test that hovers."""
    page.wait_for_timeout(300)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout_ms
    )
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    page.evaluate("() => { window.__settleCount = -1; }")  # a count from an earlier settle is not this page's
    page.wait_for_function(DRAWN_JS, timeout=timeout_ms, polling=250)
    page.wait_for_timeout(300)


# True once nothing is left to draw and the page's elements were the same at the last poll.
DRAWN_JS = """() => {
    if (document.querySelector("[data-testid='stSkeleton']")) return false;
    const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
    if (!charts.every(c => c.querySelector('canvas, svg'))) return false;
    const count = document.querySelectorAll('[data-testid]').length;
    const same = window.__settleCount === count;
    window.__settleCount = count;
    return same;
}"""


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def metric_values(page) -> dict[str, str]:
    """The st.metric cards on the page: label -> shown value."""
    values = {}
    for card in page.query_selector_all("[data-testid='stMetric']"):
        label = card.query_selector("[data-testid='stMetricLabel']").inner_text().strip()
        values[label] = card.query_selector("[data-testid='stMetricValue']").inner_text().strip()
    return values
