"""The command line gives the app's numbers on every account shape.

Each shape's files are written to disk as a user would download them and read by
`python -m kpi_core score --json`; its figures must be the ones the engine gives the same files
read as an upload (the `shape_store` fixture), to the digit.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from data.shapes import SHAPES, build, write
from kpi_core.cli import main
from kpi_core.metrics.scoring import score


def _cli_score(paths: list[Path], options: dict[str, object]) -> dict:
    argv = ["score", *map(str, paths), "--json"]
    if "export_date" in options:
        argv += ["--export-date", str(options["export_date"])]
    if "date_order" in options:
        argv += ["--date-order", str(options["date_order"])]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(argv)
    assert status == 0, out.getvalue()
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name", SHAPES)
def test_score_from_the_command_line_matches_the_app_on_every_shape(name, shape_store, tmp_path):
    shape = build(name)
    cli = _cli_score(write(name, tmp_path), dict(shape.options))
    _, store = shape_store(name)
    app = score(store)
    # The account a file names comes from the file; one that names none is "my account" on the
    # command line (its --account picks the account to score) and the shape's handle in the app.
    if "account" not in shape.options:
        assert cli["account"] == app["account"]
    for section in ("per_video", "per_day", "trend"):
        assert cli[section] == app[section], section
    assert (cli["date_from"], cli["date_to"]) == (app["date_from"], app["date_to"])
