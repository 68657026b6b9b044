"""Browser figures: the real app and the bare page under `streamlit run`, in Debian's Chromium.

- Slider latency: from the key press on the "Posts per week" slider (the browser's own keydown
  timestamp) to the moment the "Target reached on" metric shows the new value (a MutationObserver
  in the page), on the app's What-if page and on bench/bare_app.py. The app's expected reach
  dates are computed with kpi_core beforehand, so the figure also checks the page is right.
- First render: from navigation to the page being connected, idle, with its metrics and every
  chart drawn, for a new visitor (a fresh browser context): the app's default page on the demo
  data against the bare page. The very first visit after a server start is reported apart
  ("cold": the app then also reads the demo exports into its shared cache).

Runs of the app and of the bare page alternate, so both see the same load on a shared machine.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
METRIC = "Target reached on"
SLIDER = "Posts per week"

RENDERED_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') {
        return false;
    }
    const metrics = document.querySelectorAll("[data-testid='stMetric']");
    const charts = document.querySelectorAll("[data-testid='stVegaLiteChart']");
    return metrics.length > 0 && charts.length > 0 && [...charts].every(c => c.querySelector('canvas, svg'));
}"""

# The page keeps the time of its last change of content (elements added or removed, text changed):
# a run served from memory ends before the browser has drawn its messages, so "drawn" is when the
# page stopped changing, read once it has been quiet for QUIET_MS (which the figure does not count).
CHANGES_JS = """
window.__lastChange = performance.now();
new MutationObserver(() => { window.__lastChange = performance.now(); })
    .observe(document, {subtree: true, childList: true, characterData: true});
"""
QUIET_MS = 300
QUIET_JS = f"""() => !document.querySelector("[data-testid='stSkeleton']")
    && performance.now() - window.__lastChange >= {QUIET_MS}"""


def _drawn_at(page: Any) -> float:
    """Once the page has stopped changing: when it last changed (ms, the page's clock)."""
    page.wait_for_function(QUIET_JS, timeout=120_000, polling=50)
    return float(page.evaluate("() => window.__lastChange"))


