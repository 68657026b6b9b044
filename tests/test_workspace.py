"""The workspace file: its format, a round trip, exports merged into a restored store, and every
kind of damage (each gets one sentence, and nothing is loaded)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.workspace import year_of_data
from kpi_core import workspace
from kpi_core.errors import IngestError
from kpi_core.ingest import FileResult, limits
from kpi_core.metrics.scoring import score
from kpi_core.planning.goals import Goal
from kpi_core.store import Store
from kpi_core.store.schema import RAW_TABLES
from kpi_core.workspace import ScenarioState, SessionState
from kpi_core.workspace.state import MappingChoice
from kpi_core.workspace.tables import sha256
from tests.test_store import add, day, video

STUDIO = Path(__file__).parent / "fixtures" / "studio"
SAVED_AT = datetime(2026, 1, 6, 9, 30)
GOAL = Goal("sample.brand", "likes", 500, date(2026, 1, 5), date(2026, 3, 1), "awareness").to_dict()
SCENARIO = ScenarioState(
    "likes",
    500.0,
    date(2026, 1, 5),
    date(2026, 3, 1),
    {"posts_per_week": 4.5, "like_rate_change": 10.0, "views_change": 0.0, "follower_change": 0.0},
    account="sample.brand",
    data_to=date(2026, 1, 2),
)
STATE = SessionState(
    uploads=(FileResult("Overview.csv", kind="studio_overview", label="TikTok Studio Overview", rows=12),),
    mappings=(MappingChoice("tracker.csv", ("Day", "Hearts"), {"date": "Day", "likes": "Hearts"}),),
    goals=(GOAL,),
    scenario=SCENARIO,
    content_rules=({"name": "tutorials", "text": "how to"},),
    benchmark_fit={"industry": "fashion", "follower_band": "5k-100k"},
    view={"account": "sample.brand", "period": "All data", "include_provisional": True},
)


@pytest.fixture(scope="module")
def brand() -> Store:
    """Studio exports of sample.brand (Overview ZIP, Content, Viewers, Followers ZIP)."""
    from kpi_core.ingest import ingest_paths

    store = Store()
    names = ["Overview_2026-01-04_1767657600_sample.brand.zip", "Viewers.csv", "Followers_sample.brand.zip"]
    ingest_paths(store, [STUDIO / n for n in names], today=date(2026, 1, 6))
    return store


@pytest.fixture(scope="module")
def saved(brand: Store) -> bytes:
    return workspace.workspace_bytes(workspace.saved_tables(brand), STATE, SAVED_AT)


def restored(data: bytes) -> tuple[Store, workspace.Workspace]:
    opened = workspace.read_workspace("brand.zip", data)
    store = Store()
    workspace.restore(store, opened)
    return store, opened


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(files: dict[str, bytes], mimetype_first: bool = True) -> bytes:
    """A ZIP of `files` as the app writes one (mimetype first and stored)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            method = (
                zipfile.ZIP_STORED
                if name == "mimetype" or name.endswith(".parquet")
                else zipfile.ZIP_DEFLATED
            )
            zf.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def refused(data: bytes, name: str = "brand.zip") -> str:
    with pytest.raises(IngestError) as caught:
        workspace.read_workspace(name, data)
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and "nothing was loaded" in message
    assert "\n" not in message and "Traceback" not in message
    return message


# --- the format --------------------------------------------------------------------------------


def test_a_workspace_is_a_zip_of_parquet_tables_and_json_with_the_mimetype_first(saved):
    with zipfile.ZipFile(io.BytesIO(saved)) as zf:
        names = zf.namelist()
        assert names[0] == "mimetype" and zf.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == workspace.MIMETYPE
    assert set(names) == {
        "mimetype",
        "manifest.json",
        "state.json",
        *(f"tables/{t}.parquet" for t in RAW_TABLES),
    }
    assert saved[30:38] == b"mimetype"  # recognised from its first bytes, as ODF and EPUB files are
    assert not any(n.endswith((".pkl", ".pickle", ".py")) for n in names)


