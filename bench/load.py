"""Load: many visitors at once on the real app, each with their own data.

    python bench/load.py                     # 20 sessions; about 4 minutes
    python bench/load.py --sessions 30 --out bench/out/load.json

Starts `streamlit run app.py` with the repository's config, then opens N Playwright browser
contexts (N visitors) in Debian's Chromium, all at once. Each visitor uploads its own exports
(the Studio Overview and a Content file whose video links carry the handle loadNN.brand), checks
the upload summary names its handle, opens What-if and moves the "Posts per week" slider with
the keyboard, and checks that every page it saw shows its own handle and no other visitor's.

Recorded: errors (a Streamlit exception box, a page error, a timeout, a missing own handle),
cross-session leaks (another visitor's handle on a page), the server's resident memory (from
/proc, so Linux only) before the load (after one warm-up visit, which loads the demo data into
the shared cache and imports the charting code), at its peak, 60 s after the visitors closed,
and again once Streamlit's disconnected-session TTL (server.disconnectedSessionTTL, 120 s by
default) has passed and one more visitor has come and gone (Streamlit drops expired sessions when
the next one leaves). Targets: zero errors, zero leaks, memory back within 20% of its level
before the load. The last figures are in the README ("Hostile input and load").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # bench/browser.py: run as python bench/load.py

ROOT = Path(__file__).resolve().parents[1]
STUDIO = ROOT / "tests" / "fixtures" / "studio"
TIMEOUT_MS = 180_000


def handle(i: int) -> str:
    return f"load{i:02d}.brand"


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (MB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class MemorySampler(threading.Thread):
    """Samples the server's memory every `every` seconds; keeps the peak."""

    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.running = pid, every, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(self.every)


@dataclass
class Visit:
    """What one visitor saw."""

    session: int
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    seconds: float = 0.0


async def settle(page) -> None:
    """Streamlit's own waiting rule: connected, and the script has finished running."""
    await page.wait_for_timeout(300)
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=TIMEOUT_MS
    )
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_MS
    )
    await page.wait_for_timeout(300)


async def check_page(page, visit: Visit, where: str, everyone: list[str]) -> None:
    text = await page.inner_text("body")
    mine = handle(visit.session)
    if mine not in text:
        visit.errors.append(f"{where}: own handle {mine} not shown")
    visit.leaks += [f"{where}: saw {other}" for other in everyone if other != mine and other in text]
    if await page.locator("[data-testid='stException']").count():
        visit.errors.append(f"{where}: an exception box")


async def visitor(browser, url: str, i: int, everyone: list[str], content: bytes, overview: bytes) -> Visit:
    visit = Visit(i)
    started = time.monotonic()
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.on("pageerror", lambda error: visit.errors.append(f"page error: {error}"))
    try:
        await page.goto(url + "data", timeout=TIMEOUT_MS)
        await settle(page)
        files = [
            {"name": "Overview.csv", "mimeType": "text/csv", "buffer": overview},
            {
                "name": "Content.csv",
                "mimeType": "text/csv",
                "buffer": content.replace(b"@sample.brand", f"@{handle(i)}".encode()),
            },
        ]
        await page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(files)
        await page.get_by_text(f"Content.csv: TikTok Studio Content, @{handle(i)}").wait_for(
            timeout=TIMEOUT_MS
        )
        await settle(page)
        await check_page(page, visit, "Your data", everyone)
        await page.locator("[data-testid='stSidebarNavLink']", has_text="What-if").first.click()
        await settle(page)
        slider = page.locator("[data-testid='stSlider']", has_text="Posts per week").first
        before = await slider.locator("[data-testid='stSliderThumbValue']").inner_text()
        await slider.get_by_role("slider").focus()
        for _ in range(2 + i % 5):  # each visitor moves it by its own amount
            await page.keyboard.press("ArrowRight")
        await settle(page)
        after = await slider.locator("[data-testid='stSliderThumbValue']").inner_text()
        if after == before:
            visit.errors.append(f"What-if: the slider stayed at {before}")
        await check_page(page, visit, "What-if", everyone)
    except Exception as exc:  # a timeout or a missing element: counted, the run goes on
        visit.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        visit.seconds = time.monotonic() - started
        await context.close()
    return visit


