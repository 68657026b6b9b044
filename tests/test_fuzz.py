"""Fuzzing the file-recognition and parsing entry points: whatever the bytes, `read_upload` raises
nothing but the project's IngestError, and `ingest_files` returns results (it never raises, and no
result is the catch-all "problem on our side").

The budget here is small and derandomised so it runs with the suite (about 20 s). The longer run:

    HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py     # 20x the examples, random seeds
    python bench/fuzz_atheris.py -max_total_time=600                  # coverage-guided, see README
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_core.errors import IngestError
from kpi_core.ingest import UNEXPECTED, FileResult, ingest_files
from kpi_core.ingest.readers import Sheet, read_upload
from kpi_core.ingest.readers.text import is_utf8
from kpi_core.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"


def budget(examples: int) -> settings:
    return settings(
        max_examples=examples * (20 if LONG else 1),
        deadline=None,
        derandomize=not LONG,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )


# Real files to mutate: a fuzzer that starts from valid exports reaches the parsers' depths.
SEEDS = {
    name: (FIXTURES / name).read_bytes()
    for name in (
        "studio/Overview.csv",
        "studio/Content.csv",
        "studio/FollowerActivity.csv",
        "scrapers/apify.json",
        "scrapers/tiktokapi.json",
        "ads/ads_report.xlsx",
        "studio/Followers_sample.brand.zip",
        "mapped/my_tracker.csv",
        "bad/overview_mixed_date_orders.csv",
    )
}

HEADERS = [
    "Date",
    "Video Views",
    "Profile Views",
    "Likes",
    "Comments",
    "Shares",
    "Time",
    "Video title",
    "Video link",
    "Post time",
    "Total likes",
    "Total views",
    "Hour",
    "Active followers",
    "Gender",
    "Distribution",
    "Campaign name",
    "By Day",
    "Cost",
    "Paid likes",
    "id",
    "diggCount",
    "playCount",
    "createTimeISO",
    "Hearts",
    "Plays",
    "Day",
    "Link",
    "Title",
    "Followers",
    "Difference in followers from previous day",
    "userName",
    'likes"; DROP TABLE x; --',
    "",
]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "undefined",
            "#N/A",
            "-",
            "12",
            "1,234",
            "1.2K",
            "-5",
            "1e400",
            "June 30",
            "February 30",
            "25 Φεβρουαρίου",
            "2026-01-04",
            "2099-01-01T00:00:00Z",
            "2025-08-06 19:08:26",
            "3/4/2022",
            "20/6/2022",
            "6/20/2022",
            "24",
            "−3",
            "1767657600",
            "https://www.tiktok.com/@a/video/7590000000000000001",
            "Total of 3 results",
            "56%",
            "=cmd|' /C calc'!A0",
            "\u202eevil",
            "😀",
            "a\x00b",
            '"',
            '""',
            "\r",
            "\n",
            ";",
            "\t",
        ]
    ),
    st.text(max_size=12),
)


def check(results: list[FileResult]) -> None:
    """What every outcome must be: accounted for, JSON-ready, and one of our sentences."""
    for r in results:
        assert r.rows == r.accepted + r.rejected and min(r.rows, r.accepted, r.rejected) >= 0
        json.dumps(r.as_dict(), ensure_ascii=False, default=str).encode("utf-8")
        if r.error is not None:
            assert UNEXPECTED not in r.error, r.error
            assert "Traceback" not in r.error and r.error.startswith(r.name.split("/")[0])


@pytest.fixture(scope="module")
def shared_store():
    # One store for every example: opening one costs more than most examples, and a store that
    # has seen hundreds of hostile files must still be sound.
    store = Store()
    yield store
    store.close()


def ingest(store: Store, name: str, data: bytes) -> list[FileResult]:
    results = ingest_files(store, [(name, data)], today=date(2026, 11, 25))
    check(results)
    return results


def read_all(name: str, data: bytes, workdir: Path) -> None:
    try:
        for item in read_upload(name, data, workdir):
            assert isinstance(item, Sheet | IngestError)
    except IngestError as exc:
        assert str(exc).startswith(name)


@given(
    data=st.binary(max_size=3000),
    prefix=st.sampled_from(
        [
            b"",
            b"PK\x03\x04",
            b"PK\x05\x06",
            b"%PDF",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"\xfe\xff",
            b"[",
            b"{",
            b'"Date","Likes"\n',
            b"\x89PNG",
        ]
    ),
)
@budget(300)
def test_read_upload_raises_only_ingest_errors_on_any_bytes(tmp_path, prefix, data):
    read_all("fuzz.csv", prefix + data, tmp_path)


@given(
    seed=st.sampled_from(sorted(SEEDS)),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.sampled_from(["flip", "insert", "delete", "cut"]),
            st.binary(min_size=1, max_size=8),
        ),
        min_size=1,
        max_size=6,
    ),
)
@budget(60)
def test_mutated_real_exports_never_raise(shared_store, seed, edits):
    data = bytearray(SEEDS[seed])
    for where, how, chunk in edits:
        at = int(where * max(len(data) - 1, 0))
        if how == "flip" and data:
            data[at] ^= chunk[0] or 1
        elif how == "insert":
            data[at:at] = chunk
        elif how == "delete":
            del data[at : at + len(chunk)]
        else:
            del data[at:]
    ingest(shared_store, Path(seed).name, bytes(data))


@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quote_all=st.booleans(),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8-sig", "utf-16", "cp1252"]),
)
@budget(60)
def test_csv_shaped_text_never_raises(shared_store, header, rows, delimiter, quote_all, line_end, encoding):
    def field(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if quote_all else text

    text = line_end.join(delimiter.join(field(f) for f in record) for record in [header, *rows])
    ingest(shared_store, "fuzz.csv", text.encode(encoding, errors="replace"))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | CELLS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(HEADERS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=25,
)


@given(
    records=st.lists(st.dictionaries(st.sampled_from(HEADERS), JSON_VALUES, max_size=8), max_size=6),
    wrapper=st.sampled_from(
        [None, "collector", "items", "data", "Post/Posts/VideoList", "Video/Videos/VideoList", "Profile"]
    ),
    others=st.dictionaries(st.sampled_from(["Activity", "Comment", "Profile"]), JSON_VALUES, max_size=2),
)
@budget(40)
def test_json_shaped_records_never_raise(shared_store, records, wrapper, others):
    """Scraper lists, and "Download your data" archives nesting records among other sections."""
    document: object = records
    for key in reversed(wrapper.split("/") if wrapper else []):
        document = {key: document}
    if isinstance(document, dict):
        document = {**others, **document}
    ingest(shared_store, "scrape.json", json.dumps(document).encode())


@given(
    members=st.lists(
        st.tuples(
            st.sampled_from(
                ["Overview.csv", "../x.csv", "a/b/Content.csv", "in.zip", "__MACOSX/._a", "x.json", "y.xlsx"]
            ),
            st.sampled_from(sorted(SEEDS)),
        ),
        max_size=4,
    ),
    name=st.sampled_from(["Overview_2026-01-04_1767657600_brand.zip", "Followers_x.zip", "a.zip"]),
)
@budget(25)
def test_zips_of_real_and_odd_members_never_raise(shared_store, members, name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i, (member, seed) in enumerate(members):
            zf.writestr(f"{i}/{member}" if member in {m for m, _ in members[:i]} else member, SEEDS[seed])
    ingest(shared_store, name, buffer.getvalue())


def test_the_shared_store_is_still_sound_after_the_fuzzing(shared_store):
    files = shared_store.table("files")
    assert (files["rows"] == files["accepted"] + files["rejected"]).all()
    for table in ("daily", "videos", "audience", "ads", "rejects"):
        shared_store.table(table)


def _python_reads(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


EDGES = [
    b"",
    b"plain ascii, 1,2,3\n",
    "caf\u00e9 \u2764\ufe0f \U0001f484 \u4e2d\u6587".encode(),  # two, three and four bytes
    b"\xc0\x80",  # an overlong NUL
    b"\xe0\x80\xaf",  # an overlong slash
    b"\xed\xa0\x80",  # a surrogate
    b"\xf4\x90\x80\x80",  # past U+10FFFF
    b"\xf8\x88\x80\x80\x80",  # a five-byte form
    b"caf\xe9",  # Windows-1252
    b"ok \xe2\x82",  # cut at the end
    b"\x80 a lone continuation",
    "\U0010ffff".encode(),
    b"\xef\xbf\xbe",  # U+FFFE: a noncharacter, still UTF-8
]


@pytest.mark.parametrize("data", EDGES)
def test_utf8_is_judged_as_pythons_codec_judges_it(data):
    assert is_utf8(data) is _python_reads(data)
    assert is_utf8(memoryview(b"\xef\xbb\xbf" + data)[3:]) is _python_reads(data)  # a slice, as staged


@budget(400)
@given(
    st.integers(0, 2048),  # ASCII before: Arrow checks long ASCII runs in blocks
    st.one_of(st.binary(max_size=64), st.text(max_size=32).map(lambda t: t.encode("utf-8", "surrogatepass"))),
)
def test_utf8_is_judged_as_pythons_codec_judges_it_on_any_bytes(ascii_before, data):
    data = b"a" * ascii_before + data
    assert is_utf8(data) is _python_reads(data)
