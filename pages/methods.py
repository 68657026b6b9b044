"""How the numbers are made: every formula, rule and threshold, read from the declarations the
engine itself uses (so this page cannot drift from what the other pages compute)."""

import streamlit as st

from kpi_core.metrics import trends
from kpi_core.metrics.goal_metrics import GOAL_METRICS
from kpi_core.metrics.registry import DAILY_KPIS, VIDEO_KPIS
from kpi_core.planning.baseline import LEVER_WINDOW_DAYS, MIN_HISTORY_DAYS, MIN_HISTORY_VIDEOS
from kpi_core.planning.blocks import BAND, BLOCK_DAYS, HALF_LIFE_DAYS, N_PATHS
from kpi_core.planning.levers import LEVERS
from kpi_core.planning.suggestions import SUGGESTION_PROBABILITIES
from kpi_core.planning.verdict import LABELS, RECENT_EVIDENCE_DAYS, status_rule
from ui import entry

entry.require_app()
st.title("How the numbers are made")
st.caption("Every figure on the other pages is computed from your own exports by the rules below.")

st.subheader("KPIs")
st.markdown(
    "A rate is a **ratio of sums** over the rows where both parts are known (never an average of "
    "per-video or per-day rates); a missing or zero base gives **n/a** with its reason, never 0. "
    "Per-video KPIs use the videos posted in the period; per-day KPIs use the daily account export. "
    "The last two days of a TikTok Studio export are provisional and left out unless you include them."
)
for title, kpis in (("Per video", VIDEO_KPIS), ("Per day", DAILY_KPIS)):
    st.markdown(f"**{title}**")
    st.dataframe(
        [
            {
                "KPI": k.label,
                "Formula": k.formula_text,
                "Unit": k.unit,
                "n/a when": k.guard.rule if k.guard else "",
            }
            for k in kpis
        ],
        hide_index=True,
        width="stretch",
    )

st.subheader("Trend verdicts")
st.markdown(
    f"The slope of a daily series is a Theil-Sen estimate (the median of every pairwise slope) with its "
    f"{trends.CONFIDENCE:.0%} interval. *Rising* or *falling* is said only when the whole interval is above "
    f"or below zero, so one viral day cannot make a trend; fewer than {trends.MIN_TREND_DAYS} days give "
    "*not enough data*. A day's likes carry into the next days (a video keeps collecting for days), and an "
    "interval that treats days as independent comes out too narrow: on simulated accounts without any "
    "trend it claimed a direction on a quarter to a half of them, not on 5%. So the interval is widened as "
    "far as the series itself carries from one day to the next (its lag-1 autocorrelation once the slope "
    "is taken out, counted as fewer independent days): on the same accounts a direction is then claimed "
    "on 2.5-7.5% of ranges of a quarter or a year. Two to four weeks hold too few days to measure the "
    "carry-over well (11-12% there): read a verdict on a short range as a hint. "
    f"Over more than {trends.WEEKLY_FIT_DAYS} days the slope (still per day) is fitted on "
    f"weekly averages: one per Monday-to-Sunday week with at least {trends.MIN_WEEK_DAYS} days of data (for the "
    f"like rate, the week's likes over its views), when at least {trends.MIN_TREND_WEEKS} weeks qualify and "
    f"they hold {trends.MIN_WEEKLY_SHARE:.0%} of the days; the verdict's sentence says so."
)

st.subheader("Goals: projection, status and achievability")
st.markdown(
    f"Projections resample your own history: {BLOCK_DAYS}-day blocks of real days, each on the weekday it "
    f"fills, drawn from the last year with recent weeks counting more (weight halves every {HALF_LIFE_DAYS} "
    f"days), scaled by a level factor for the uncertainty of your recent level. {N_PATHS:,} simulated futures "
    f"give the expected value (their median), the {BAND[1] - BAND[0]:.0%} band ({BAND[0]:.0%} to "
    f"{BAND[1]:.0%} of them) and the chance of reaching the target (the share that do). With fewer than "
    f"{MIN_HISTORY_DAYS} days of data ({MIN_HISTORY_VIDEOS} settled videos for per-video goals) there is no "
    "projection."
)
st.markdown(f"**Status.** {status_rule()}")
bands = []
for (low, label), (high, _) in zip(LABELS, ((1.0001, ""), *LABELS[:-1]), strict=True):
    bands.append(f"*{label}* from {low:.0%}" if high > 1 else f"*{label}* from {low:.0%} to {high:.0%}")
st.markdown(
    "**Achievability** is named from the same chance, so it always agrees with the status: "
    + "; ".join(bands)
    + ". The sentence beside it places the pace the goal needs in your own history: your last 28 days "
    "and every past window of the same length. A chance is written in whole percents, rounded to the "
    "nearest but never up onto a band's edge it has not reached (69.95% is 69%, at risk), and as <1% "
    "or >99% rather than 0% or 100% unless no simulated future, or every one, reaches the target."
)
st.markdown(
    "**Suggested targets** are the outcomes reached with about "
    + ", ".join(f"{p:.0%} chance (*{name}*)" for name, p in SUGGESTION_PROBABILITIES.items())
    + ", rounded to a readable number, and each is offered only if its label still holds after rounding."
)
st.markdown(
    f"Without a projection, the last {RECENT_EVIDENCE_DAYS} days decide the status: their median pace, "
    "which one burst cannot inflate, against the pace needed."
)
st.dataframe(
    [
        {"Goal metric": m.label, "Measured with": m.kpi.formula_text, "Pace in": m.pace_unit}
        for m in GOAL_METRICS.values()
    ],
    hide_index=True,
    width="stretch",
)

st.subheader("What-if levers")
st.markdown(
    f"Levers start from the last {LEVER_WINDOW_DAYS} days up to the goals' today (the data's last settled "
    "day): posts per week, and the views per video and like rate of the videos posted then, from the video "
    "list (which may reach further back than a short download's daily data; posts per week only from a whole "
    "list, a scrape, TikTok's data archive or the 2022-23 Video Posts export reaching the last four weeks, never "
    "from the sample of about 15 videos a Content export lists); follower gains per day from the daily data. "
    "A scenario scales the same simulated futures as "
    "the projection, so comparisons are exact; only the part of your likes that new posts explain moves "
    "with posting, reach and like rate. *What it would take* solves each lever alone for an even chance."
)
st.dataframe(
    [
        {
            "Lever": lv.label,
            "Set as": "percent change of today's" if lv.relative else lv.unit,
            "Moves goals on": ", ".join(sorted(m.label for m in GOAL_METRICS.values() if m.kind in lv.moves)),
        }
        for lv in LEVERS.values()
    ],
    hide_index=True,
    width="stretch",
)
