"""Goals read in a browser on every account shape agree with the command line (issue 13).

A new visitor uploads a shape's files, opens Goals and adds the first suggested goal; the goal's
projection, status, verdict and the band's track record on the page (and the track record on the
What-if page) are then the same sentences
`goal --json` gives for that goal, and "held X of Y past N-day windows" is what `backtest --json`
counts at that horizon. Both read the files as uploaded, with no option a visitor would not give.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from data.shapes import SHAPES, write
from kpi_core.metrics.goal_metrics import GOAL_METRICS
from tests.e2e.conftest import ROOT, screenshot, settle
from tests.e2e.test_upload_and_share import go_to, upload

pytestmark = pytest.mark.browser

HEADER = re.compile(r"^(?P<label>[^:\n]+): (?P<target>[\d,.]+%?) by (?P<deadline>\d{1,2} \w{3} \d{4})$", re.M)
START = re.compile(r"^From (?P<start>\d{1,2} \w{3} \d{4}) · ", re.M)
HELD = re.compile(r"held (?P<held>\d+) of (?P<checked>\d+) past (?P<days>\d+)-day window")


def cli(command: str, files: list[Path], *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "kpi_core", command, *map(str, files), *args, "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def iso(shown: str) -> str:
    return datetime.strptime(shown, "%d %b %Y").date().isoformat()


@pytest.mark.parametrize("name", SHAPES)
def test_the_goals_page_says_what_the_command_line_says(new_page, tmp_path, name):
    files = write(name, tmp_path)
    page = new_page()
    upload(page, [Path(f) for f in files])
    go_to(page, "Goals")
    before = page.inner_text("[data-testid='stMain']")
    if "No suggested targets yet" in before:  # too little history: the page says what it needs
        assert "at least 14 days of daily data" in before
        return
    add = page.get_by_role("button", name="Add goal")
    add.first.click()
    settle(page)
    text = page.inner_text("[data-testid='stMain']")
    screenshot(page, f"goals-{name}")

    header, start = HEADER.search(text), START.search(text)
    assert header and start, text[:2000]
    metric = next(m for m, g in GOAL_METRICS.items() if g.label == header["label"])
    shown = header["target"].replace(",", "")
    target = float(shown.rstrip("%")) / 100 if shown.endswith("%") else float(shown)
    goal = cli(
        "goal",
        files,
        "--metric",
        metric,
        "--target",
        repr(target),
        "--start",
        iso(start["start"]),
        "--deadline",
        iso(header["deadline"]),
    )
    # Every statement the page makes about the goal is the command line's, word for word.
    for key in ("projection_sentence", "status_reason", "verdict"):
        assert goal[key] in text, (key, goal[key])
    record = goal["projection"]["track_record"]
    assert record and record in text
    if goal["projection"]["caution"]:
        assert goal["projection"]["caution"] in text
    go_to(page, "What-if")  # the What-if page plans the same goal, on the same band
    assert record in page.inner_text("[data-testid='stMain']")
    held = HELD.search(record)
    if held and metric in ("likes", "followers"):
        # The track record is the backtest of the same series at the goal's horizon.
        days = int(held["days"])
        report = cli("backtest", files, "--metric", metric, "--horizons", str(days))
        horizon = report["horizons"][0]
        assert horizon["cuts"] == int(held["checked"])
        assert round(horizon["coverage"] * horizon["cuts"]) == int(held["held"])
