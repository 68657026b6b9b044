"""Charts drawn from the session's memo: a chart is built once per session and data, not on every
rerun.

Building an Altair chart and checking it against the Vega-Lite schema (`to_dict`) costs 5 to 30 ms
a chart, and a page paid it for every chart on every visit, widget change and slider move. `chart`
builds a chart only for data it has not drawn yet in this session, keeps the Vega-Lite spec
Streamlit makes of it (its data as Arrow: exactly what `st.altair_chart` sends), and sends that
spec with `st.vega_lite_chart`. The spec is kept in the session's memo (`session.derived`, keyed by
the chart function and the content of its arguments), never in a cache other sessions share, but
for the untouched demo's, which every session shares (`session.remembered`).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from typing import Any, cast

import streamlit as st
from altair.utils import schemapi

# Streamlit's own Altair-to-spec step (theme, Arrow datasets), so that a drawn spec is the one
# st.altair_chart would send; tests/test_drawing.py pins this across Streamlit upgrades.
from streamlit.elements.vega_charts import AltairChart, _convert_altair_to_vega_lite_spec

from ui import session

__all__ = ["chart", "spec"]

# Altair checks every part of a chart against the Vega-Lite schema as the part is made ("debug
# mode", for tracebacks that point at the part), then the whole chart again in `to_dict`. The
# app's charts are made by its own code from typed tables, so the app checks neither: the whole
# chart's check was about 10 ms of the 25 it takes to make a chart's spec (60 ms of Content's
# first run, six charts). The tests check every chart they draw, on every page and account
# shape: they set KPI_CHECK_CHARTS=1 (tests/conftest.py), as anyone can when running the app
# while changing a chart.
#
# The charts also give every encoding channel as an object (`alt.X2("high:Q")`), never as a
# shorthand string (`x2="high:Q"`) or a plain dict (`alt.datum(0)`, `alt.condition(...)`): Altair
# turns those into the channel's class by hashing the class's schema, 2.4-3.9 ms a channel against
# 0.03-0.17 ms for the object, for the same spec. Content's first run spent ~35 ms on it.
# tests/test_drawing.py checks the chart modules and every chart the pages draw.
schemapi.disable_debug_mode()
CHECK_CHARTS = "KPI_CHECK_CHARTS"


class _Unchecked:
    """A chart whose `to_dict` skips the schema check: all Streamlit's conversion calls on it."""

    def __init__(self, chart: AltairChart) -> None:
        self._chart = chart

    def to_dict(self) -> dict[str, Any]:
        return self._chart.to_dict(validate=False)


def _spec_of(build: Callable[..., AltairChart], *args: object) -> dict[str, Any]:
    made = build(*args)
    if os.environ.get(CHECK_CHARTS) != "1":
        made = cast(AltairChart, _Unchecked(made))
    return dict(_convert_altair_to_vega_lite_spec(made))


def spec(build: Callable[..., AltairChart], *args: object) -> dict[str, Any]:
    """The Vega-Lite spec of `build(*args)` as Streamlit sends it, made once per session (on the
    untouched demo, once for every session) for arguments with the same content."""
    return session.derived(_spec_of, build, *args)


def chart(build: Callable[..., AltairChart], *args: object, **options: Any) -> Any:
    """`st.altair_chart(build(*args), **options)`, the chart's spec coming from the session's memo.

    `options` are st.vega_lite_chart's (width, key, on_select, ...); with `on_select` it returns
    the selection, as st.altair_chart does. Draws in the current container (`with column:`).
    """
    drawn = copy.deepcopy(spec(build, *args))  # Streamlit edits the spec it is given
    return st.vega_lite_chart(spec=drawn, **options)
