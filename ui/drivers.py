"""The Overview's "What changed" digest and "Why likes changed" section: widgets around
kpi_core.metrics.digest and kpi_core.metrics.drivers (the core decides every figure and word)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from kpi_core.metrics.digest import Digest, digest
from kpi_core.metrics.digest_sentences import Sentence
from kpi_core.metrics.driver_nodes import tree_nodes, waterfall
from kpi_core.metrics.drivers import FORMULA, DriverTree, driver_tree
from kpi_core.metrics.normal_variation import NORMAL_VARIATION
from kpi_core.planning.levers import LEVERS
from ui import drawing, driver_charts, planning, session
from ui.text import escape_md
from ui.widgets import Period


def _tree(period: Period) -> DriverTree:
    return session.memo(
        driver_tree,
        period.account,
        period.date_from,
        period.date_to,
        include_provisional=period.include_provisional,
    )


def _digest(period: Period) -> Digest:
    return session.memo(digest, period.account, period.date_from, period.date_to, period.include_provisional)


def figures_help(sentence: Sentence) -> str:
    """A sentence's figures for its tooltip: one line each, the value and how it is computed."""
    return "  \n".join(
        f"**{escape_md(name.capitalize())}**: {escape_md(f.text)} — {escape_md(f.formula)}"
        for name, f in sentence.figures.items()
    )


def what_changed(period: Period) -> None:
    """Up to five sentences on what changed against the period before, each with its figures on hover."""
    st.subheader("What changed")
    found = session.memo(digest, period.account, period.date_from, period.date_to, period.include_provisional)
    if not found.sentences:
        st.info(f"Nothing to compare yet: {found.reason}.")
        return
    with st.container(border=True, key="digest"):
        for sentence in found.sentences:
            st.markdown(f"- {escape_md(sentence.text)}", help=figures_help(sentence))
    st.caption(
        "Written from the figures on this page, ranked by the size of each change (those within normal "
        f"variation last); hover a sentence for its figures and formulas. {NORMAL_VARIATION}"
    )


def why_likes_changed(period: Period) -> None:
    """The driver tree: where the change in likes came from, as a waterfall and a tree, the spike
    share, and a button that opens What-if at this period's values."""
    st.subheader("Why likes changed")
    tree = _tree(period)
    if tree.source is not None:
        st.caption(escape_md(tree.source_text))
    if tree.reason is not None:
        st.info(f"The change in likes cannot be split: {escape_md(tree.reason)}.")
    else:
        left, right = st.columns([3, 2])
        with left:
            drawing.chart(driver_charts.waterfall_chart, waterfall(tree), width="stretch")
        with right:
            drawing.chart(driver_charts.tree_chart, tree_nodes(tree), width="stretch")
    for note in tree.notes:  # not its days_note: the Overview's caption says which days are compared
        st.caption(escape_md(note))
    if not any(s.topic == "spike" for s in _digest(period).sentences):  # else the digest says it
        spike_share(tree)
    plan_from_here(period, tree)
    with st.expander("How the split is computed"):
        st.markdown(escape_md(FORMULA))


def spike_share(tree: DriverTree) -> None:
    """How much of the likes of the period's videos came from its top video and its viral outliers
    (a line of text: the cards above are the Overview's KPIs)."""
    spike = tree.spike
    if spike.sentence is None or spike.top_video is None:
        st.caption(f"Spike share: n/a, {escape_md(spike.reason)}.")
        return
    posted = date.fromisoformat(spike.top_video["posted"])
    title = spike.top_video["title"] or "no title"
    rule = spike.outlier_reason or (
        "viral outliers are videos whose likes or like rate are more than 3.5 robust z-scores above the "
        "period's typical video, as on the Content page"
    )
    st.markdown(
        f"**Spike share:** {escape_md(spike.sentence)}.",
        help=f"Top video, posted on {posted.day} {posted:%b %Y}: {escape_md(title)} "
        f"({spike.top_video['likes']:,} of {spike.likes:,} likes). Share = its likes / the likes of "
        f"{spike.which}. {escape_md(rule.rstrip('.'))}.",
    )


def plan_from_here(period: Period, tree: DriverTree) -> None:
    """A button that opens What-if with this period's posts per week, views per video and like rate
    (each lever set by `Lever.setting`, within its bounds); levers that cannot be set keep theirs."""
    base = planning.baseline(period.account)
    settings = {
        lever.url_key: lever.setting(tree.plan.get(name), base)
        for name, lever in LEVERS.items()
        if name in tree.plan
    }
    usable = {key: value for key, value in settings.items() if value is not None}
    if base.as_of is None or not usable:
        st.caption("Plan from here: n/a, this period has no videos to measure the levers on.")
        return
    if st.button(
        "Plan from here",
        icon=":material/tune:",
        help="Opens What-if with this period's posting, views per video and like rate as the levers.",
    ):
        planning.open_with_levers(period.account, usable)
