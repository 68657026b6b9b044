"""The hostile-input corpus (tests/fixtures/bad/, its table in EXPECTED.md there).

For every file: `ingest_files` returns (never raises) the outcome the case table gives; a table
that cannot be read gets one sentence naming the file and saying what to do; rejected rows are
reported by line and column; read = accepted + rejected, in the results and in the store; and
the command line answers with exit status 0 or 2, never a traceback. The large hostile shapes
(50 MB line, 100 MB JSON, 10,000 columns, thousands of members, bombs) are built here in a
temporary folder and must be refused by a cap within bounded time and memory.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kpi_core.errors import IngestError
from kpi_core.ingest import UNEXPECTED, FileResult, ingest_files
from kpi_core.ingest.readers.archives import check_zip_directory, staged_size
from kpi_core.report.export import to_csv_bytes
from kpi_core.store import Store

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad"
TODAY = date(2026, 11, 25)


def _make_bad():
    spec = importlib.util.spec_from_file_location("make_bad", BAD / "make_bad.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_bad"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


make_bad = _make_bad()
CASES = make_bad.CASES
# A sentence that says what to do starts its second half with one of these.
ACTIONS = (
    "Upload",
    "Download",
    "Export",
    "Save",
    "Open",
    "Map",
    "Check",
    "Remove",
    "Unpack",
    "Split",
    "Give",
)


def says_what_to_do(message: str) -> bool:
    return any(f". {verb} " in message for verb in ACTIONS)


# --- the corpus itself ----------------------------------------------------------------------


def test_the_committed_corpus_is_what_make_bad_writes():
    for case in CASES:
        assert (BAD / case.file).read_bytes() == case.data, (
            f"rerun tests/fixtures/bad/make_bad.py ({case.file})"
        )
    assert (BAD / "EXPECTED.md").read_text(encoding="utf-8") == make_bad.expected_table()


def test_the_corpus_has_sixty_cases_and_stays_small():
    assert len(CASES) >= 60 and len({c.file for c in CASES}) == len(CASES)
    assert sum(len(c.data) for c in CASES) < 2_000_000
    on_disk = {p.name for p in BAD.iterdir()} - {"make_bad.py", "EXPECTED.md", "__pycache__"}
    assert on_disk == {c.file for c in CASES}, "a file in tests/fixtures/bad/ that no case describes"


# --- every case -------------------------------------------------------------------------------


def check_result(result: FileResult, expect, upload_name: str) -> None:
    assert result.name == (expect.name or upload_name)
    got = (result.kind, result.rows, result.accepted, result.rejected)
    assert got == (expect.kind, expect.rows, expect.accepted, expect.rejected), result.as_dict()
    assert result.rows == result.accepted + result.rejected
    if expect.error:
        message = result.error or ""
        assert expect.error in message, message
        assert message.startswith(f"{result.name}: "), "the message names the file"
        assert says_what_to_do(message), message
        assert "\n" not in message and "Traceback" not in message and UNEXPECTED not in message
    else:
        assert result.error is None, result.error
    if expect.problems:
        assert [(e["line"], e["column"]) for e in result.errors] == list(expect.problems)
    assert bool(result.errors) == bool(result.rejected)
    for error in result.errors:  # each rejected row says where it is and what is wrong with it
        where = f"Line {error['line']}" if error["line"] is not None else "Record "
        assert error["reason"].startswith(where), error
        if error["column"]:
            assert f"column '{error['column']}'" in error["reason"]
    if expect.reason:
        assert expect.reason in result.errors[0]["reason"]
    if expect.note:
        assert any(expect.note in note for note in result.notes), result.notes
    json.dumps(result.as_dict(), ensure_ascii=False).encode("utf-8")  # the CLI can print it


def check_stored(store: Store, case, results: list[FileResult]) -> None:
    files = store.table("files")
    read = [r for r in results if r.ok]
    assert len(files) == len(read)
    assert (files["rows"] == files["accepted"] + files["rejected"]).all()
    assert len(store.table("rejects")) == sum(len(r.errors) for r in read)
    stored = case.stored
    videos, daily = store.table("videos"), store.table("daily")
    if "titles" in stored:
        assert sorted(videos["title"]) == sorted(stored["titles"])
    if "likes" in stored:
        table = videos if len(videos) else daily
        total = table["likes"].sum(min_count=1)
        assert (None if pd.isna(total) else int(total)) == stored["likes"]
    if "accounts" in stored:
        assert store.accounts() == stored["accounts"]


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_every_bad_file_gets_its_expected_outcome(case):
    store = Store()
    try:
        results = ingest_files(
            store, [(case.name, (BAD / case.file).read_bytes())], today=TODAY, **case.options
        )
        assert len(results) == len(case.expect), [r.as_dict() for r in results]
        for result, expect in zip(results, case.expect, strict=True):
            check_result(result, expect, case.name)
        check_stored(store, case, results)
    finally:
        store.close()
    assert not Path(make_bad.PWNED).exists()


def test_hostile_titles_download_as_text_not_formulas():
    store = Store()
    ingest_files(
        store,
        [("c.csv", (BAD / "content_formula_titles.csv").read_bytes())],
        today=TODAY,
        export_date=make_bad.EXPORT,
    )
    downloaded = to_csv_bytes(store.table("videos")[["title"]]).decode("utf-8-sig").splitlines()[1:]
    assert all(line.lstrip('"').startswith("'") for line in downloaded), downloaded
    store.close()


@pytest.mark.parametrize(
    ("case_file", "words"),
    [
        ("entity_bomb_sheet.xlsx", "unrecognized entity"),
        ("xxe.xlsx", "unrecognized entity"),
        ("lying_sizes.xlsx", "larger than its declared"),
    ],
)
def test_calamine_itself_never_expands_entities_nor_reads_past_declared_sizes(case_file, words):
    """What readers.py relies on after its own checks of declared sizes (README: Hostile input)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO((BAD / case_file).read_bytes()))
    with pytest.raises(Exception, match=words):  # noqa: B017 - calamine's own error types
        workbook.get_sheet_by_index(0).to_python()