def test_the_manifest_says_format_version_accounts_ranges_rows_and_a_checksum_per_table(saved, brand):
    files = members(saved)
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "tiktok-likes-kpi-studio/workspace"
    assert manifest["format_version"] == workspace.FORMAT_VERSION == 1
    assert manifest["app_version"] == "0.1.0" == workspace.app_version()
    assert manifest["saved_at"] == "2026-01-06T09:30:00"
    [account] = manifest["accounts"]
    assert account["account"] == "sample.brand"
    days = brand.table("daily")["date"]
    assert (account["date_from"], account["date_to"]) == (f"{days.min():%Y-%m-%d}", f"{days.max():%Y-%m-%d}")
    assert account["days"] == days.nunique() and account["videos"] == 0
    for table, snapshot in brand.snapshot().items():
        entry = manifest["tables"][table]
        assert entry["rows"] == len(snapshot)
        assert entry["sha256"] == sha256(files[entry["member"]])
    assert manifest["state"]["sha256"] == sha256(files["state.json"])


def test_each_accounts_summary_counts_its_days_and_videos_over_every_snapshot_kept():
    store = Store()
    add(store, "daily_raw", [day(1, date(2026, 1, 5)), day(3, date(2026, 1, 5))], name="a1.csv")
    add(
        store, "daily_raw", [day(3, date(2026, 1, 9)), day(4, date(2026, 1, 9))], name="a2.csv"
    )  # day 3 again
    posted = {"posted_at": pd.Timestamp(2026, 1, 2, 23, 30)}
    rows = [
        {**video("v1", date(2026, 1, 5), **posted), "account": "b"},
        {**video("v1", date(2026, 1, 9), **posted), "account": "b"},  # a second snapshot of it
        {**video("v2", date(2026, 1, 9), posted_at=pd.Timestamp(2026, 1, 7, 8)), "account": "b"},
        {**video("v3", date(2026, 1, 9)), "account": "b"},  # no posting time
    ]
    add(store, "videos_raw", rows, name="b.csv", kind="scraper_videos")
    store.set_time_zone("b", "Europe/Berlin")
    summaries = {s.account: s.to_json() for s in workspace.saved_tables(store).accounts}
    assert summaries == {
        "a": {
            "account": "a", "days": 3, "date_from": "2026-01-01", "date_to": "2026-01-04",
            "videos": 0, "posted_from": None, "posted_to": None, "time_zone": None,
        },
        "b": {
            "account": "b", "days": 0, "date_from": None, "date_to": None,
            "videos": 3, "posted_from": "2026-01-02", "posted_to": "2026-01-07", "time_zone": "Europe/Berlin",
        },
    }  # fmt: skip
    with pytest.raises(ValueError, match="not a raw table"):
        store.raw_arrow("videos")  # a view, not a stored table
    store.close()


def test_tables_keep_their_exact_column_types(saved):
    table = pq.read_table(io.BytesIO(members(saved)["tables/daily_raw.parquet"]))
    types = dict(zip(table.schema.names, table.schema.types, strict=True))
    assert (
        types["date"] == pa.date32() and types["likes"] == pa.int64() and types["provisional"] == pa.bool_()
    )
    assert table.schema.names == list(RAW_TABLES["daily_raw"])
    assert table.schema.metadata is None or b"pandas" not in table.schema.metadata  # columns only


def test_the_app_version_is_the_one_pyproject_declares():
    import tomllib

    root = Path(__file__).resolve().parents[1]
    assert (
        workspace.app_version() == tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]
    )


# --- round trip --------------------------------------------------------------------------------


def test_a_restored_store_holds_the_same_tables_and_gives_the_same_kpis(saved, brand):
    store, _ = restored(saved)
    for table, before in brand.snapshot().items():
        after = store.snapshot()[table]
        pd.testing.assert_frame_equal(
            after.astype(object).where(after.notna(), None), before.astype(object).where(before.notna(), None)
        )
    assert score(store) == score(brand)
    assert store.accounts() == brand.accounts()


