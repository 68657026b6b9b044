"""Hypothesis drives AppTest with random query strings on every page: nothing a URL holds raises,
every What-if slider stays within the lever table's bounds, and a link's text is never markup."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from kpi_core.planning.levers import LEVERS
from kpi_core.workspace.link import LINK_KEYS

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["overview", "trends", "content", "benchmarks", "goals", "what-if", "data", "methods"]
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold**",
    ":red[x]",
    "[a](javascript:x)",
]

values = st.one_of(
    st.text(max_size=24),
    st.sampled_from(MARKUP),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**20), 10**20).map(str),
    st.dates(date(1900, 1, 1), date(2200, 12, 31)).map(date.isoformat),
    st.sampled_from(["likes", "like_rate", "followers", "lumen.skincare", "glow.theory", "", "0", "1e309"]),
)
keys = st.one_of(st.sampled_from(LINK_KEYS), st.sampled_from(MARKUP), st.text(min_size=1, max_size=10))
query_strings = st.dictionaries(keys, values, max_size=8)


def unescaped_markup(text: str) -> list[str]:
    """Markup from MARKUP that a Markdown element would run: a tag or a link not escaped."""
    return [m for m in ("<script", "<img", "](javascript") if re.search(r"(?<!\\)" + re.escape(m), text)]


@pytest.mark.parametrize("page", PAGES)
def test_random_query_strings_never_raise_on_any_page(page: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()

    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,  # the same strings on every run of the suite
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(query_strings)
    def check(query: dict[str, str]) -> None:
        at.query_params.clear()
        at.query_params.update(query)
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (query, [e.value for e in at.exception])
        for kind in ("markdown", "caption", "info", "warning", "error", "success"):
            for element in at.get(kind):
                if kind == "markdown" and getattr(element.proto, "allow_html", False):
                    continue  # the app's own HTML, never a link's
                assert not unescaped_markup(str(element.value)), (query, element.value)
        if page == "what-if" and at.slider:
            for slider in at.slider:
                lever = next(lv for lv in LEVERS.values() if slider.key == f"wi_{lv.url_key}")
                assert slider.min <= slider.value <= slider.max, (query, lever.name)

    check()
