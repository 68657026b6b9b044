"""Charts drawn from the session's memo (ui/drawing.py) and the memo of plain functions of data
(`session.derived`): the same chart as st.altair_chart draws, built once per session and data."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kpi_core.store import Store
from ui import drawing


def _both_ways() -> None:
    import pandas as pd
    import streamlit as st

    from ui import charts, drawing

    days = pd.date_range("2026-03-01", periods=40)
    rolling = pd.DataFrame(
        {
            "date": days,
            "likes": range(40),
            "likes_7d": [float(i) for i in range(40)],
            "likes_28d": [None] * 27 + [float(i) for i in range(13)],
        }
    )
    series = pd.DataFrame(
        {
            "period_start": days[::7],
            "first_day": days[::7],
            "last_day": days[6::7].append(days[-1:]),
            "days": [7, 7, 7, 7, 7, 5],
            "likes": [10, 20, 30, 40, 50, 60],
            "likes_per_day": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "views": [100, 200, 300, 400, 500, 600],
            "like_rate": [0.1] * 6,
            "engagement_rate_by_view": [0.2] * 6,
        }
    )
    st.altair_chart(charts.likes_over_time_chart(rolling), width="stretch")
    drawing.chart(charts.likes_over_time_chart, rolling, width="stretch")
    st.altair_chart(charts.period_likes_chart(series, "week"), width="stretch", on_select="rerun", key="a")
    drawing.chart(charts.period_likes_chart, series, "week", width="stretch", on_select="rerun", key="b")


@pytest.mark.parametrize("checked", ["1", "0"], ids=["checked", "as the app draws"])
def test_a_drawn_chart_sends_what_st_altair_chart_sends(monkeypatch, checked):
    monkeypatch.setenv(drawing.CHECK_CHARTS, checked)
    at = AppTest.from_function(_both_ways).run()
    assert not at.exception, [e.value for e in at.exception]
    altair_line, drawn_line, altair_bars, drawn_bars = at.get("vega_lite_chart")
    for made, drawn in ((altair_line, drawn_line), (altair_bars, drawn_bars)):
        assert json.loads(drawn.proto.spec) == json.loads(made.proto.spec)
        assert [(d.name, d.data.data) for d in drawn.proto.datasets] == [
            (d.name, d.data.data) for d in made.proto.datasets
        ]
        assert drawn.proto.selection_mode == made.proto.selection_mode
        assert drawn.proto.theme == made.proto.theme


def _rolling_page() -> None:
    import pandas as pd
    import streamlit as st

    from ui import charts, drawing

    likes = st.session_state.get("likes", 1)
    rolling = pd.DataFrame(
        {
            "date": pd.date_range("2026-03-01", periods=3),
            "likes_7d": [1.0, 2.0, float(likes)],
            "likes_28d": 1.0,
        }
    )
    drawing.chart(charts.likes_over_time_chart, rolling, width="stretch")


def test_a_chart_is_built_once_per_session_for_the_same_data_and_again_for_new_data(monkeypatch):
    built: list[object] = []
    convert = drawing._convert_altair_to_vega_lite_spec
    monkeypatch.setattr(drawing, "_convert_altair_to_vega_lite_spec", lambda c: built.append(c) or convert(c))
    at = own_data(AppTest.from_function(_rolling_page)).run()
    first = at.get("vega_lite_chart")[0].proto.spec  # names its dataset by a hash of the data
    at.run()
    assert len(built) == 1  # the rerun drew the spec it made the first time
    assert at.get("vega_lite_chart")[0].proto.spec == first
    at.session_state["likes"] = 5
    at.run()
    assert len(built) == 2  # other data, another chart
    assert at.get("vega_lite_chart")[0].proto.datasets[0].name not in first


def own_data(at: AppTest) -> AppTest:
    """`at` as a visitor with data of their own (an empty store): what it makes is its own, not
    the untouched demo's, which every session shares (tests/test_pages_revisit.py)."""
    at.session_state["store"] = Store()
    at.session_state["showing_demo"] = False
    return at


def test_each_session_builds_its_own_charts(monkeypatch):
    built: list[object] = []
    convert = drawing._convert_altair_to_vega_lite_spec
    monkeypatch.setattr(drawing, "_convert_altair_to_vega_lite_spec", lambda c: built.append(c) or convert(c))
    first, second = (
        own_data(AppTest.from_function(_rolling_page)),
        own_data(AppTest.from_function(_rolling_page)),
    )
    first.run()
    second.run()
    assert len(built) == 2  # nothing one session drew is served to another


def total_likes(frame: pd.DataFrame) -> int:
    import streamlit as st

    st.session_state["made"] = st.session_state.get("made", 0) + 1
    return int(frame["likes"].sum())


