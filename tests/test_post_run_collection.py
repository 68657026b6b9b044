"""The server ends a run without a full garbage collection (.streamlit/config.toml,
runner.postScriptGC): with the app's libraries loaded it held the interpreter 60-170 ms after every
page switch and slider move (bench/findings.md). AppTest never collects after a run, so this reads
the option as a server started from the repository does; a renamed option would fall back to
Streamlit's default (on) and fail here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

READ_AS_THE_SERVER_DOES = """
from streamlit import config
config.get_config_options(force_reparse=True)
print(config.get_option("runner.postScriptGC"), config.get_where_defined("runner.postScriptGC"))
"""


def test_the_server_started_from_the_repository_skips_the_post_run_collection():
    done = subprocess.run(
        [sys.executable, "-c", READ_AS_THE_SERVER_DOES], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    value, where = done.stdout.split(maxsplit=1)
    assert value == "False"
    assert where.strip().endswith(str(Path(".streamlit") / "config.toml"))
