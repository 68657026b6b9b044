"""Coverage-guided fuzzing of file recognition and parsing, with atheris (libFuzzer for Python).

    pip install atheris
    python bench/fuzz_atheris.py -max_total_time=600 -rss_limit_mb=4096

The seeds are every file under tests/fixtures/ (the real export formats and the hostile corpus),
copied to a scratch corpus folder that libFuzzer grows (give your own folder as the last argument
to keep it between runs). An input fails when `read_upload` raises anything but IngestError, when
`ingest_files` raises, or when one of its results breaks the row accounting or is the catch-all
"problem on our side" message; libFuzzer then saves the input as ./crash-<sha1>.

The first byte of an input picks the upload's name (the name carries hints such as a ZIP's export
date), the rest is the file. Only kpi_core is instrumented: coverage of pandas or DuckDB would
drown the signal and slow every run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["kpi_core"]):
    from kpi_core.errors import IngestError
    from kpi_core.ingest import UNEXPECTED, ingest_files
    from kpi_core.ingest.readers import read_upload
    from kpi_core.store import Store

NAMES = (
    "Overview.csv",
    "Content.csv",
    "scrape.json",
    "report.xlsx",
    "Overview_2026-01-04_1767657600_brand.zip",
    "Followers_brand.zip",
    "data.txt",
    "x",
)
WORKDIR = Path(tempfile.mkdtemp(prefix="kpi-fuzz-"))
STORE = Store()
RUNS = [0]


def one_input(data: bytes) -> None:
    if not data:
        return
    name, body = NAMES[data[0] % len(NAMES)], data[1:]
    try:
        for _ in read_upload(name, body, WORKDIR):
            pass
    except IngestError:
        pass
    for path in WORKDIR.iterdir():  # read_upload stages CSVs here; ingest_files cleans its own
        path.unlink()
    for result in ingest_files(STORE, [(name, body)], today=date(2026, 11, 25)):
        if result.rows != result.accepted + result.rejected:
            raise AssertionError(f"row accounting broken: {result.as_dict()}")
        if result.error and UNEXPECTED in result.error:
            raise AssertionError(result.error)
    RUNS[0] += 1
    if RUNS[0] % 500 == 0:  # keep the long run's memory flat
        STORE.clear()


def seed_corpus(folder: Path) -> None:
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*")):
        if path.is_file() and path.suffix != ".py" and path.stat().st_size < 1_000_000:
            index = next(
                (i for i, n in enumerate(NAMES) if n.rsplit(".", 1)[-1] == path.suffix.lstrip(".")), 0
            )
            (folder / f"{path.parent.name}-{path.name}").write_bytes(bytes([index]) + path.read_bytes())


def main() -> None:
    args = list(sys.argv)
    if not any(Path(a).is_dir() for a in args[1:]):
        corpus = Path(tempfile.mkdtemp(prefix="kpi-fuzz-corpus-"))
        seed_corpus(corpus)
        args.append(str(corpus))
    try:
        atheris.Setup(args, one_input)
        atheris.Fuzz()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