def _derived_page() -> None:
    import pandas as pd
    import streamlit as st

    from tests.test_drawing import total_likes
    from ui import session

    values = st.session_state.get("values", [1, 2])
    st.session_state["total"] = session.derived(total_likes, pd.DataFrame({"likes": values}))


@pytest.mark.parametrize(
    ("values", "made", "total"),
    [
        ([1, 2], 1, 3),  # the same content in a new DataFrame: remembered
        ([2, 1], 2, 3),  # other rows (here: their order): made again
        ([1, 5], 2, 6),
    ],
)
def test_derived_results_follow_the_content_of_their_arguments(values, made, total):
    at = own_data(AppTest.from_function(_derived_page)).run()
    at.session_state["values"] = values
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert (at.session_state["made"], at.session_state["total"]) == (made, total)


def test_a_frame_and_its_copy_share_a_digest_but_other_values_do_not():
    from ui.session import digest

    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    assert digest(frame) == digest(frame.copy())
    assert digest(frame) != digest(frame.assign(a=[1.0, 2.5]))
    assert digest(frame) != digest(frame.rename(columns={"b": "c"}))
    assert digest((frame, "week")) != digest((frame, "month"))


@pytest.mark.parametrize(
    "fn",
    [lambda frame: 1, pd.DataFrame({"a": [1]}).sum, (lambda k: lambda frame: k)(2)],
    ids=["a lambda", "a bound method", "a closure"],
)
def test_derived_refuses_functions_its_key_cannot_tell_apart(fn):
    from ui import session

    with pytest.raises(TypeError, match="module-level function"):
        session.derived(fn, pd.DataFrame({"a": [1]}))


def _bad_chart() -> object:
    import altair as alt

    return alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x=alt.X("a:Q", bin="sometimes"))


def test_the_schema_check_is_on_in_the_tests_and_catches_a_bad_chart(monkeypatch):
    from jsonschema import ValidationError

    assert os.environ[drawing.CHECK_CHARTS] == "1"  # tests/conftest.py
    with pytest.raises(ValidationError):
        drawing._spec_of(_bad_chart)
    monkeypatch.setenv(drawing.CHECK_CHARTS, "0")
    assert drawing._spec_of(_bad_chart)["encoding"]["x"]["bin"] == "sometimes"  # the app's path: unchecked


def _string_channels(source: str) -> list[str]:
    """`name="field:T"` arguments of `.encode(...)` calls in `source`: channels written as text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "encode":
            for argument in node.keywords:
                value = argument.value
                items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
                found += [
                    f"line {item.lineno}: {argument.arg}={item.value!r}"
                    for item in items
                    if isinstance(item, ast.Constant) and isinstance(item.value, str)
                ]
    return found


def test_the_check_finds_a_channel_written_as_text():
    source = 'alt.Chart(d).encode(x=alt.X("a:Q"), x2="b:Q", tooltip=["c:N", alt.Tooltip("d:Q")])'
    assert _string_channels(source) == ["line 1: x2='b:Q'", "line 1: tooltip='c:N'"]


def test_every_chart_gives_its_channels_as_objects_not_shorthand_text():
    """Altair resolves a shorthand string by hashing its channel's schema: ~60 times the cost of
    the object, for the same spec (ui/drawing.py)."""
    ui = Path(__file__).resolve().parents[1] / "ui"
    found = {p.name: _string_channels(p.read_text()) for p in sorted(ui.glob("*.py"))}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_the_charts_of_every_page_are_given_channel_objects(monkeypatch):
    """What the pages draw on a visitor's own data (the demo's files uploaded, so every chart is
    built, not served from the demo's shared results): no channel reaches Altair as text or as a
    plain dict (`alt.datum`, `alt.condition`), which it resolves by hashing schemas."""
    from altair.utils.core import _ChannelCache
    from altair.utils.schemapi import SchemaBase

    from kpi_core.ingest import ingest_paths
    from ui.session import DEMO_DIR

    given: list[str] = []
    wrap = _ChannelCache._wrap_in_channel

    def checked(self, obj, encoding):
        items = obj if isinstance(obj, (list, tuple)) else [obj]
        given.extend(f"{encoding}={item!r}" for item in items if not isinstance(item, SchemaBase))
        return wrap(self, obj, encoding)

    monkeypatch.setattr(_ChannelCache, "_wrap_in_channel", checked)
    store = Store()
    ingest_paths(store, sorted(DEMO_DIR.iterdir()))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120)
    at.session_state["store"] = store
    at.session_state["showing_demo"] = False
    at.run()
    drawn = len(at.get("vega_lite_chart"))
    for page in ("trends", "content", "audience", "benchmarks", "portfolio", "goals", "what-if"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        drawn += len(at.get("vega_lite_chart"))
    assert drawn >= 20  # the pages did draw their charts
    assert given == []
