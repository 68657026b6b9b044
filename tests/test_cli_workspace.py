"""`python -m kpi_core workspace PATH... --out FILE`, and workspace files as PATHs of every command."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from kpi_core import workspace
from kpi_core.cli import EXIT_UNREADABLE, main
from kpi_core.workspace import SessionState

STUDIO = Path(__file__).parent / "fixtures" / "studio"
OVERVIEW = STUDIO / "Overview_2026-01-04_1767657600_sample.brand.zip"
CONTENT = STUDIO / "Content.csv"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "brand.zip"
    code, text, err = run(capsys, "workspace", OVERVIEW, STUDIO / "Viewers.csv", "--out", out)
    assert code == 0, err
    assert text.splitlines()[-1].startswith(f"Wrote {out}: @sample.brand, ")
    return out


def test_the_workspace_command_writes_a_workspace_of_what_it_read(saved):
    opened = workspace.read_workspace(saved.name, saved.read_bytes())
    assert opened.accounts == ["sample.brand"]
    assert [r.name for r in opened.state.uploads] == [f"{OVERVIEW.name}/Overview.csv", "Viewers.csv"]
    assert opened.state.goals == () and opened.state.scenario is None


def test_every_command_takes_a_workspace_as_a_path_and_scores_as_the_exports_do(saved, capsys):
    _, from_exports, _ = run(capsys, "score", OVERVIEW, STUDIO / "Viewers.csv", "--json")
    code, from_workspace, _ = run(capsys, "score", saved, "--json")
    assert code == 0 and json.loads(from_workspace) == json.loads(from_exports)
    code, out, err = run(
        capsys,
        "goal",
        saved,
        "--metric",
        "likes",
        "--target",
        "300",
        "--start",
        "2025-12-20",
        "--deadline",
        "2026-01-31",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["account"] == "sample.brand"
    code, out, err = run(capsys, "backtest", saved, "--json")
    assert code == 0, err
    assert json.loads(out)["account"] == "sample.brand"


@pytest.mark.parametrize(
    "command",
    [
        ["drivers", "--from", "2025-12-20", "--to", "2026-01-02"],
        ["digest"],
        ["accounts"],
        ["hashtags"],
    ],
)
def test_the_analysis_commands_read_a_workspace_as_they_read_its_exports(saved, capsys, command):
    _, from_exports, _ = run(capsys, command[0], OVERVIEW, STUDIO / "Viewers.csv", *command[1:], "--json")
    code, from_workspace, err = run(capsys, command[0], saved, *command[1:], "--json")
    assert code == 0, err
    assert json.loads(from_workspace) == json.loads(from_exports)
    assert "sample.brand" in from_workspace or command[0] == "hashtags"


def test_exports_beside_a_workspace_merge_into_it(saved, capsys):
    code, out, _ = run(capsys, "ingest", CONTENT, saved, "--json")
    files = json.loads(out)["files"]
    assert code == 0 and [f["name"] for f in files] == ["brand.zip", "Content.csv"]
    assert files[0]["kind"] == "workspace" and files[0]["account"] == "sample.brand"
    assert files[1]["accepted"] == 4
    code, out, _ = run(capsys, "score", saved, CONTENT, "--json")
    scores = json.loads(out)
    assert (
        scores["per_video"]["videos"] == 4 and scores["per_day"]["likes"] > 0
    )  # days from one, videos from the other


def test_a_workspace_made_from_a_workspace_keeps_its_goals_scenario_and_log(tmp_path, capsys):
    from tests.test_workspace import SAVED_AT, STATE

    first = tmp_path / "first.zip"
    from kpi_core.store import Store

    first.write_bytes(workspace.workspace_bytes(workspace.saved_tables(Store()), STATE, SAVED_AT))
    second = tmp_path / "second.zip"
    code, _, err = run(capsys, "workspace", first, CONTENT, "--out", second)
    assert code == 0, err
    state = workspace.read_workspace("second.zip", second.read_bytes()).state
    assert (state.goals, state.scenario, state.view) == (STATE.goals, STATE.scenario, STATE.view)
    assert [r.name for r in state.uploads] == [*(r.name for r in STATE.uploads), "Content.csv"]


def test_a_damaged_workspace_path_is_a_sentence_on_stderr_and_exit_2(saved, tmp_path, capsys):
    cut = tmp_path / "workspace_cut.zip"
    cut.write_bytes(saved.read_bytes()[:500])
    code, out, err = run(capsys, "score", cut, CONTENT)
    assert code == EXIT_UNREADABLE
    assert err.startswith("workspace_cut.zip: this workspace file is damaged or incomplete")
    assert "nothing was loaded" in err and "Traceback" not in err
    assert "@sample.brand" in out  # the exports beside it are still read and scored


def test_an_out_path_that_cannot_be_written_is_a_sentence(capsys, tmp_path):
    code, _, err = run(capsys, "workspace", CONTENT, "--out", tmp_path / "missing" / "w.zip")
    assert code == EXIT_UNREADABLE and err.startswith("error: ") and "could not be written" in err


def test_the_workspace_command_prints_json_with_the_file_and_its_tables(tmp_path, capsys):
    out = tmp_path / "w.zip"
    code, text, _ = run(capsys, "workspace", CONTENT, "--out", out, "--json", "--export-date", "2026-01-06")
    summary = json.loads(text)["workspace"]
    assert code == 0 and summary["path"] == str(out) and summary["bytes"] == out.stat().st_size
    assert summary["tables"]["videos_raw"] == 4 and summary["accounts"][0]["account"] == "sample.brand"


def test_an_empty_session_state_still_writes_a_readable_file(tmp_path):
    from kpi_core.store import Store

    data = workspace.workspace_bytes(workspace.saved_tables(Store()), SessionState(), datetime(2026, 1, 1))
    assert (
        workspace.read_workspace("x.zip", data).manifest["saved_at"]
        == date(2026, 1, 1).isoformat() + "T00:00:00"
    )