def test_the_session_state_comes_back_as_it_was_saved(saved):
    _, opened = restored(saved)
    assert opened.state == STATE
    assert opened.state.scenario == SCENARIO and opened.state.goals == (GOAL,)


def test_the_workspace_line_says_what_was_restored(saved, brand):
    line = workspace.read_workspace("brand.zip", saved).file_result()
    assert (line.kind, line.label, line.account) == ("workspace", "Saved workspace", "sample.brand")
    days = brand.table("daily")["date"]
    assert (line.date_from, line.date_to) == (days.min().date(), days.max().date())
    assert line.rows == line.accepted > 0 and line.ok
    assert line.notes == [
        "Saved 06 Jan 2026 09:30 by version 0.1.0: 1 earlier upload, 1 goal, the what-if scenario restored"
    ]


def test_saving_a_restored_workspace_again_gives_the_same_tables(saved):
    store, opened = restored(saved)
    again = workspace.workspace_bytes(workspace.saved_tables(store), opened.state, SAVED_AT)
    first, second = members(saved), members(again)
    assert {n: d for n, d in first.items() if n.startswith("tables/")} == {
        n: d for n, d in second.items() if n.startswith("tables/")
    }


def test_an_empty_store_saves_and_restores():
    empty = Store()
    store, opened = restored(
        workspace.workspace_bytes(workspace.saved_tables(empty), SessionState(), SAVED_AT)
    )
    assert store.accounts() == [] and opened.file_result().account is None and opened.state == SessionState()


# --- merge ---------------------------------------------------------------------------------------


def test_exports_uploaded_after_a_restore_merge_by_the_usual_rules(saved, ingest_into):
    store, _ = restored(saved)
    before = store.snapshot()
    ingest_into(store, "studio/Content.csv")  # new: its videos join the restored days
    assert len(store.table("videos", "sample.brand")) == 4
    ingest_into(store, "studio/Viewers.csv")  # already in the workspace: nothing changes
    assert len(store.snapshot()["daily_raw"]) == len(before["daily_raw"])
    file_ids = store.snapshot()["files"]["file_id"]
    assert (
        file_ids.is_unique and file_ids.max() == len(before["files"]) + 1
    )  # ids continue after the restored log


def test_a_newer_export_of_the_same_days_adds_a_snapshot_and_the_views_pick_it(
    saved, ingest_bytes, studio_csv, store
):
    restored_store, _ = restored(saved)
    later = studio_csv(
        ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"],
        [["January 3", "999", "1", "77", "0", "0"], ["January 4", "999", "1", "78", "0", "0"]],
    )
    from kpi_core.ingest import ingest_files

    ingest_files(
        restored_store, [("Overview.csv", later)], account="sample.brand", export_date=date(2026, 1, 20)
    )
    raw = restored_store.table("daily_raw", "sample.brand")
    assert (raw["date"] == pd.Timestamp("2026-01-03")).sum() >= 2  # the raw table keeps every snapshot
    daily = restored_store.table("daily", "sample.brand").set_index("date")
    assert daily.loc[pd.Timestamp("2026-01-03"), "likes"] == 77  # the view picks the latest


# --- every kind of damage --------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0.05, 0.3, 0.6, 0.95, 0.999])
def test_a_truncated_workspace_is_refused_in_one_sentence(saved, keep):
    message = refused(saved[: int(len(saved) * keep)])
    assert "damaged or incomplete" in message


def test_a_byte_changed_inside_a_table_is_caught(saved):
    files = members(saved)
    offset = saved.index(files["tables/daily_raw.parquet"][100:140]) + 10
    damaged = saved[:offset] + bytes([saved[offset] ^ 0xFF]) + saved[offset + 1 :]
    message = refused(damaged)
    assert "daily_raw" in message


def test_a_table_replaced_after_saving_fails_its_checksum(saved):
    files = members(saved)
    frame = pq.read_table(io.BytesIO(files["tables/daily_raw.parquet"]))
    likes = pa.array([10**6] * frame.num_rows, pa.int64())
    buffer = io.BytesIO()
    pq.write_table(frame.set_column(frame.schema.get_field_index("likes"), "likes", likes), buffer)
    message = refused(rezip({**files, "tables/daily_raw.parquet": buffer.getvalue()}))
    assert "changed after it was saved" in message and "daily_raw" in message


