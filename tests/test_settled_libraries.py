"""The app's libraries are taken out of the post-run garbage collection once per process, so a
page switch or a slider move does not wait for the collector to search them (ui/entry.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

AFTER_THE_APP_RAN = """
import gc, json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=180)
at.run()
for page in ("content", "what-if", "overview"):
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "searched": len(gc.get_objects()),
    "loaded": [m for m in ("kpi_core.planning.forecast", "ui.plan_charts", "python_calamine") if m in sys.modules],
}))
"""


def test_after_the_pages_ran_the_collector_searches_only_what_they_made():
    done = subprocess.run(
        [sys.executable, "-c", AFTER_THE_APP_RAN], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    # The libraries (about 236,000 objects) are frozen; the pages' own objects, the demo account's
    # data and memo included, are a small fraction of them and are still collected.
    assert figures["frozen"] > 150_000
    assert figures["searched"] < figures["frozen"] / 5
    assert figures["loaded"] == ["kpi_core.planning.forecast", "ui.plan_charts", "python_calamine"]
