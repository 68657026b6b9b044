"""AppTest tests of the Overview's "What changed" digest and "Why likes changed" section: the
sentences, figures, waterfall and tree the engine computes, and "Plan from here" opening What-if at
the period's values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.shapes import build
from kpi_core.ingest import ingest_files, ingest_paths
from kpi_core.metrics import scope
from kpi_core.metrics.comparison import per_day_note
from kpi_core.metrics.digest import digest
from kpi_core.metrics.driver_nodes import waterfall
from kpi_core.metrics.drivers import driver_tree
from kpi_core.metrics.findings import day_span
from kpi_core.metrics.scope import NO_VIDEO_LIST
from kpi_core.planning.baseline import load_baseline
from kpi_core.planning.levers import LEVERS
from kpi_core.store import Store
from tests.conftest import TODAY, charts_with, shape_options
from ui import session
from ui.drivers import figures_help
from ui.format import handle
from ui.text import escape_md

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
NEVER_SHOWN = ("None", "nan", "inf", "0.000000", "1 videos", "1 days")


def open_overview(before: Callable[[Store], None] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    if before is not None:
        before(session.store_in(at.session_state))
    at.switch_page("pages/overview.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def period(store: Store) -> tuple[str, date, date]:
    """The sidebar's default: the primary account over the last 90 days of its data."""
    account = store.primary_account()
    first, last = scope.data_extent(store, account)
    return account, max(first, last - timedelta(days=89)), last


def digest_lines(at: AppTest) -> list[tuple[str, str]]:
    """The digest's sentences as shown (Markdown bullets) and their hover help."""
    return [(m.value, m.proto.help) for m in at.markdown if m.value.startswith("- ")]


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[AppTest, Store]]:
    store = Store()
    ingest_paths(store, sorted((ROOT / "data" / "demo").iterdir()))
    yield open_overview(), store
    store.close()


def shape(name: str) -> tuple[Callable[[Store], None], Store]:
    built = build(name)

    def before(store: Store) -> None:
        store.clear()
        ingest_files(store, list(built.files.items()), today=TODAY, **shape_options(built.options))  # type: ignore[arg-type]

    own = Store()
    before(own)
    return before, own


def test_the_overview_writes_the_engines_digest_with_its_figures_on_hover(demo):
    at, store = demo
    expected = digest(store, *period(store))
    shown = digest_lines(at)
    assert [text for text, _ in shown] == [f"- {escape_md(s.text)}" for s in expected.sentences]
    assert [help for _, help in shown] == [figures_help(s) for s in expected.sentences]
    first = expected.sentences[0]
    assert "Likes now" in shown[0][1] and first.figures["likes now"].text in shown[0][1]
    assert any(s.value == "What changed" for s in at.subheader)


def test_the_overview_draws_the_engines_waterfall_and_tree(demo):
    at, store = demo
    tree = driver_tree(store, *period(store))
    [bars] = charts_with(at, "kind")
    expected = waterfall(tree)
    assert bars["label"].tolist() == expected["label"].tolist()
    assert bars["value"].tolist() == pytest.approx(expected["value"].tolist())
    assert bars["end"].iloc[-2] == pytest.approx(tree.now.likes)  # the last driver lands on "now"
    [nodes] = charts_with(at, "values")
    assert nodes["label"].tolist() == ["Likes", "Videos posted", "Views per video", "Like rate"]
    assert nodes["values"].iloc[0] == f"{tree.before.likes:,} → {tree.now.likes:,}"
    captions = [c.value for c in at.caption]
    assert escape_md(tree.source_text) in captions
    assert tree.spike.sentence is not None
    said = [m.value for m in at.markdown if escape_md(tree.spike.sentence) in m.value]
    assert len(said) == 1  # in the digest, and not said again under the tree
    assert any(e.label == "How the split is computed" for e in at.expander)


def test_per_day_sentences_compare_settled_days_and_video_sentences_whole_periods(demo):
    # The demo's tree is built from videos (whole 90-day periods); its profile views are per-day
    # figures, over the 88 settled days against the 88 days before.
    at, store = demo
    found = digest(store, *period(store))
    assert found.tree is not None and found.tree.source == "videos"
    said = {s.topic: s.text for s in found.sentences}
    assert "(71,278 against 33,560 for those posted in the 90 days before)" in said["likes"]
    assert "between 90-day periods" in said["likes"]
    assert "(24,154 against 8,571 in the 88 days before)" in said["profile_views"]
    assert "between 88-day periods" in said["profile_views"]
    assert f"- {escape_md(said['profile_views'])}" in [text for text, _ in digest_lines(at)]


def test_plan_from_here_opens_what_if_at_this_periods_values(demo):
    _, store = demo
    at = open_overview()
    account, start, end = period(store)
    tree = driver_tree(store, account, start, end)
    base = load_baseline(store, account)
    next(b for b in at.button if b.label == "Plan from here").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "What-if planning"
    for name, lever in LEVERS.items():
        if name not in tree.plan:
            continue
        expected = lever.setting(tree.plan[name], base)
        assert at.slider(key=f"wi_{lever.url_key}").value == pytest.approx(expected), name
    # The posting slider holds this period's posts per week: 38 videos in 90 days.
    assert at.slider(key="wi_posts_per_week").value == round(38 / 90 * 7, 2) == 2.96


def test_a_period_with_nothing_before_it_says_why_there_is_no_split():
    before, store = shape("viral")
    at = open_overview(before)
    tree = driver_tree(store, *period(store))
    assert tree.reason is not None
    assert f"The change in likes cannot be split: {escape_md(tree.reason)}." in [i.value for i in at.info]
    assert charts_with(at, "kind") == []
    assert digest_lines(at)[0][0] == f"- {escape_md(digest(store, *period(store)).sentences[0].text)}"
    store.close()


def test_a_tiny_account_reads_without_placeholders_and_never_claims_a_rise(request):
    before, store = shape("tiny")
    at = open_overview(before)
    shown = digest_lines(at)
    assert shown
    for text, help in shown:
        assert " rose " not in text and " fell " not in text, text
        for word in NEVER_SHOWN:
            assert f" {word} " not in f" {text} {help} ", (word, text)
    store.close()


def test_a_daily_only_account_splits_views_and_like_rate_and_has_nothing_to_plan_from():
    before, store = shape("spiky")
    at = open_overview(before)
    [bars] = charts_with(at, "kind")
    assert bars["label"].tolist()[1:3] == ["Views", "Like rate of the daily totals"]
    assert "Plan from here: n/a, this period has no videos to measure the levers on." in [
        c.value for c in at.caption
    ]
    assert not [b for b in at.button if b.label == "Plan from here"]
    # No file lists its videos: the spike share says so, not that none was posted.
    assert f"Spike share: n/a, {escape_md(NO_VIDEO_LIST)}." in [c.value for c in at.caption]
    # Its export ends on provisional days: the page says once which days the per-day figures compare.
    note = per_day_note(store, *period(store))
    assert note is not None and note.startswith("Per-day figures compare ")
    tree = driver_tree(store, *period(store))
    assert tree.source == "daily" and tree.days_note == note
    assert [c.value for c in at.caption if escape_md(note) in c.value] == [
        f"{escape_md(handle(store.primary_account()))} · "
        f"{day_span(period(store)[1], period(store)[2])}, compared with the previous period of the "
        f"same length. {escape_md(note)}"
    ]
    store.close()
