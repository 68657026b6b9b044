"""How much of a period's likes came from one video: the top video's share and the viral outliers'."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd

from kpi_core.metrics import content, content_findings
from kpi_core.metrics.findings import plural, short_day, whole_percent
from kpi_core.metrics.ratios import KpiValue
from kpi_core.metrics.scope import (
    NO_VIDEO_LIST,
    DateLike,
    plain,
    resolve_account,
    videos_in_period,
    videos_listed_only,
)
from kpi_core.metrics.values import video_results
from kpi_core.store import Store

__all__ = ["SpikeShare", "spike_share"]


@dataclass(frozen=True)
class SpikeShare:
    """How much of the likes of the videos posted in a period came from its top video and from its
    viral outliers (content.viral_outliers' rule). Shares are fractions 0..1; None with a reason."""

    videos: int  # videos posted in the period with a like count
    likes: int | None  # their likes
    top_share: float | None
    top_video: dict[str, Any] | None  # video_id, title, posted (ISO day), likes
    top_is_outlier: bool
    outliers: int
    outlier_likes: int
    outlier_share: float | None
    reason: str | None = None  # why top_share is n/a
    outlier_reason: str | None = None  # why no video counts as a viral outlier
    sampled: bool = False  # the videos are those Studio's Content exports list, not every post

    @property
    def which(self) -> str:
        """The period's videos in words: 'the 9 videos posted this period', or, for a sample,
        'the 4 videos listed for this period' (`scope.videos_listed_only`)."""
        return f"the {plural(self.videos, 'video')} {'listed for' if self.sampled else 'posted'} this period"

    @property
    def sentence(self) -> str | None:
        """'61% of the likes of the 9 videos posted this period came from one video, posted on 3 Mar'."""
        if self.top_share is None or self.top_video is None:
            return None
        posted = short_day(date.fromisoformat(self.top_video["posted"]))
        text = f"{whole_percent(self.top_share)} of the likes of {self.which} came from one video, posted on {posted}"
        if self.top_is_outlier and self.outliers == 1:
            return text + " (a viral outlier)"
        if self.outliers and self.outlier_share is not None:
            return (
                f"{text}; the {plural(self.outliers, 'viral outlier')} together earned "
                f"{whole_percent(self.outlier_share)}"
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "videos": self.videos,
            "likes": self.likes,
            "top_share": self.top_share,
            "top_video": self.top_video,
            "top_is_outlier": self.top_is_outlier,
            "outliers": self.outliers,
            "outlier_likes": self.outlier_likes,
            "outlier_share": self.outlier_share,
            "reason": self.reason,
            "outlier_reason": self.outlier_reason,
            "sentence": self.sentence,
        }


def _count(value: Any) -> int | None:
    value = plain(value)
    return None if value is None else int(value)


def spike_share(
    store: Store,
    account: str | None = None,
    date_from: DateLike = None,
    date_to: DateLike = None,
    likes: KpiValue | None = None,
) -> SpikeShare:
    """The share of the likes of the videos posted in the range that came from the top video and
    from the viral outliers; n/a with the reason when fewer than two videos have likes or they
    have none. `likes`: the range's per-video likes KPI, when already computed."""
    account = resolve_account(store, account)
    if likes is None:
        likes = video_results(store, account, date_from, date_to)["likes"]
    total, videos = _count(likes.value), likes.rows
    finding = content_findings.viral_outlier_finding(store, account, date_from, date_to)
    outliers = finding.table
    outlier_likes = int(outliers["likes"].sum()) if len(outliers) else 0
    empty = SpikeShare(videos, total, None, None, False, 0, 0, None, None, finding.reason)
    period = videos_in_period(store, account)
    if videos == 0:
        unlisted = likes.reason == NO_VIDEO_LIST  # not "no videos were posted": none are listed
        return replace(
            empty, reason=NO_VIDEO_LIST if unlisted else f"no videos with a like count were {period}"
        )
    if videos == 1:
        return replace(empty, reason=f"one video was {period}: it has all of its likes")
    if not total:
        return replace(empty, reason=f"the {plural(videos, 'video')} {period} have no likes")
    top = content.top_videos(store, account, date_from, date_to, n=1).iloc[0]
    top_id = str(top["video_id"])
    return SpikeShare(
        videos,
        total,
        top_share=int(top["likes"]) / total,
        top_video={
            "video_id": top_id,
            "title": plain(top["title"]),
            "posted": pd.Timestamp(top["posted_at"]).date().isoformat(),
            "likes": int(top["likes"]),
        },
        top_is_outlier=top_id in set(outliers["video_id"].astype(str)),
        outliers=len(outliers),
        outlier_likes=outlier_likes,
        outlier_share=outlier_likes / total if len(outliers) else None,
        outlier_reason=finding.reason,
        sampled=videos_listed_only(store, account),
    )
