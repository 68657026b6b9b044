"""The store's kept answers: one DuckDB read per question and data version, never a stale or
shared answer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from kpi_core.metrics.scope import data_extent
from kpi_core.metrics.scoring import score
from kpi_core.metrics.trends import daily_series
from kpi_core.metrics.values import daily_results, video_results
from kpi_core.store import Store
from kpi_core.store.answers import MAX_KEPT_CELLS, MAX_ROWS, Answers
from tests.test_store import add, day, video


class Reads:
    """A read that counts how often it ran and answers with what it is given."""

    def __init__(self, answer: object) -> None:
        self.answer, self.calls = answer, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.answer


def test_a_question_is_read_once_per_version_and_again_after_a_change():
    answers, read = Answers(), Reads({"likes": 5})
    assert answers.get(1, "row", "SELECT 1", {"a": "x"}, read) == {"likes": 5}
    assert answers.get(1, "row", "SELECT 1", {"a": "x"}, read) == {"likes": 5}
    assert read.calls == 1
    assert answers.get(2, "row", "SELECT 1", {"a": "x"}, read) == {"likes": 5}
    assert read.calls == 2


def test_values_that_bind_differently_are_different_questions():
    answers = Answers()
    for i, value in enumerate((1, 1.0, True, "1", [1], date(2026, 1, 1), -0.0)):
        assert answers.get(1, "value", "SELECT $v", {"v": value}, Reads(i)) == i
    assert answers.get(1, "value", "SELECT $v", {"v": 1}, Reads("again")) == 0
    assert answers.get(1, "value", "SELECT $v", {"v": True}, Reads("again")) == 2
    assert answers.get(1, "value", "SELECT $v", {"v": 0.0}, Reads("zero")) == "zero"  # not -0.0's
    decimal = Reads("decimal")  # 1.0 and 1.00 bind as different types: never kept
    for value in (Decimal("1.0"), Decimal("1.00")):
        answers.get(1, "value", "SELECT $v", {"v": value}, decimal)
    assert decimal.calls == 2


def test_an_answer_is_handed_out_as_a_copy():
    answers = Answers()
    frame = answers.get(1, "table", "q", {}, Reads(pd.DataFrame({"likes": [1, 2]})))
    frame.loc[0, "likes"] = 99
    row = answers.get(1, "row", "r", {}, Reads({"likes": 1}))
    row["likes"] = 99
    assert answers.get(1, "table", "q", {}, Reads(None))["likes"].tolist() == [1, 2]
    assert answers.get(1, "row", "r", {}, Reads(None)) == {"likes": 1}
    # A row's list (a series read with the per-day KPIs) is copied too.
    listed = answers.get(1, "row", "s", {}, Reads({"series": [1, None, 3]}))
    listed["series"].append(4)
    assert answers.get(1, "row", "s", {}, Reads(None)) == {"series": [1, None, 3]}


def test_a_rows_lists_count_each_value_against_the_bound():
    answers = Answers()
    row = Reads({"likes": 1, "series": list(range(MAX_KEPT_CELLS // 2))})
    answers.get(1, "row", "a", {}, row)
    assert answers._cells == MAX_KEPT_CELLS // 2 + 1
    answers.get(1, "row", "b", {}, Reads({"series": list(range(MAX_KEPT_CELLS // 2))}))
    answers.get(1, "row", "a", {}, row)  # dropped to make room for the second: read again
    assert row.calls == 2


def test_large_tables_and_unkeyable_values_are_read_every_time():
    answers = Answers()
    big = Reads(pd.DataFrame({"x": range(MAX_ROWS + 1)}))
    odd = Reads(3)
    for _ in range(2):
        answers.get(1, "table", "big", {}, big)
        answers.get(1, "value", "odd", {"v": object()}, odd)
    assert (big.calls, odd.calls) == (2, 2)


def test_the_kept_values_stay_bounded_however_many_questions():
    answers, table = Answers(), Reads(pd.DataFrame({"x": range(MAX_ROWS), "y": range(MAX_ROWS)}))
    asked = MAX_KEPT_CELLS // table.answer.size + 1  # type: ignore[attr-defined]
    for i in range(asked):
        answers.get(1, "table", "q", {"i": i}, table)
    assert answers._cells <= MAX_KEPT_CELLS
    answers.get(1, "table", "q", {"i": 0}, table)  # the first was dropped to make room: read again
    assert table.calls == asked + 1


@pytest.fixture
def store_with_a_video(store: Store) -> Store:
    posted = {"posted_at": pd.Timestamp(2026, 1, 2)}
    add(
        store,
        "videos_raw",
        [video("1", date(2026, 1, 6), likes=10, views=100, **posted)],
        kind="scraper_videos",
    )
    return store


def test_the_stores_answers_follow_every_upload(store_with_a_video):
    store = store_with_a_video
    assert video_results(store, "a", None, None)["likes"].value == 10
    add(
        store,
        "videos_raw",
        [video("2", date(2026, 1, 6), likes=5, views=50, posted_at=pd.Timestamp(2026, 1, 3))],
        name="g.csv",
        kind="scraper_videos",
    )
    assert video_results(store, "a", None, None)["likes"].value == 15
    assert data_extent(store, "a") == (date(2026, 1, 2), date(2026, 1, 3))


def test_an_accounts_data_span_is_its_first_and_last_day_or_none(store_with_a_video):
    store = store_with_a_video
    add(store, "daily_raw", [{**day(5, date(2026, 1, 9), likes=7), "account": "b"}], name="b.csv")
    undated = {**video("9", date(2026, 1, 9), likes=1), "account": "c"}  # no posting time
    add(store, "videos_raw", [undated], name="c.csv", kind="scraper_videos")
    assert data_extent(store, "a") == (date(2026, 1, 2), date(2026, 1, 2))  # its video's posting day
    assert data_extent(store, "b") == (date(2026, 1, 5), date(2026, 1, 5))  # its daily row
    assert data_extent(store, "c") == (None, None)  # None, never NaT (which formats as an error)
    assert data_extent(store, "nobody") == (None, None)
    scored = score(store, "c")  # the command line printed "NaT" for these
    assert (scored["date_from"], scored["date_to"]) == (None, None)


def test_one_question_asked_as_a_row_and_as_a_table_gets_each(store_with_a_video):
    # daily_results asks for the period row of the same SQL that daily_series(grain="all") asks as a table
    store = store_with_a_video
    add(store, "daily_raw", [day(5, date(2026, 1, 9), likes=7)], name="d.csv")
    for _ in range(2):
        assert daily_results(store, "a", None, None)["likes"].value == 7
        assert daily_series(store, "a", grain="all")["likes"].tolist() == [7]


def test_a_rolled_back_change_leaves_no_answer_that_saw_its_rows(store_with_a_video, monkeypatch):
    store = store_with_a_video

    def insert_then_fail(*args: object) -> None:
        store.con.execute("UPDATE videos_raw SET likes = 999")
        assert store.scalar("most_videos_account") == "a"  # read inside the transaction
        store._refresh_videos()
        assert video_results(store, "a", None, None)["likes"].value == 999
        raise MemoryError("out of memory half-way")

    monkeypatch.setattr(store, "_insert_file", insert_then_fail)
    with pytest.raises(MemoryError):
        store.add_file({"name": "x.csv", "kind": "scraper_videos", "content_hash": "h"}, None, None, [])
    assert video_results(store, "a", None, None)["likes"].value == 10  # `videos` rebuilt from the kept rows