def test_a_state_edited_after_saving_fails_its_checksum(saved):
    files = members(saved)
    state = json.loads(files["state.json"])
    state["goals"][0]["target"] = 1
    message = refused(rezip({**files, "state.json": json.dumps(state).encode()}))
    assert "changed after it was saved" in message and "state.json" in message


def test_a_newer_format_is_refused_with_the_versions(saved):
    files = members(saved)
    manifest = json.loads(files["manifest.json"])
    manifest.update(format_version=2, app_version="0.9.0")
    message = refused(
        rezip({**files, "manifest.json": json.dumps(manifest).encode(), "tables/new.parquet": b"x"})
    )
    assert "newer version of the app (0.9.0, workspace format 2; this one, 0.1.0, reads format 1)" in message


def _with_manifest(saved: bytes, change: Callable[[dict], None]) -> bytes:
    files = members(saved)
    manifest = json.loads(files["manifest.json"])
    change(manifest)
    return rezip({**files, "manifest.json": json.dumps(manifest).encode()})


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda m: m.update(format="something else"), "not a workspace manifest"),
        (lambda m: m.update(format_version="1"), "format version is missing"),
        (lambda m: m.pop("tables"), "manifest is incomplete"),
        (lambda m: m["tables"]["daily_raw"].update(rows=1), "holds"),
        (lambda m: m["accounts"][0].update(date_from="soon"), "manifest is incomplete"),
    ],
)
def test_a_broken_manifest_is_refused(saved, change, words):
    assert words in refused(_with_manifest(saved, change))


def test_a_table_with_other_columns_is_refused_even_with_a_matching_checksum(saved):
    files = members(saved)
    table = pa.table({"account": ["x"], "evil": [1]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    data = buffer.getvalue()

    def point_at_it(m: dict) -> None:
        m["tables"]["audience_raw"].update(rows=1, sha256=sha256(data))

    files = members(_with_manifest(saved, point_at_it))
    assert "does not have the table's columns" in refused(
        rezip({**files, "tables/audience_raw.parquet": data})
    )


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"payload.pkl": b"\x80\x04K\x01."}, "not part of a workspace"),  # a workspace is data, never code
        ({"../escape.json": b"{}"}, "not part of a workspace"),
        ({f"tables/x{i}.parquet": b"" for i in range(limits.MAX_ZIP_MEMBERS)}, "members"),
    ],
)
def test_members_that_are_not_part_of_a_workspace_are_refused(saved, extra, words):
    assert words in refused(rezip({**members(saved), **extra}))


def test_a_missing_table_is_refused(saved):
    files = members(saved)
    del files["tables/videos_raw.parquet"]
    assert "tables/videos_raw.parquet is missing" in refused(rezip(files))


def test_a_state_that_is_not_json_or_not_a_session_is_refused(saved):
    for state, words in ((b"\xff\xfe", "not JSON"), (b'{"goals": [{"metric": "likes"}]}', "session state")):
        data = _with_manifest(saved, lambda m, s=state: m["state"].update(sha256=sha256(s)))
        assert words in refused(rezip({**members(data), "state.json": state}))


def test_a_deeply_nested_state_is_refused_not_a_recursion_error(saved):
    state = b"[" * 100_000 + b"]" * 100_000
    data = _with_manifest(saved, lambda m: m["state"].update(sha256=sha256(state)))
    assert "damaged" in refused(rezip({**members(data), "state.json": state}))


def test_a_zip_bomb_member_is_refused(saved):
    state = b"[" + b" " * 50_000_000 + b"]"
    data = _with_manifest(saved, lambda m: m["state"].update(sha256=sha256(state)))
    assert "expands" in refused(rezip({**members(data), "state.json": state}))


def test_a_file_over_the_upload_cap_is_refused_before_it_is_opened(monkeypatch, saved):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", len(saved) - 1)
    assert "over the" in refused(saved)


