"""Options of a server started from the repository (.streamlit/config.toml), read as the server
reads them: AppTest neither collects garbage after a run nor watches files, so only a server shows
their cost (bench/findings.md). A renamed option would fall back to Streamlit's default and fail here.

- `runner.postScriptGC = false`: a full garbage collection after every run held the interpreter
  60-170 ms after every page switch and slider move, with the app's libraries loaded.
- `server.fileWatcherType = "none"`: watching the source, the server looked up the real path of
  every imported module's file at the end of each new session's first run, on its event loop.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

READ_AS_THE_SERVER_DOES = """
import sys
from streamlit import config
config.get_config_options(force_reparse=True)
print(config.get_option(sys.argv[1]), config.get_where_defined(sys.argv[1]))
"""


@pytest.mark.parametrize(
    ("option", "value"), [("runner.postScriptGC", "False"), ("server.fileWatcherType", "none")]
)
def test_the_server_started_from_the_repository_takes_the_option_from_its_config(option, value):
    done = subprocess.run(
        [sys.executable, "-c", READ_AS_THE_SERVER_DOES, option],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shown, where = done.stdout.split(maxsplit=1)
    assert shown == value
    assert where.strip().endswith(str(Path(".streamlit") / "config.toml"))