async def drive(url: str, sessions: int, on_warm: Callable[[], None]) -> tuple[list[Visit], float]:
    """One warm-up visit, then `on_warm()`, then every visitor at once; (visits, wall seconds)."""
    from playwright.async_api import async_playwright

    content, overview = (STUDIO / "Content.csv").read_bytes(), (STUDIO / "Overview.csv").read_bytes()
    everyone = [handle(i) for i in range(sessions)]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = await browser.new_context()
        page = await warm.new_page()
        await page.goto(url, timeout=TIMEOUT_MS)
        await settle(page)
        await warm.close()
        on_warm()
        started = time.monotonic()
        visits = await asyncio.gather(
            *(visitor(browser, url, i, everyone, content, overview) for i in range(sessions))
        )
        elapsed = time.monotonic() - started
        await browser.close()
    return list(visits), elapsed


async def visit_once(url: str) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await (await browser.new_context()).new_page()
        await page.goto(url, timeout=TIMEOUT_MS)
        await settle(page)
        await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--after", type=float, default=60, help="seconds to wait after the visitors close")
    parser.add_argument(
        "--after-ttl",
        type=float,
        default=90,
        help="then seconds more, past Streamlit's disconnected-session TTL, then one more visit (0: skip)",
    )
    parser.add_argument("--out", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()

    log = Path(os.environ.get("LOAD_SERVER_LOG", "/tmp/kpi-load-server.log"))
    with streamlit_server("app.py", log) as server:
        url = server.url
        started_mb = rss_mb(server.pid)
        sampler = MemorySampler(server.pid)
        before: list[float] = []

        def baseline() -> None:  # after the warm-up visit, before the load
            before.append(rss_mb(server.pid))
            sampler.start()

        visits, elapsed = asyncio.run(drive(url, args.sessions, baseline))
        before_mb = before[0]
        time.sleep(args.after)
        after_mb = rss_mb(server.pid)
        after_ttl_mb = None
        if args.after_ttl:
            time.sleep(args.after_ttl)
            # Streamlit drops expired sessions lazily, when its session storage is next written:
            # on a live server that is the next visitor leaving. One short visit does it here.
            asyncio.run(visit_once(url))
            time.sleep(5)
            after_ttl_mb = rss_mb(server.pid)
        sampler.running = False
    errors = [f"session {v.session}: {e}" for v in visits for e in v.errors]
    leaks = [f"session {v.session}: {e}" for v in visits for e in v.leaks]
    figures = {
        "sessions": args.sessions,
        "wall_seconds": round(elapsed, 1),
        "slowest_visit_seconds": round(max(v.seconds for v in visits), 1),
        "errors": len(errors),
        "leaks": len(leaks),
        "rss_mb": {
            "server_started": round(started_mb),
            "before_load": round(before_mb),
            "peak": round(sampler.peak),
            f"after_{int(args.after)}s": round(after_mb),
            **(
                {f"after_{int(args.after + args.after_ttl)}s_and_one_visit": round(after_ttl_mb)}
                if after_ttl_mb
                else {}
            ),
        },
        "after_vs_before": round(after_mb / before_mb - 1, 3),
        **({"after_ttl_vs_before": round(after_ttl_mb / before_mb - 1, 3)} if after_ttl_mb else {}),
        "error_list": errors[:50],
        "leak_list": leaks[:50],
        "visits": [asdict(v) for v in visits],
    }
    print(json.dumps({k: v for k, v in figures.items() if k != "visits"}, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if not errors and not leaks else 1


if __name__ == "__main__":
    sys.exit(main())