def test_a_file_that_is_not_a_zip_is_refused():
    assert "not a ZIP file" in refused(b"PK\x03\x05 nothing", "my workspace.zip")


def test_a_repeated_file_id_in_the_upload_log_is_refused(saved):
    files = members(saved)
    table = pq.read_table(io.BytesIO(files["tables/files.parquet"]))
    doubled = pa.concat_tables([table, table])
    buffer = io.BytesIO()
    pq.write_table(doubled, buffer)
    data = buffer.getvalue()
    changed = _with_manifest(
        saved, lambda m: m["tables"]["files"].update(rows=doubled.num_rows, sha256=sha256(data))
    )
    assert "repeats a file id" in refused(rezip({**members(changed), "tables/files.parquet": data}))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_damage_is_either_harmless_or_one_sentence(saved, data):
    """Flip, drop or cut bytes anywhere: reading gives the same workspace or an IngestError."""
    position = data.draw(st.integers(0, len(saved) - 1))
    how = data.draw(st.sampled_from(["flip", "drop", "cut"]))
    if how == "flip":
        damaged = (
            saved[:position]
            + bytes([saved[position] ^ data.draw(st.integers(1, 255))])
            + saved[position + 1 :]
        )
    elif how == "drop":
        damaged = saved[:position] + saved[position + 1 :]
    else:
        damaged = saved[:position]
    try:
        opened = workspace.read_workspace("brand.zip", damaged)
    except IngestError as exc:
        assert "nothing was loaded" in str(exc)
    else:  # a byte no reader looks at (a ZIP timestamp, say): the content is intact
        assert opened.state == STATE


# --- telling workspaces from exports ---------------------------------------------------------------


def test_workspaces_are_told_apart_from_exports_by_their_first_bytes(saved):
    assert workspace.is_workspace("renamed.zip", saved)
    assert workspace.is_workspace("anything", saved)
    for export in STUDIO.iterdir():
        assert not workspace.is_workspace(export.name, export.read_bytes())
    assert workspace.is_workspace(
        "workspace_brand_2026-01-04.zip", saved[:20]
    )  # too cut to show its mimetype


def test_open_uploads_restores_one_workspace_and_leaves_exports_for_ingest(saved):
    content = (STUDIO / "Content.csv").read_bytes()
    opened = workspace.open_uploads([("Content.csv", content), ("a.zip", saved), ("b.zip", saved)])
    assert opened.workspace is not None and opened.exports == [("Content.csv", content)]
    assert [r.name for r in opened.results] == ["a.zip", "b.zip"]
    assert opened.results[1].error == (
        "b.zip: only one workspace can be opened at a time, so this one was not read. Upload it on its own"
    )


def test_a_damaged_workspace_among_uploads_restores_nothing(saved):
    opened = workspace.open_uploads([("a.zip", saved[:-100])])
    assert opened.workspace is None and opened.exports == []
    [line] = opened.results
    assert line.error and "damaged or incomplete" in line.error


# --- size -----------------------------------------------------------------------------------------


def test_a_year_of_days_and_a_thousand_videos_make_a_workspace_under_one_megabyte():
    store = Store()
    year_of_data(store)
    assert len(store.table("daily")) == 365 and len(store.table("videos")) == 1000
    data = workspace.workspace_bytes(workspace.saved_tables(store), SessionState(), SAVED_AT)
    assert len(data) < 1_000_000
    again, _ = restored(data)
    assert score(again) == score(store)


def test_the_workspace_benchmark_runs_and_reports_its_targets(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "WORKSPACE.md"
    subprocess.run(
        [sys.executable, str(root / "bench" / "workspace.py"), "--runs", "1", "--out", str(out)],
        cwd=root,
        check=True,
        timeout=600,
        capture_output=True,
    )
    text = out.read_text(encoding="utf-8")
    assert "| a year of daily rows and 1,000 videos |" in text and "| restore it" in text
    assert "under 1 MB | yes |" in text  # sizes are not timings: they hold on any machine
