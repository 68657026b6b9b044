"""Each hashtag's like-rate uplift, as measured and as shrunk: the Portfolio page's chart, and the
Content page's for one account."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kpi_core.metrics import hashtags
from kpi_core.metrics.findings import plural
from ui.charts import DOWN, FAINT, FIT_WIDTH, INK, MUTED, NEUTRAL, UP, Layered, rows_height

VERDICT_COLOURS = {
    hashtags.HIGHER: UP,
    hashtags.LOWER: DOWN,
    hashtags.UNCLEAR: NEUTRAL,
    hashtags.NO_SPREAD: NEUTRAL,
    hashtags.ON_EVERY_VIDEO: FAINT,
}
MEASURED = "as measured"


def hashtag_uplift_chart(
    table: pd.DataFrame, title: str = "Like rate against the set's (shrunk uplift, 95% interval)"
) -> Layered:
    """One row per hashtag: the shrunk uplift (filled dot) with its 95 % interval, and the uplift as
    measured (hollow ring), so the way each one moved towards the set's rate shows.

    `table` has `hashtags.hashtag_table`'s hashtag, videos, accounts, uplift, low, high, raw_uplift
    (fractions of the set's rate) and verdict; `title` is the axis's (a half-width chart's shorter).
    """
    data = pd.DataFrame(
        {
            "label": [
                f"{tag} ({plural(int(n), 'video')})"
                for tag, n in zip(table["hashtag"], table["videos"], strict=True)
            ],
            "uplift": table["uplift"].astype(float),
            "low": table["low"].astype(float),
            "high": table["high"].astype(float),
            "raw": table["raw_uplift"].astype(float),
            "verdict": table["verdict"].astype(str),
            "accounts": table["accounts"].astype(int),
        }
    )
    order = data["label"].tolist()
    verdicts = [v for v in VERDICT_COLOURS if v in set(data["verdict"])]
    colour = alt.Color(
        "verdict:N",
        title="Verdict (95% interval)",
        legend=alt.Legend(orient="top", labelLimit=240),
        scale=alt.Scale(domain=verdicts, range=[VERDICT_COLOURS[v] for v in verdicts]),
    )
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    several = bool((data["accounts"] > 1).any())  # one account's hashtags (the Content page): no column of 1s
    tooltip = [
        alt.Tooltip("label:N", title="Hashtag"),
        *([alt.Tooltip("accounts:Q", title="Accounts", format=",.0f")] if several else []),
        alt.Tooltip("uplift:Q", title="Uplift (shrunk)", format="+.1%"),
        alt.Tooltip("low:Q", title="95% interval from", format="+.1%"),
        alt.Tooltip("high:Q", title="95% interval to", format="+.1%"),
        alt.Tooltip("raw:Q", title="Uplift as measured", format="+.1%"),
        alt.Tooltip("verdict:N", title="Verdict"),
    ]
    base = alt.Chart(data)
    x = alt.X(
        "low:Q",
        title=title,
        axis=alt.Axis(format="+.0%"),
    )
    interval = base.mark_rule(strokeWidth=2).encode(
        x=x, x2=alt.X2("high:Q"), y=y, color=colour, tooltip=tooltip
    )
    raw = base.mark_point(shape="circle", size=60, color=MUTED, filled=False).encode(
        x=alt.X("raw:Q"), y=y, tooltip=tooltip
    )
    point = base.mark_point(filled=True, size=70, color=INK).encode(
        x=alt.X("uplift:Q"), y=y, color=colour, tooltip=tooltip
    )
    zero = (
        alt.Chart(pd.DataFrame({"value": [0.0]}))
        .mark_rule(color=MUTED, strokeDash=[4, 4])
        .encode(x=alt.X("value:Q"))
    )
    return alt.layer(zero, interval, raw, point).properties(height=rows_height(len(data)), autosize=FIT_WIDTH)