# --- the command line -----------------------------------------------------------------------

# One file of each family; the command line reads them all in one run (starting Python costs
# more than reading them), and two alone to check the exit status of each outcome.
CLI_SUBSET = [
    "empty.csv",
    "picture.csv",
    "random_bytes.csv",
    "overview_utf16le_bom.csv",
    "content_cp1252.csv",
    "overview_ragged_short.csv",
    "content_unclosed_quote.csv",
    "tracker_sql_header_mapped.csv",
    "overview_feb30.csv",
    "content_formula_titles.csv",
    "hostile_name_traversal.csv",
    "scrape_deep.json",
    "scrape_bad_values.json",
    "tracker_formulas.xlsx",
    "entity_bomb.xlsx",
    "zip_bomb.xlsx",
    "traversal.zip",
    "encrypted.zip",
    "declared_many_members.zip",
]
CLI_ALONE = {
    "overview_ragged_short.csv": (0, "Line 3 has fewer fields"),
    "picture.csv": (2, "picture.csv: is a PNG image"),
}


def cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kpi_core", "ingest", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture(scope="module")
def cli_runs() -> dict[str, tuple[int, str, str]]:
    """The command line's runs, started together: (exit status, stdout, stderr) by run."""
    started = {"subset": cli(*(str(BAD / f) for f in CLI_SUBSET), "--json", "--export-date", "2026-01-06")}
    started |= {f: cli(str(BAD / f), "--export-date", "2026-01-06") for f in CLI_ALONE}
    runs = {}
    for key, process in started.items():
        stdout, stderr = process.communicate(timeout=120)
        runs[key] = (process.returncode, stdout, stderr)
    return runs


def test_the_command_line_names_every_file_and_prints_no_traceback(cli_runs):
    status, stdout, stderr = cli_runs["subset"]
    assert status == 2 and "Traceback" not in stderr + stdout
    results = json.loads(stdout)["files"]
    for name in CLI_SUBSET:  # every file answers, by its own name or its members'
        assert any(r["name"] == name or r["name"].startswith(f"{name}/") for r in results), name
    assert all(r["rows"] == r["accepted"] + r["rejected"] for r in results)
    # stderr: exactly one sentence per file that could not be read, naming it and saying what to do
    assert stderr.splitlines() == [r["error"] for r in results if r["error"]]
    assert all(says_what_to_do(line) for line in stderr.splitlines())


@pytest.mark.parametrize("name", sorted(CLI_ALONE))
def test_the_command_line_exit_status_says_whether_the_file_was_read(cli_runs, name):
    status, stdout, stderr = cli_runs[name]
    expected_status, words = CLI_ALONE[name]
    assert status == expected_status and words in stdout + stderr and "Traceback" not in stderr


# --- the large shapes, built here ----------------------------------------------------------------


def _lines(n: int) -> bytes:
    return b"Day,Hearts,Plays\n" + b"x\n" * n