IDLE_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return app && app.dataset.testScriptState === 'notRunning';
}"""

# Arms the page: keydown stamps t0, the first DOM change that shows `expected` in the metric stamps t1.
PROBE_JS = """(label) => {
    window.__bench = {t0: null, t1: null, expected: null};
    document.addEventListener('keydown', () => {
        if (window.__bench.t0 === null) window.__bench.t0 = performance.now();
    }, true);
    const shown = () => {
        for (const card of document.querySelectorAll("[data-testid='stMetric']")) {
            const name = card.querySelector("[data-testid='stMetricLabel']");
            if (name && name.textContent.trim() === label) {
                const value = card.querySelector("[data-testid='stMetricValue']");
                return value ? value.textContent.trim() : null;
            }
        }
        return null;
    };
    new MutationObserver(() => {
        const b = window.__bench;
        if (b.t0 !== null && b.t1 === null && shown() === b.expected) b.t1 = performance.now();
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
    return shown();
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def streamlit_server(script: str, log_path: Path) -> Iterator[Server]:
    """`streamlit run script` from the repository root on a free port, as a freshly started server;
    yields its URL and process id once the health check answers. The browser tests and the load
    script start the app through this too."""
    port = _free_port()
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if urllib.request.urlopen(url + "_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(f"{script} did not start; see {log_path}") from None
                    time.sleep(0.2)
            yield Server(url, server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def whatif_scenario() -> dict[str, Any]:
    """A What-if link whose reach date moves with one step of the posts slider, and the two dates.

    Computed with kpi_core on the demo data exactly as the page computes it (same baseline, same
    simulation seed), so the browser must show these very dates.
    """
    sys.path.insert(0, str(ROOT))
    from kpi_core.ingest import ingest_paths
    from kpi_core.planning.baseline import load_baseline
    from kpi_core.planning.forecast import simulate
    from kpi_core.planning.goals import Goal
    from kpi_core.planning.levers import lever
    from kpi_core.planning.whatif import Scenario, what_if
    from kpi_core.store import Store

    store = Store()
    ingest_paths(store, sorted((ROOT / "data" / "demo").iterdir()))
    account = store.primary_account()
    base = load_baseline(store, account)
    assert base.as_of is not None and account is not None
    start, deadline = base.as_of + timedelta(days=1), base.as_of + timedelta(days=90)
    simulation = simulate(base, "likes", start, deadline)
    _, _, step = lever("posts_per_week").bounds(base)  # one key press moves the slider by the account's step
    posts = max(round(round(base.posts_per_week / step) * step, 2), 1.0)
    expected = what_if(
        Goal(account, "likes", 1.0, start, deadline),
        base,
        Scenario(posts_per_week=posts),
        simulation=simulation,
    ).expected
    for share in (0.6, 0.5, 0.7, 0.4, 0.8, 0.3, 0.9):
        target = float(round(expected * share))
        goal = Goal(account, "likes", target, start, deadline)
        dates = [
            what_if(goal, base, Scenario(posts_per_week=p), simulation=simulation).reach_date
            for p in (posts, round(posts + step, 2))
        ]
        if None not in dates and dates[0] != dates[1]:
            break
    else:
        raise RuntimeError("no target makes the demo's reach date move with one slider step")
    store.close()
    query = {
        "metric": "likes",
        "target": f"{target:g}",
        "start": start.isoformat(),
        "deadline": deadline.isoformat(),
        "posts_per_week": f"{posts:g}",
        "like_rate_change": "0",
        "views_change": "0",
        "follower_change": "0",
    }
    return {
        "path": "what-if?" + urllib.parse.urlencode(query),
        "posts": posts,
        "target": target,
        "shown": [f"{d:%d %b %Y}" for d in dates],
    }


def _first_render(browser: Any, url: str) -> float:
    """Seconds from the navigation's start to the page's last change (`_drawn_at`)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.add_init_script(CHANGES_JS)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(RENDERED_JS, timeout=120_000, polling="raf")
        return _drawn_at(page) / 1000  # performance.now() counts from the navigation's start
    finally:
        context.close()


class SliderPage:
    """A page with the slider focused and the probe armed."""

    def __init__(self, browser: Any, url: str, shown: list[str]) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.goto(url)
        self.page.wait_for_function(RENDERED_JS, timeout=120_000, polling="raf")
        first = self.page.evaluate(PROBE_JS, METRIC)
        if first != shown[0]:
            raise RuntimeError(f"{url} shows {first!r} before any move, expected {shown[0]!r}")
        self.shown = shown
        self.step = 0
        # A dialog (Streamlit's "Page not found", say) takes the keyboard focus: note it and close it.
        self.dialogs = []
        for dialog in self.page.get_by_role("dialog").all():
            self.dialogs.append(" ".join(dialog.inner_text().split()))
            dialog.get_by_role("button", name="Close").click()
        self.slider = (
            self.page.locator("[data-testid='stSlider']").filter(has_text=SLIDER).get_by_role("slider")
        )

    def move(self) -> float:
        """One key press (alternately right and left); milliseconds until the metric shows it."""
        if self.page.evaluate("() => document.activeElement?.getAttribute('role')") != "slider":
            self.slider.focus()
        key, expected = ("ArrowRight", self.shown[1]) if self.step % 2 == 0 else ("ArrowLeft", self.shown[0])
        self.step += 1
        self.page.evaluate(
            "e => { window.__bench.t0 = null; window.__bench.t1 = null; window.__bench.expected = e; }",
            expected,
        )
        self.page.keyboard.press(key)
        self.page.wait_for_function("() => window.__bench.t1 !== null", timeout=60_000, polling="raf")
        latency = self.page.evaluate("() => window.__bench.t1 - window.__bench.t0")
        self.page.wait_for_function(IDLE_JS, timeout=60_000, polling="raf")
        self.page.wait_for_timeout(
            300
        )  # let the rest of the rerun (chart, inverse) finish before the next press
        return float(latency)

    def close(self) -> None:
        self.context.close()


# The app's pages in the order a visitor switches through them (sidebar labels), ending where it began.
PAGE_ORDER = (
    "Trends",
    "Content",
    "Benchmarks & competitors",
    "Goals",
    "What-if",
    "Your data",
    "How it works",
    "Overview",
)

# A switch is over when the page's title has changed, the rerun has finished, nothing is stale and
# every chart is drawn.
SWITCHED_JS = """([before, expected]) => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') {
        return false;
    }
    const title = document.querySelector('h1');
    if (!title || title.textContent.trim() === before) return false;
    if (document.querySelector("[data-stale='true']")) return false;
    const charts = document.querySelectorAll("[data-testid='stVegaLiteChart']");
    const tables = document.querySelectorAll("[data-testid='stDataFrame'], [data-testid='stTable']");
    if (expected && (charts.length < expected.charts || tables.length < expected.tables)) return false;
    return [...charts].every(c => c.querySelector('canvas, svg'));
}"""
COUNT_JS = """() => ({
    charts: document.querySelectorAll("[data-testid='stVegaLiteChart']").length,
    tables: document.querySelectorAll("[data-testid='stDataFrame'], [data-testid='stTable']").length,
})"""


def _switches(
    browser: Any, url: str, labels: list[str], first_ready: str, expected: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """In one new visitor's session: open `url`, then click each sidebar link of `labels` in turn,
    twice round (first visits, then revisits with the data unchanged): milliseconds from the click
    to the new page fully drawn (with at least the `expected` charts and tables of the page, when
    known), and what it drew."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(CHANGES_JS)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(first_ready, timeout=120_000, polling="raf")
    _drawn_at(page)
    out = []
    for visit in ("first", "revisit"):
        for label in labels:
            before = page.evaluate("() => document.querySelector('h1')?.textContent.trim() ?? ''")
            link = page.locator("[data-testid='stSidebarNavLink']", has_text=label).first
            link.hover()  # the mouse's way to the link is not the switch: the clock starts at the link
            t = float(page.evaluate("() => performance.now()"))
            link.click()
            known = (expected or {}).get(label)
            page.wait_for_function(SWITCHED_JS, arg=[before, known], timeout=120_000, polling="raf")
            elapsed = _drawn_at(page) - t
            drawn = page.evaluate(COUNT_JS)
            expected = {**(expected or {}), label: known or drawn}
            out.append({"page": label, "visit": visit, "ms": elapsed, **drawn})
            page.wait_for_timeout(200)
    context.close()
    return out


def page_switches(browser: Any, app_url: str, out_dir: Path, sessions: int = 3) -> dict[str, Any]:
    """Page switches on the demo data against bare pages drawing the same numbers of charts and
    tables (bench/bare_pages.py), each in `sessions` new visitors' sessions, alternating."""
    labels = list(PAGE_ORDER)
    app_runs = [_switches(browser, app_url, labels, RENDERED_JS)]
    layouts = [{"name": "Start", "charts": 0, "tables": 0}] + [
        {"name": r["page"], "charts": r["charts"], "tables": r["tables"]}
        for r in app_runs[0]
        if r["visit"] == "first"
    ]
    expected = {x["name"]: {"charts": x["charts"], "tables": x["tables"]} for x in layouts}
    layout_file = out_dir / "bare_layouts.json"
    layout_file.write_text(json.dumps(layouts))
    os.environ["BARE_LAYOUTS"] = str(layout_file)
    bare_runs = []
    with streamlit_server("bench/bare_pages.py", out_dir / "bare-pages-server.log") as bare:
        ready = """() => {
            const app = document.querySelector("[data-testid='stApp']");
            return app && app.dataset.testScriptState === 'notRunning' && !!document.querySelector('h1');
        }"""
        for session in range(sessions):
            bare_runs.append(_switches(browser, bare.url, labels, ready, expected))
            if session + 1 < sessions:
                app_runs.append(_switches(browser, app_url, labels, RENDERED_JS))
    return {"app": app_runs, "bare": bare_runs, "layouts": layouts}


def measure(out_dir: Path, renders: int = 6, moves: int = 30) -> dict[str, Any]:
    """Both browser figures for the app and the bare page; every value in milliseconds."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    scenario = whatif_scenario()
    out: dict[str, Any] = {
        "scenario": scenario,
        "first_render_ms": {"app": [], "bare": []},
        "cold_render_ms": {},
        "slider_ms": {"app": [], "bare": []},
    }
    with (
        streamlit_server("app.py", out_dir / "app-server.log") as app,
        streamlit_server("bench/bare_app.py", out_dir / "bare-server.log") as bare,
        sync_playwright() as pw,
    ):
        app_url, bare_url = app.url, bare.url
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        urls = {"app": app_url, "bare": bare_url}
        for name in ("bare", "app"):
            out["cold_render_ms"][name] = _first_render(browser, urls[name]) * 1000
        for _ in range(renders):
            for name in ("bare", "app"):
                out["first_render_ms"][name].append(_first_render(browser, urls[name]) * 1000)
        pages = {
            "app": SliderPage(browser, app_url + scenario["path"], scenario["shown"]),
            "bare": SliderPage(browser, bare_url, [f"{x:.1f} posts" for x in (3.0, 3.5)]),
        }
        for _ in range(moves):
            for name in ("bare", "app"):
                out["slider_ms"][name].append(pages[name].move())
        out["dialogs"] = {name: page.dialogs for name, page in pages.items()}
        for page in pages.values():
            page.close()
        out["switches"] = page_switches(browser, app_url, out_dir)
        browser.close()
    return out


if __name__ == "__main__":
    target = ROOT / "bench" / "out"
    target.mkdir(parents=True, exist_ok=True)
    print(
        json.dumps(
            measure(
                target,
                renders=int(sys.argv[1]) if len(sys.argv) > 1 else 3,
                moves=int(sys.argv[2]) if len(sys.argv) > 2 else 6,
            ),
            indent=1,
        )
    )