LARGE = {
    # name: (bytes builder, words of the error, of the first problem or of a note)
    "one_line_50mb.csv": (lambda: b"Date," + b"x" * 50_000_000, "no line break in its first MB"),
    "line_50mb_in_the_middle.csv": (
        lambda: (
            b"Day,Hearts,Plays\n2026-03-01,1,1\n2026-03-02," + b"9" * 50_000_000 + b",1\n2026-03-03,3,3\n"
        ),
        "Line 3 is longer than 10 MB",
    ),
    "array_100mb.json": (lambda: b"[" + b"1," * 50_000_000 + b"1]", "over the 50 MB limit"),
    "values_40mb.json": (lambda: b"[" + b"{}," * 13_000_000 + b"{}]", "JSON values, over the 4,000,000"),
    "columns_10000.csv": (
        lambda: (",".join(f"c{i}" for i in range(10_000)) + "\n" + "1," * 9_999 + "1\n").encode(),
        "has 10000 columns, more than the 1000",
    ),
    "columns_10000.json": (
        lambda: json.dumps([{f"f{i}": i for i in range(10_000)}]).encode(),
        "has 10000 different fields",
    ),
    "columns_10000.xlsx": (
        lambda: make_bad.xlsx([[f"c{i}" for i in range(10_000)], [1] * 10_000]),
        "has 10000 columns",
    ),
    "members_5000.zip": (
        lambda: make_bad.zip_bytes({f"m{i}.csv": b"a,b\n" for i in range(5000)}),
        "holds 5000 files",
    ),
    "declared_400mb.xlsx": (
        lambda: make_bad.patch_zip(make_bad.xlsx(make_bad.TRACKER), size=400_000_000, member=4),
        "expands to 400 MB",
    ),
    "date_cell_2mb.csv": (
        lambda: b"Day,Hearts,Plays\n" + b"June " * 400_000 + b",1,1\n2026-03-01,1,1\n",
        "(2,000,000 characters) is not a date",
    ),
    "broken_lines_3m.csv": (lambda: _lines(3_000_000), "more than 100,000 lines that do not fit"),
    "bad_counts_300k.csv": (
        lambda: b"Day,Hearts,Plays\n" + b"2026-03-01,lots,many\n" * 300_000,
        "Only the first 10,000 of 600,000 problems are listed",
    ),
}


@pytest.fixture(scope="module")
def large_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("large")
    for name, (build, _) in LARGE.items():
        (folder / name).write_bytes(build())
    return {name: folder / name for name in LARGE}


@pytest.mark.parametrize("name", sorted(LARGE))
def test_a_large_hostile_file_is_refused_or_cut_within_bounds(large_files, name):
    store = Store()
    started = time.monotonic()
    results = ingest_files(store, [(name, large_files[name].read_bytes())], today=TODAY)
    elapsed = time.monotonic() - started
    store.close()
    [result] = results
    words = LARGE[name][1]
    shown = " ".join([result.error or "", *(e["reason"] for e in result.errors[:1]), *result.notes])
    assert words in shown, result.as_dict() if len(str(result.as_dict())) < 3000 else shown[:3000]
    assert result.rows == result.accepted + result.rejected
    assert len(result.errors) <= 10_000 and all(len(e["reason"]) < 500 for e in result.errors)
    assert elapsed < 15, f"{name} took {elapsed:.1f} s"


# The command line, reporting its own peak memory (VmHWM: the high-water mark of this program,
# which rusage cannot give apart from the memory of the pytest process it was started from).
PEAK_REPORTING_CLI = (
    "import sys; from kpi_core.cli import main; status = main(sys.argv[1:]); "
    "sys.stderr.write([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]); "
    "sys.exit(status)"
)


def test_the_command_line_refuses_the_large_files_in_bounded_memory_and_time(large_files):
    """One process reads every large file: its peak memory stays under 1 GB and it takes < 60 s."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", PEAK_REPORTING_CLI, "ingest", *map(str, large_files.values()), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 2 and "Traceback" not in done.stderr
    results = json.loads(done.stdout)["files"]
    assert sorted(r["name"] for r in results) == sorted(LARGE)
    peak_mb = int(done.stderr.splitlines()[-1].split()[1]) / 1024
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"
    assert elapsed < 60, f"{elapsed:.0f} s"


def test_a_zip_whose_end_record_holds_its_own_signature_is_still_bounded():
    """The end record's directory offset can be written as the bytes of its signature: the last
    signature in the file is then no record, and the check must read the real one before zipfile
    builds an object for each of the directory's members."""
    data = bytearray(_make_bad().zip_bytes({f"m{i}.csv": b"a,b\n" for i in range(5000)}))
    assert data[-22:-18] == b"PK\x05\x06"  # the end record, no comment after it
    data[-6:-2] = b"PK\x05\x06"  # its directory offset field
    with pytest.raises(IngestError, match="holds 5000 files"):
        check_zip_directory("offset.zip", bytes(data))
    assert staged_size("offset.zip", bytes(data)) == len(data)  # refused: counted as itself
