"""Seeded account shapes in TikTok's real export formats, for testing on accounts unlike the demo.

Each shape is one seeded story (a tiny hobby account, a viral month, a year of decline, a 2022
export with day-first dates, a "Download your data" archive split in two, ...) written as the files
TikTok gives, byte for byte as /work/shared/formats/README.md describes them. Studio CSVs: UTF-8 BOM
(Viewers.csv has none, as in the samples), every field double-quoted, LF, no newline after the last
line, yearless dates in the interface language, `undefined` for missing counts. Plain (legacy) CSVs:
quotes only where needed, LF, a newline after every line, no BOM.

As in data/generate_demo.py, each video's counts accrue over the days after posting, every day's
views on a video are drawn first and its likes, comments and shares are drawn from those views (so
likes never exceed views, per video or per day), and the daily Overview is the sum of the videos'
accruals plus a baseline from the older catalogue. Videos posted in the window's counted days are
therefore fully inside the daily totals. The account's local time is UTC. Video ids follow TikTok's
scheme: the top 32 bits of the 64-bit id are the posting Unix time. The window ends on the export
day (REPORT_LAG_DAYS); its last days are "still counting": TikTok had counted only part of them at
export, so their views are thinned, and a day counted to 0 is written `undefined`.

`build(name, seed)` returns the same bytes every time. `Shape.truth` holds what a correct reader
must find; every value is computed from the rows as written. Keys (present where they apply):

    account               the handle the files belong to (None for a scrape of many accounts)
    language              interface language of the dates: "en", "el", "fr", "es"; None for dated files
    date_order            how dates are written: "yearless", "iso", "dmy" (day/month/year, no padding)
    export_date           ISO day the files were exported
    followers_export_date ISO day the Followers tab was exported, when later than the rest
                          (newer_followers: its follower history runs to that day)
    rows                  {file or ZIP member name: data rows, header excluded; JSON: post records}
    members               {ZIP name: member names, in order}
    date_from, date_to    ISO first and last day of the daily file (Overview.csv / Last 60 days.csv),
                          rows with `undefined` included
    days                  daily rows with data; missing_days: rows with `undefined` counts
    partial_days          the last daily rows with data that were still counting at export
    views, profile_views, likes, comments, shares
                          sums over the daily rows with data (counts per day; comments are net, so
                          days with a negative count are included)
    negative_comment_days daily rows with data whose net comment count is below 0
    max_daily_likes, median_daily_likes   likes per day over the daily rows with data
    viewers, new_viewers  sums of Viewers.csv's Total Viewers and New Viewers over its rows with data
    followers_first, followers_last       followers on the first and last row of the follower history
    follower_drop_days    follower-history rows whose count is below the previous row's
    activity_rows, activity_days, active_followers   follower-activity rows, distinct days, sum
    hours                 the hour numbering of the follower activity: "0-23" or "1-24"
    videos                distinct videos (deduplicated on the id)
    video_likes, video_views, video_comments, video_shares, video_saves
                          sums of per-video totals, each video once at its latest (largest) count
    posted_from, posted_to   ISO first and last posting day of those videos
    top_video_id          id (str) of the video with the most likes
    accounts              distinct authors (scrapes)
    active_from           ISO day of the account's first post after its dormant months (dormant)
    shift_date, likes_per_day_before, likes_per_day_after   level_shift: the first day of the new
                          level and the mean likes per day over the rows with data before/from it
    spike_days            spiky: ISO days whose likes are at least 5x the median day
    na_titles             download_your_data: post records whose Title is "N/A"

`Shape.options` holds what a user would have to tell the app because no file settles it:
`export_date` (ISO) when no ZIP timestamp or dated column carries the export year, `account` when no
file names the handle.

Run: python data/shapes.py OUT_DIR [--shape NAME ...] [--seed N]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["SHAPES", "Shape", "build", "write"]

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December"),
    "el": ("Ιανουαρίου", "Φεβρουαρίου", "Μαρτίου", "Απριλίου", "Μαΐου", "Ιουνίου",  # genitive
           "Ιουλίου", "Αυγούστου", "Σεπτεμβρίου", "Οκτωβρίου", "Νοεμβρίου", "Δεκεμβρίου"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin",
           "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio",
           "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
}  # fmt: skip

OVERVIEW_HEADER = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
CONTENT_HEADER = [
    "Time", "Video title", "Video link", "Post time",
    "Total likes", "Total comments", "Total shares", "Total views",
]  # fmt: skip
VIEWERS_HEADER = ["Date", "Total Viewers", "New Viewers", "Returning Viewers"]
HISTORY_HEADER = ["Date", "Followers", "Difference in followers from previous day"]
ACTIVITY_HEADER = ["Date", "Hour", "Active followers"]
GENDER_HEADER = ["Gender", "Distribution"]
TERRITORIES_HEADER = ["Top territories", "Distribution"]
NBSP = "\u00a0"
Row = list[str | int]  # one CSV row: text cells and counts
LEGACY_2021_HEADER = ["Date", "Video views", "Followers", "Difference in followers from previous day",
                      "Profile views"]  # fmt: skip
LEGACY_OVERVIEW_HEADER = ["Date", "Video views", "Profile views", "Likes", "Comments", "Shares"]
LEGACY_POSTS_HEADER = ["Video title", "Post time", "Total views", "Total likes", "Total comments",
                       "Total shares" + NBSP]  # fmt: skip
# Column of each count in an Overview row (the legacy overview has the same order).
OVERVIEW_COLUMNS = {"views": 1, "profile_views": 2, "likes": 3, "comments": 4, "shares": 5}

# Accrual: most of a video's counts arrive in its first days, the rest over a month.
FAST_SHARE, FAST_DAYS, SLOW_DAYS = 0.85, 1.5, 30.0
VIRAL_FAST_SHARE = 0.97  # a viral burst dwarfs its own long tail
BURN_IN_DAYS = 60  # videos posted this long before the window already feed its first days
# The window ends on the export day itself, still counting, as in the demo. Ending a 365-day window
# any earlier would put its first day on or before the export's month and day, and reading yearless
# dates back from the export date would land that row a year late.
REPORT_LAG_DAYS = 0
WEEKDAY_EFFECT = (0.95, 1.1, 1.15, 1.1, 0.95, 0.85, 0.9)  # views multiplier, Monday first
POSTING_HOUR_WEIGHTS = (0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 2, 2, 2, 3, 4, 5, 5, 4, 2, 1)
TRAILING_SPACE_SHARE = 0.4  # Studio keeps a trailing space after some titles
LISTABLE_DAYS = 330  # Content lists only videos whose yearless post day resolves to the right year
ACTIVITY_DAYS, ACTIVITY_PEAK_HOUR, ACTIVITY_PEAK_WIDTH = 7, 20, 2.5
VIEWER_SHARE, NEW_VIEWER_SHARE = (0.6, 0.75), (0.7, 0.85)
SPIKE_FACTOR = 5  # a spike day has at least this many times the median day's likes
ARCHIVE_SOUNDS = ("original sound - {handle}", "Espresso - Sabrina Carpenter", "APT. - ROSÉ & Bruno Mars",
                  "Golden Hour - JVKE", "Lo-fi study beat - chillhop")  # fmt: skip


@dataclass(frozen=True)
class Shape:
    """One account shape: its files' exact bytes and what a correct reader must find in them."""

    name: str
    description: str  # one sentence a marketer understands
    export_date: date  # the day the files were exported
    files: dict[str, bytes]  # file name -> exact bytes (ZIPs where TikTok gives ZIPs)
    truth: dict[str, Any]  # see the module docstring for every key
    options: dict[str, Any]  # what the user must tell the app: export_date, account


@dataclass(frozen=True)
class Voice:
    """How an account writes: interface language, caption topics and hashtags."""

    language: str
    topics: tuple[str, ...]
    hashtags: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    """How an account behaves; every count is drawn from this. Days are window day numbers (0 =
    the window's first day; negative = before the window)."""

    n_days: int
    new_views: Callable[[np.ndarray], np.ndarray]  # views per day that new posts bring, by day
    catalogue_views: Callable[[np.ndarray], np.ndarray]  # views per day on the older catalogue
    post_rate: Callable[[np.ndarray], np.ndarray]  # posts per day (a probability 0..1), by day
    n_posts: int | None = None  # exactly this many posts, all inside the window, instead of post_rate
    specials: tuple[tuple[int, float, float], ...] = ()  # viral posts: (day, lifetime views in days
    #                                                     of the usual daily views, fast accrual days)
    like_beta: tuple[float, float] = (10.0, 190.0)  # like rate per view, mean 5 %
    comment_rate: tuple[float, float] = (0.002, 0.006)  # per view
    share_rate: tuple[float, float] = (0.001, 0.004)  # per view
    profile_rate: tuple[float, float] = (0.008, 0.02)  # profile views per video view
    views_sigma: float = 0.6  # spread of the log-normal lifetime views per post
    day_noise: float = 0.12  # spread of the log-normal day-to-day noise of the catalogue
    leading_undefined: int = 0  # first days TikTok has no data for
    tail_counted: tuple[float, ...] = (0.7, 0.3)  # share 0..1 of the last days counted at export
    followers: tuple[int, int] = (1_000, 1_200)  # followers on the window's first and last day
    follow_share: float = 0.8  # share 0..1 of the net follower change that comes with the day's views
    follower_noise: float = 3.0  # followers per day, standard deviation
    activity: tuple[float, float] = (0.03, 0.2)  # share of followers online: base, evening peak


@dataclass(frozen=True)
class Video:
    """One post with its totals as seen at export."""

    id: int
    posted: datetime
    title: str
    views: int
    likes: int
    comments: int
    shares: int
    special: bool  # a viral post of the story

    def link(self, handle: str) -> str:
        return f"https://www.tiktok.com/@{handle}/video/{self.id}"


@dataclass(frozen=True)
class Account:
    """A simulated account over its window."""

    days: list[date]  # the window, oldest first
    counted: np.ndarray  # share 0..1 of each day's counts that TikTok had counted at export
    daily: dict[str, np.ndarray]  # views, profile_views, likes, comments, shares per window day
    videos: list[Video]  # every post from BURN_IN_DAYS before the window on, oldest first
    fans: np.ndarray  # followers at the end of each window day
    fans_before: int  # followers at the end of the day before the window

    def defined(self, i: int) -> bool:
        return bool(self.counted[i] > 0)


# ---------------------------------------------------------------------------- writing bytes


def yearless(day: date, language: str) -> str:
    """A Studio date in the interface language: "June 30", "25 Φεβρουαρίου", "29 août", "30 de junio"."""
    month = MONTHS[language][day.month - 1]
    if language == "en":
        return f"{month} {day.day}"
    if language == "es":
        return f"{day.day} de {month}"
    return f"{day.day} {month}"


def day_first(day: date) -> str:
    """The 2022 export's numeric date, day first and unpadded: "1/7/2022"."""
    return f"{day.day}/{day.month}/{day.year}"


def studio_csv(header: Sequence[str], rows: Sequence[Row], bom: bool = True) -> bytes:
    """A CSV as Studio writes it: BOM, every field quoted, LF, no final newline."""
    lines = (",".join('"' + str(f).replace('"', '""') + '"' for f in r) for r in [header, *rows])
    text = unicodedata.normalize("NFC", "\n".join(lines))
    return ("\ufeff" if bom else "").encode() + text.encode()


def plain_csv(header: Sequence[str], rows: Sequence[Row]) -> bytes:
    """An ordinary CSV (the legacy export): quotes only where needed, a newline after every line."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return unicodedata.normalize("NFC", buffer.getvalue()).encode()


def zip_bytes(members: dict[str, bytes], when: datetime) -> bytes:
    """A stored ZIP stamped with the export time, with the sample download's Unix mode (0600)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.create_system, info.external_attr = 3, 0o600 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def json_bytes(document: object) -> bytes:
    """Pretty-printed UTF-8 JSON, as the archive and Apify write it."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def window_start(export: date, n_days: int) -> date:
    """The first day of an n_days window that ends REPORT_LAG_DAYS before the export."""
    return export - timedelta(days=n_days + REPORT_LAG_DAYS - 1)


def unix_time(moment: datetime) -> int:
    return int(moment.timestamp())


def export_moment(rng: np.random.Generator, day: date) -> datetime:
    """The export time: a working hour of the export day, UTC."""
    hour, minute, second = int(rng.integers(8, 19)), int(rng.integers(60)), int(rng.integers(60))
    return datetime.combine(day, time(hour, minute, second), tzinfo=UTC)


def studio_zip_name(tab: str, first_day: date, moment: datetime, handle: str) -> str:
    """`Overview_<date>_<unix-ts>_<handle>.zip`: the timestamp is the export time, the date is not."""
    return f"{tab}_{first_day.isoformat()}_{unix_time(moment)}_{handle}.zip"


# ---------------------------------------------------------------------------- simulation


def accrued_share(
    age_days: np.ndarray,
    fast_days: np.ndarray | float = FAST_DAYS,
    fast_share: np.ndarray | float = FAST_SHARE,
) -> np.ndarray:
    """Fraction 0..1 of lifetime counts reached by the end of day `age_days` (0 = posting day):
    `fast_share` arrives with a time constant of `fast_days` days, the rest over SLOW_DAYS."""
    age = np.asarray(age_days, dtype=float) + 1
    fast, slow = 1 - np.exp(-age / fast_days), 1 - np.exp(-age / SLOW_DAYS)
    return np.where(age > 0, fast_share * fast + (1 - fast_share) * slow, 0.0)


def video_id(rng: np.random.Generator, posted: datetime) -> int:
    """TikTok's scheme: the posting Unix time in the top 32 bits, then 32 other bits."""
    return (unix_time(posted) << 32) | int(rng.integers(0, 2**32))


def posting_time(rng: np.random.Generator, day: date) -> datetime:
    weights = np.array(POSTING_HOUR_WEIGHTS) / sum(POSTING_HOUR_WEIGHTS)
    hour = int(rng.choice(24, p=weights))
    minute, second = (int(x) for x in rng.integers(0, 60, size=2))
    return datetime.combine(day, time(hour, minute, second), tzinfo=UTC)


def caption(rng: np.random.Generator, voice: Voice) -> str:
    """A topic and 1-3 hashtags; some titles keep Studio's trailing space."""
    n_tags = int(rng.integers(1, min(3, len(voice.hashtags)) + 1))
    tags = rng.choice(voice.hashtags, size=n_tags, replace=False)
    text = str(rng.choice(voice.topics)) + " " + " ".join(f"#{t}" for t in tags)
    return text + (" " if rng.random() < TRAILING_SPACE_SHARE else "")


def counted_shares(story: Story) -> np.ndarray:
    """Share 0..1 of each window day's counts that TikTok had counted at export."""
    counted = np.ones(story.n_days)
    counted[: story.leading_undefined] = 0.0
    if story.tail_counted:
        counted[story.n_days - len(story.tail_counted) :] = story.tail_counted
    return counted


def post_days(rng: np.random.Generator, story: Story, t: np.ndarray, counted: np.ndarray) -> np.ndarray:
    """Posting days (window day numbers): drawn from post_rate, or exactly n_posts in the window."""
    rate = np.clip(story.post_rate(t), 0.0, 1.0)
    rate = np.where(counted > 0, rate, 0.0)  # no posts on days TikTok has no data for
    if story.n_posts is None:
        return t[rng.random(len(t)) < rate]
    inside = (t >= 0) & (rate > 0)
    chosen = rng.choice(t[inside], size=story.n_posts, replace=False, p=rate[inside] / rate[inside].sum())
    return np.sort(chosen)


def simulate(rng: np.random.Generator, story: Story, voice: Voice, first_day: date) -> Account:
    """Posts, their daily accruals and the daily totals over the window (plus a burn-in before it)."""
    t = np.arange(-BURN_IN_DAYS, story.n_days)
    days = [first_day + timedelta(days=int(k)) for k in t]
    weekday = np.array([WEEKDAY_EFFECT[d.weekday()] for d in days])
    counted = np.concatenate([np.ones(BURN_IN_DAYS), counted_shares(story)])

    posted = post_days(rng, story, t, counted)
    rate = np.clip(story.post_rate(t), 1e-9, 1.0)
    # A post brings the views of the days until the next post, on average.
    size = story.new_views(t) / rate * weekday
    special_days = [s[0] for s in story.specials]
    posted = np.sort(np.concatenate([posted[~np.isin(posted, special_days)], special_days])).astype(int)
    usual = story.new_views(t) + story.catalogue_views(t)
    lifetime, fast_days, fast_share = [], [], []
    for day in posted:
        k = int(day) + BURN_IN_DAYS
        viral = [s for s in story.specials if s[0] == day]
        if viral:
            lifetime.append(viral[0][1] * usual[k])
            fast_days.append(viral[0][2])
            fast_share.append(VIRAL_FAST_SHARE)
        else:
            lifetime.append(size[k] * rng.lognormal(-(story.views_sigma**2) / 2, story.views_sigma))
            fast_days.append(FAST_DAYS)
            fast_share.append(FAST_SHARE)
    n_videos = len(posted)
    special = np.isin(posted, special_days)
    mean_like_rate = story.like_beta[0] / sum(story.like_beta)
    age = t[None, :] - posted[:, None]
    share = accrued_share(age, np.array(fast_days)[:, None], np.array(fast_share)[:, None])
    cumulative = np.rint(np.array(lifetime)[:, None] * share).astype(np.int64)
    # TikTok had counted only part of the last days: thin their views before drawing the likes.
    views = rng.binomial(np.diff(cumulative, axis=1, prepend=0), counted[None, :])
    rates = {
        # A viral post's like rate is the account's usual one: its reach, not its appeal, explodes.
        "likes": np.where(special, mean_like_rate, np.minimum(rng.beta(*story.like_beta, n_videos), 0.5)),
        "comments": rng.uniform(*story.comment_rate, n_videos),
        "shares": rng.uniform(*story.share_rate, n_videos),
    }
    per_video = {"views": views} | {m: rng.binomial(views, r[:, None]) for m, r in rates.items()}

    noise = rng.lognormal(-(story.day_noise**2) / 2, story.day_noise, len(t))
    base_views = rng.poisson(story.catalogue_views(t) * weekday * noise * counted)
    mean_rates = {
        "likes": mean_like_rate,
        "comments": float(np.mean(story.comment_rate)),
        "shares": float(np.mean(story.share_rate)),
    }
    base = {"views": base_views} | {m: rng.binomial(base_views, r) for m, r in mean_rates.items()}
    window = slice(BURN_IN_DAYS, None)
    daily = {m: per_video[m][:, window].sum(axis=0) + base[m][window] for m in per_video}
    profile_rate = rng.uniform(*story.profile_rate, story.n_days)
    daily["profile_views"] = rng.binomial(daily["views"], profile_rate)

    videos = []
    for i, day in enumerate(posted):
        moment = posting_time(rng, days[int(day) + BURN_IN_DAYS])
        totals = {m: int(per_video[m][i].sum()) for m in per_video}
        videos.append(
            Video(video_id(rng, moment), moment, caption(rng, voice), special=bool(special[i]), **totals)
        )
    fans_before, fans = follower_counts(rng, story, daily["views"])
    return Account(days[BURN_IN_DAYS:], counted[window], daily, videos, fans, fans_before)


def follower_counts(rng: np.random.Generator, story: Story, views: np.ndarray) -> tuple[int, np.ndarray]:
    """Followers at the end of the day before the window and of each window day.

    The net change from the first to the last day (exactly story.followers) is spread over the days,
    follow_share of it in proportion to the day's views and the rest evenly, plus noise that sums to 0.
    """
    first, last = story.followers
    n = len(views)
    weight = story.follow_share * views / max(int(views[1:].sum()), 1) + (1 - story.follow_share) / (n - 1)
    noise = rng.normal(0, story.follower_noise, n)
    noise[1:] -= noise[1:].mean()
    gains = (last - first) * weight + noise
    fans = first + np.concatenate([[0], np.rint(np.cumsum(gains[1:]))]).astype(np.int64)
    return max(first - round(float(gains[0])), 0), np.maximum(fans, 0)


def listed_videos(rng: np.random.Generator, account: Account, export: date, k: int) -> list[Video]:
    """The ~15 videos Content.csv lists: not the newest, in no useful order, the viral ones kept."""
    eligible = [v for v in account.videos if (export - v.posted.date()).days <= LISTABLE_DAYS]
    special = [v for v in eligible if v.special]
    others = [v for v in eligible if not v.special]
    n_others = max(min(k, len(eligible)) - len(special), 0)
    picked = [others[int(i)] for i in rng.choice(len(others), size=n_others, replace=False)]
    listed = special + picked
    return [listed[int(i)] for i in rng.permutation(len(listed))]


# ---------------------------------------------------------------------------- rows


def overview_rows(account: Account, date_text: Callable[[date], str]) -> list[Row]:
    """One row per window day; a day TikTok had not counted at all is `undefined`."""
    rows: list[Row] = []
    for i, day in enumerate(account.days):
        if not account.defined(i):
            rows.append([date_text(day), *["undefined"] * 5])
            continue
        counts = [int(account.daily[m][i]) for m in OVERVIEW_COLUMNS]
        rows.append([date_text(day), *counts])
    return rows


def viewers_rows(rng: np.random.Generator, account: Account, language: str) -> list[Row]:
    """Unique viewers lag the views: the last counted day is still `undefined` here."""
    rows: list[Row] = []
    last = max(i for i in range(len(account.days)) if account.defined(i))
    for i, day in enumerate(account.days):
        if not account.defined(i) or i == last:
            rows.append([yearless(day, language), "undefined", 0, 0])
            continue
        total = round(int(account.daily["views"][i]) * rng.uniform(*VIEWER_SHARE))
        new = round(total * rng.uniform(*NEW_VIEWER_SHARE))
        rows.append([yearless(day, language), total, new, total - new])
    return rows


def history_rows(account: Account, date_text: Callable[[date], str]) -> list[Row]:
    change = np.diff(account.fans, prepend=account.fans_before)
    return [
        [date_text(d), int(n), int(c)] for d, n, c in zip(account.days, account.fans, change, strict=True)
    ]


def activity_rows(
    rng: np.random.Generator,
    story: Story,
    account: Account,
    date_text: Callable[[date], str],
    first_hour: int = 0,
) -> list[Row]:
    """The last week's followers online by hour (an evening peak); hours numbered from first_hour."""
    hours = np.arange(24)
    base, peak = story.activity
    curve = base + peak * np.exp(-((hours - ACTIVITY_PEAK_HOUR) ** 2) / (2 * ACTIVITY_PEAK_WIDTH**2))
    rows: list[Row] = []
    for i in range(len(account.days) - ACTIVITY_DAYS, len(account.days)):
        online = rng.binomial(int(account.fans[i]), np.minimum(curve * rng.uniform(0.85, 1.15), 1.0))
        rows += [
            [date_text(account.days[i]), int(h) + first_hour, int(n)]
            for h, n in zip(hours, online, strict=True)
        ]
    return rows


def content_rows(videos: list[Video], handle: str, export: date, language: str) -> list[Row]:
    return [
        [yearless(export, language), v.title, v.link(handle), yearless(v.posted.date(), language),
         v.likes, v.comments, v.shares, v.views]
        for v in videos
    ]  # fmt: skip


def distribution(
    rng: np.random.Generator, labels: Sequence[str], alpha: Sequence[float], digits: int, total: float = 1.0
) -> list[Row]:
    """Shares of an audience, rounded to `digits` decimals, summing to `total` (a fraction 0..1)."""
    shares = np.round(rng.dirichlet(alpha) * total, digits)
    shares[0] = round(total - shares[1:].sum(), digits)  # the largest group absorbs the rounding
    return [
        [label, f"{s:.{digits}f}".rstrip("0").rstrip(".")] for label, s in zip(labels, shares, strict=True)
    ]


# ---------------------------------------------------------------------------- truth


def daily_truth(days: Sequence[date], rows: Sequence[Row], columns: dict[str, int]) -> dict[str, Any]:
    """Sums and counts of a daily file, over the rows whose counts are not `undefined`."""
    defined = [r for r in rows if all(str(c) != "undefined" for c in r[1:])]
    truth: dict[str, Any] = {
        "date_from": days[0].isoformat(), "date_to": days[-1].isoformat(),
        "days": len(defined), "missing_days": len(rows) - len(defined),
    }  # fmt: skip
    for metric, column in columns.items():
        truth[metric] = sum(int(r[column]) for r in defined)
    if "comments" in columns:
        truth["negative_comment_days"] = sum(1 for r in defined if int(r[columns["comments"]]) < 0)
    if "likes" in columns:
        likes = [int(r[columns["likes"]]) for r in defined]
        truth["max_daily_likes"], truth["median_daily_likes"] = max(likes), float(np.median(likes))
    return truth


def video_truth(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Totals over distinct videos (by id), each at its largest likes count: counts only grow."""
    latest: dict[str, dict[str, Any]] = {}
    for r in records:
        if r["id"] not in latest or r["likes"] > latest[r["id"]]["likes"]:
            latest[r["id"]] = r
    videos = list(latest.values())
    truth: dict[str, Any] = {"videos": len(videos)}
    for metric in ("likes", "views", "comments", "shares", "saves"):
        if videos and metric in videos[0]:
            truth[f"video_{metric}"] = sum(int(v[metric]) for v in videos)
    posted = sorted(v["posted"] for v in videos)
    truth["posted_from"], truth["posted_to"] = posted[0].isoformat(), posted[-1].isoformat()
    truth["top_video_id"] = max(videos, key=lambda v: v["likes"])["id"]
    return truth


def content_truth(videos: Sequence[Video]) -> dict[str, Any]:
    return video_truth([
        {"id": str(v.id), "posted": v.posted.date(), "likes": v.likes, "views": v.views,
         "comments": v.comments, "shares": v.shares}
        for v in videos
    ])  # fmt: skip


def follower_truth(rows: Sequence[Row], column: int = 1) -> dict[str, Any]:
    fans = [int(r[column]) for r in rows]
    drops = sum(1 for a, b in zip(fans, fans[1:], strict=False) if b < a)
    return {"followers_first": fans[0], "followers_last": fans[-1], "follower_drop_days": drops}


def activity_truth(rows: Sequence[Row]) -> dict[str, Any]:
    hours = [int(r[1]) for r in rows]
    return {
        "activity_rows": len(rows), "activity_days": len({r[0] for r in rows}),
        "hours": f"{min(hours)}-{max(hours)}", "active_followers": sum(int(r[2]) for r in rows),
    }  # fmt: skip


def viewers_truth(rows: Sequence[Row]) -> dict[str, Any]:
    defined = [r for r in rows if r[1] != "undefined"]
    return {"viewers": sum(int(r[1]) for r in defined), "new_viewers": sum(int(r[2]) for r in defined)}


def partial_days(story: Story) -> int:
    return sum(1 for c in story.tail_counted if 0 < c < 1)


# ---------------------------------------------------------------------------- story helpers


def constant(value: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda t: np.full(len(t), float(value))


def exponential(
    start: float, end: float, n_days: int, share: float = 1.0
) -> Callable[[np.ndarray], np.ndarray]:
    """`share` of a curve going multiplicatively from `start` (day 0) to `end` (day n_days - 1)."""
    return lambda t: share * start * (end / start) ** (np.asarray(t, dtype=float) / (n_days - 1))


def studio_set(
    rng: np.random.Generator, story: Story, voice: Voice, handle: str, export: date, n_listed: int
) -> tuple[Account, dict[str, list[Row]], dict[str, Any]]:
    """Simulate the account and lay out every Studio table; truth covers all of them."""
    first_day = window_start(export, story.n_days)
    account = simulate(rng, story, voice, first_day)
    language = voice.language

    def text(day: date) -> str:
        return yearless(day, language)

    listed = listed_videos(rng, account, export, n_listed)
    tables = {
        "Overview.csv": overview_rows(account, text),
        "Content.csv": content_rows(listed, handle, export, language),
        "Viewers.csv": viewers_rows(rng, account, language),
        "FollowerHistory.csv": history_rows(account, text),
        "FollowerActivity.csv": activity_rows(rng, story, account, text),
    }
    truth: dict[str, Any] = {"account": handle, "language": language, "date_order": "yearless",
                             "export_date": export.isoformat()}  # fmt: skip
    truth |= daily_truth(account.days, tables["Overview.csv"], OVERVIEW_COLUMNS)
    truth["partial_days"] = partial_days(story)
    truth |= content_truth(listed)
    truth |= viewers_truth(tables["Viewers.csv"])
    truth |= follower_truth(tables["FollowerHistory.csv"])
    truth |= activity_truth(tables["FollowerActivity.csv"])
    return account, tables, truth


def studio_files(tables: dict[str, list[Row]], names: Sequence[str]) -> dict[str, bytes]:
    """Loose Studio CSVs; Viewers.csv comes without a BOM, as TikTok writes it."""
    header = {
        "Overview.csv": OVERVIEW_HEADER, "Content.csv": CONTENT_HEADER, "Viewers.csv": VIEWERS_HEADER,
        "FollowerHistory.csv": HISTORY_HEADER, "FollowerActivity.csv": ACTIVITY_HEADER,
        "FollowerGender.csv": GENDER_HEADER, "FollowerTopTerritories.csv": TERRITORIES_HEADER,
    }  # fmt: skip
    return {n: studio_csv(header[n], tables[n], bom=n != "Viewers.csv") for n in names}


def zipped(
    loose: dict[str, bytes], handle: str, first_day: date, moment: datetime, tabs: Sequence[str]
) -> dict[str, bytes]:
    """The Studio ZIPs of `tabs` (Overview, Content, Viewers, Followers) holding the loose files."""
    members = {
        "Overview": ["Overview.csv"], "Content": ["Content.csv"], "Viewers": ["Viewers.csv"],
        "Followers": ["FollowerHistory.csv", "FollowerActivity.csv", "FollowerGender.csv",
                      "FollowerTopTerritories.csv"],
    }  # fmt: skip
    files = {}
    for tab in tabs:
        name = (
            f"Followers_{handle}.zip"
            if tab == "Followers"
            else studio_zip_name(tab, first_day, moment, handle)
        )
        files[name] = zip_bytes({m: loose[m] for m in members[tab] if m in loose}, moment)
    return files


def zip_members(files: dict[str, bytes]) -> dict[str, list[str]]:
    out = {}
    for name, data in files.items():
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                out[name] = archive.namelist()
    return out


def row_counts(tables: dict[str, list[Row]], names: Sequence[str]) -> dict[str, int]:
    return {n: len(tables[n]) for n in names}


def finish(
    name: str,
    description: str,
    export: date,
    files: dict[str, bytes],
    truth: dict[str, Any],
    options: dict[str, Any],
) -> Shape:
    members = zip_members(files)
    if members:
        truth["members"] = members
    return Shape(name, description, export, files, truth, options)


# ---------------------------------------------------------------------------- the shapes

TINY_VOICE = Voice("en", (
    "Cast on with me 🧶", "My first cable knit, be kind", "Sock yarn haul 🧦",
    "Finished object friday ✨", "Fixing a dropped stitch (again)",
), ("knitting", "knittok", "yarn", "handmade", "cozy"))  # fmt: skip


def tiny(rng: np.random.Generator) -> Shape:
    """A hobby knitter: 0-6 likes a day, 5 videos, 15 -> 64 followers, loose CSVs."""
    handle, export, n_days = "knit.with.nora", date(2025, 11, 26), 118
    story = Story(
        n_days=n_days, new_views=constant(2.4), catalogue_views=constant(0.8),
        post_rate=constant(5 / n_days), n_posts=5, like_beta=(5.0, 95.0), views_sigma=0.4,
        tail_counted=(0.5,), followers=(15, 64), follow_share=0.9, follower_noise=0.5,
        activity=(0.002, 0.04),
    )  # fmt: skip
    _, tables, truth = studio_set(rng, story, TINY_VOICE, handle, export, n_listed=5)
    # TikTok writes the audience files header-only when an account is this small.
    tables["FollowerGender.csv"], tables["FollowerTopTerritories.csv"] = [], []
    names = ["Overview.csv", "Content.csv", "Viewers.csv", "FollowerHistory.csv", "FollowerActivity.csv",
             "FollowerGender.csv", "FollowerTopTerritories.csv"]  # fmt: skip
    truth["rows"] = row_counts(tables, names)
    return finish(
        "tiny",
        "A hobby knitter with five videos, a handful of likes on good days and 64 followers.",
        export,
        studio_files(tables, names),
        truth,
        {"export_date": export.isoformat()},
    )


VIRAL_VOICE = Voice("el", (
    "Τροχός για αρχάριους 🏺", "Σμάλτο που άλλαξε χρώμα στο καμίνι 🔥", 'Το "μυστικό" μου, επιτέλους',
    "Κούπα από την αρχή ως το τέλος", "Τι πήγε στραβά σήμερα 😅", "Παραγγελίες για τη γιορτή",
), ("κεραμική", "pottery", "fyp", "handmade", "ελλάδα"))  # fmt: skip


def viral(rng: np.random.Generator) -> Shape:
    """A Greek potter whose one video goes viral in a 28-day download: likes x100, followers 24 -> 3,352."""
    handle, export, n_days = "mitsos.keramika", date(2026, 3, 3), 28
    story = Story(
        n_days=n_days, new_views=constant(110.0), catalogue_views=constant(40.0), post_rate=constant(0.35),
        specials=((11, 700.0, 2.0),), like_beta=(9.0, 91.0), leading_undefined=2, tail_counted=(0.8, 0.35),
        followers=(24, 3_352), follow_share=0.95, follower_noise=2.0, activity=(0.02, 0.15),
    )  # fmt: skip
    _, tables, truth = studio_set(rng, story, VIRAL_VOICE, handle, export, n_listed=9)
    tables["FollowerGender.csv"] = distribution(rng, ["Female", "Male", "Other"], (55, 42, 3), 2)
    tables["FollowerTopTerritories.csv"] = distribution(
        rng, ["GR", "CY", "DE", "US", "GB"], (50, 8, 4, 3, 2), 3, 0.82
    )
    loose = studio_files(tables, ["Overview.csv", "Content.csv", "FollowerHistory.csv", "FollowerActivity.csv",
                                  "FollowerGender.csv", "FollowerTopTerritories.csv"])  # fmt: skip
    moment = export_moment(rng, export)
    files = zipped(loose, handle, window_start(export, n_days), moment, ["Overview", "Followers"])
    files["Content.csv"] = loose["Content.csv"]
    names = ["Overview.csv", "Content.csv", "FollowerHistory.csv", "FollowerActivity.csv", "FollowerGender.csv",
             "FollowerTopTerritories.csv"]  # fmt: skip
    truth["rows"] = row_counts(tables, names)
    return finish(
        "viral",
        "A small Greek pottery account whose one video went viral: a hundred times the usual "
        "likes for a few days and followers from 24 to 3,352 in four weeks.",
        export,
        files,
        truth,
        {},
    )


DECLINING_VOICE = Voice("en", (
    "Repotting my monstera 🌿", "Why your fiddle leaf is dropping leaves", "Propagation station update",
    "Plant shop haul 🪴", "5 plants you can't kill", "Watering mistakes, a thread", "Pest check with me 🐛",
), ("planttok", "houseplants", "monstera", "plantcare", "urbanjungle"))  # fmt: skip


def declining(rng: np.random.Generator) -> Shape:
    """A plant account fading over a year: ~400 -> ~40 likes a day, followers slowly falling."""
    handle, export, n_days = "urban.plant.dad", date(2026, 2, 10), 365
    views = 8_000.0, 800.0  # a like rate near 5 % makes ~400 -> ~40 likes a day
    story = Story(
        n_days=n_days, new_views=exponential(*views, n_days, 0.65), catalogue_views=exponential(*views, n_days, 0.35),
        post_rate=constant(0.4), leading_undefined=1, tail_counted=(0.55, 0.0),
        followers=(52_340, 49_870), follow_share=0.0, follower_noise=9.0,
    )  # fmt: skip
    _, tables, truth = studio_set(rng, story, DECLINING_VOICE, handle, export, n_listed=15)
    tables["FollowerGender.csv"] = distribution(rng, ["Female", "Male", "Other"], (48, 49, 3), 2)
    tables["FollowerTopTerritories.csv"] = distribution(
        rng, ["US", "GB", "CA", "AU", "PH"], (40, 10, 6, 4, 3), 3, 0.74
    )
    loose = studio_files(tables, ["Overview.csv", "Content.csv", "FollowerHistory.csv", "FollowerActivity.csv",
                                  "FollowerGender.csv", "FollowerTopTerritories.csv"])  # fmt: skip
    moment = export_moment(rng, export)
    files = zipped(loose, handle, window_start(export, n_days), moment, ["Overview", "Content", "Followers"])
    truth["rows"] = row_counts(tables, ["Overview.csv", "Content.csv", "FollowerHistory.csv", "FollowerActivity.csv",
                                        "FollowerGender.csv", "FollowerTopTerritories.csv"])  # fmt: skip
    return finish(
        "declining",
        "A houseplant account losing reach all year: likes a day fall from about 400 to "
        "about 40 and followers drift down.",
        export,
        files,
        truth,
        {},
    )


GROWING_VOICE = Voice("fr", (
    "Je couds une robe en une journée ✂️", "Mon atelier, visite rapide", "Tissus chinés au marché 🧵",
    "Retouche d'un jean vintage", "Avant / après : la veste de mamie", "Patron gratuit, lien en bio",
), ("couture", "diy", "faitmain", "sewing", "pourtoi"))  # fmt: skip


def growing(rng: np.random.Generator) -> Shape:
    """A French sewing atelier growing all year: ~40 -> ~400 likes a day, loose CSVs."""
    handle, export, n_days = "atelier.margaux", date(2026, 1, 20), 365
    views = 800.0, 8_000.0
    story = Story(
        n_days=n_days, new_views=exponential(*views, n_days, 0.7), catalogue_views=exponential(*views, n_days, 0.3),
        post_rate=constant(0.5), tail_counted=(0.75, 0.3), followers=(3_100, 21_400), follow_share=0.9,
        follower_noise=6.0,
    )  # fmt: skip
    _, tables, truth = studio_set(rng, story, GROWING_VOICE, handle, export, n_listed=15)
    names = ["Overview.csv", "Content.csv", "FollowerHistory.csv"]
    truth["rows"] = row_counts(tables, names)
    for key in ("viewers", "new_viewers", "activity_rows", "activity_days", "hours", "active_followers"):
        del truth[key]  # those files are not part of this shape
    return finish(
        "growing",
        "A French sewing atelier whose reach grows all year, from about 40 to about 400 likes a day.",
        export,
        studio_files(tables, names),
        truth,
        {"export_date": export.isoformat()},
    )


DORMANT_VOICE = Voice("es", (
    "Tortilla de patatas como la de mi abuela 🥔", "Croquetas caseras, paso a paso", "Mi despensa en 30 segundos",
    "Lentejas para la semana", "Probando recetas virales 😋", "Gazpacho en 5 minutos 🍅",
), ("recetas", "cocina", "comidacasera", "parati", "receta"))  # fmt: skip
DORMANT_DAYS, DORMANT_LEVEL, ACTIVE_LEVEL = 120, 14.0, 3_000.0


def dormant_new_views(t: np.ndarray) -> np.ndarray:
    """No posts for DORMANT_DAYS, then reach builds up over a few weeks of posting."""
    since = np.asarray(t, dtype=float) - DORMANT_DAYS
    return np.where(since >= 0, ACTIVE_LEVEL * (1 - np.exp(-(since + 1) / 20)), 0.0)


def dormant(rng: np.random.Generator) -> Shape:
    """A Spanish home cook: ~120 quiet days (0-2 likes, no posts), then posting and tens to hundreds of likes."""
    handle, export, n_days = "cocina.de.lucia", date(2026, 4, 15), 200
    story = Story(
        n_days=n_days, new_views=dormant_new_views, catalogue_views=constant(DORMANT_LEVEL),
        post_rate=lambda t: np.where(np.asarray(t) >= DORMANT_DAYS, 0.6, 0.0), like_beta=(5.0, 95.0),
        tail_counted=(0.7, 0.25), followers=(1_840, 9_650), follow_share=0.95, follower_noise=1.5,
    )  # fmt: skip
    account, tables, truth = studio_set(rng, story, DORMANT_VOICE, handle, export, n_listed=15)
    tables["FollowerGender.csv"] = distribution(rng, ["Female", "Male", "Other"], (70, 28, 2), 2)
    tables["FollowerTopTerritories.csv"] = distribution(
        rng, ["ES", "MX", "AR", "CO", "US"], (30, 12, 6, 5, 4), 3, 0.88
    )
    names = ["Overview.csv", "Content.csv", "FollowerHistory.csv", "FollowerActivity.csv", "FollowerGender.csv",
             "FollowerTopTerritories.csv"]  # fmt: skip
    loose = studio_files(tables, names)
    moment = export_moment(rng, export)
    files = zipped(loose, handle, window_start(export, n_days), moment, ["Overview", "Content", "Followers"])
    truth["rows"] = row_counts(tables, names)
    del truth["viewers"], truth["new_viewers"]
    truth["active_from"] = min(v.posted.date() for v in account.videos).isoformat()
    return finish(
        "dormant",
        "A Spanish cooking account that sat idle for four months, then started posting "
        "and reached tens to hundreds of likes a day.",
        export,
        files,
        truth,
        {},
    )


FITNESS_VOICE = Voice("en", (
    "Leg day, no excuses 🏋️", "3 moves for a stronger core", "Coach reacts to your form", "Member spotlight: Dana",
    "Why you plateau after 6 weeks", "Class timetable for May 📅", "Mobility flow, 10 minutes",
), ("gymtok", "fitness", "workout", "fyp", "legday"))  # fmt: skip


def download_28d(rng: np.random.Generator) -> Shape:
    """A gym's standard 28-day download: every Studio tab as the ZIPs TikTok gives."""
    handle, export, n_days = "northside.fitness", date(2026, 5, 12), 28
    story = Story(
        n_days=n_days, new_views=constant(3_600.0), catalogue_views=constant(1_400.0), post_rate=constant(0.45),
        like_beta=(12.0, 188.0), tail_counted=(0.8, 0.35), followers=(18_450, 19_210), follow_share=0.7,
        follower_noise=5.0,
    )  # fmt: skip
    _, tables, truth = studio_set(rng, story, FITNESS_VOICE, handle, export, n_listed=15)
    tables["FollowerGender.csv"] = distribution(rng, ["Female", "Male", "Other"], (52, 46, 2), 2)
    tables["FollowerTopTerritories.csv"] = distribution(
        rng, ["US", "CA", "GB", "MX", "AU"], (60, 8, 4, 3, 2), 3, 0.86
    )
    names = ["Overview.csv", "Content.csv", "Viewers.csv", "FollowerHistory.csv", "FollowerActivity.csv",
             "FollowerGender.csv", "FollowerTopTerritories.csv"]  # fmt: skip
    loose = studio_files(tables, names)
    moment = export_moment(rng, export)
    files = zipped(loose, handle, window_start(export, n_days), moment,
                   ["Overview", "Content", "Viewers", "Followers"])  # fmt: skip
    truth["rows"] = row_counts(tables, names)
    return finish(
        "download_28d",
        "A neighbourhood gym's default 28-day download, all tabs, as the ZIPs TikTok "
        "gives; the last two days were still counting.",
        export,
        files,
        truth,
        {},
    )


MARKET_VOICE = Voice("es", (
    "Lo que llegó hoy al puesto 🍊", "Cómo elegir un buen melón", "Precios de la semana", "Tomates de la huerta 🍅",
    "Receta rápida con lo que sobró",
), ("mercado", "fruteria", "parati", "frutas", "temporada"))  # fmt: skip


def download_7d(rng: np.random.Generator) -> Shape:
    """A Spanish market stall's 7-day download: Overview, Content and FollowerActivity CSVs."""
    handle, export, n_days = "fruteria.rosa", date(2026, 6, 30), 7
    story = Story(
        n_days=n_days, new_views=constant(900.0), catalogue_views=constant(350.0), post_rate=constant(0.5),
        like_beta=(7.0, 93.0), tail_counted=(0.75, 0.3), followers=(2_310, 2_362), follow_share=0.7,
        follower_noise=1.5,
    )  # fmt: skip
    _, tables, truth = studio_set(rng, story, MARKET_VOICE, handle, export, n_listed=12)
    names = ["Overview.csv", "Content.csv", "FollowerActivity.csv"]
    truth["rows"] = row_counts(tables, names)
    for key in ("viewers", "new_viewers", "followers_first", "followers_last", "follower_drop_days"):
        del truth[key]
    return finish(
        "download_7d",
        "A Spanish fruit stall's last-7-days download: daily overview, recent videos "
        "and when followers are online.",
        export,
        studio_files(tables, names),
        truth,
        {"export_date": export.isoformat()},
    )


FINANCE_VOICE = Voice("en", ("Budget with me", "Index funds in 60 seconds", "Stop doing this with your card"),
                      ("money", "finance", "investing"))  # fmt: skip
NEGATIVE_COMMENT_DAYS = 35


def negative_comments(rng: np.random.Generator) -> Shape:
    """A year where moderation deletes more comments than are written on 35 days."""
    handle, export, n_days = "money.minute.daily", date(2025, 9, 2), 365
    story = Story(
        n_days=n_days, new_views=constant(7_000.0), catalogue_views=constant(3_200.0), post_rate=constant(0.6),
        like_beta=(6.0, 994.0), comment_rate=(0.0001, 0.0003), share_rate=(0.0002, 0.0004),
        profile_rate=(0.002, 0.004), leading_undefined=2, tail_counted=(0.0,), followers=(12_800, 14_100),
        follow_share=0.0, follower_noise=14.0,
    )  # fmt: skip
    account = simulate(rng, story, FINANCE_VOICE, window_start(export, n_days))
    # Deleted spam comments sit on old videos; on these days they outnumber the new ones.
    settled = [i for i in range(n_days) if account.counted[i] == 1]
    for i in rng.choice(settled, size=NEGATIVE_COMMENT_DAYS, replace=False):
        account.daily["comments"][i] -= account.daily["comments"][i] + 1 + rng.poisson(1.5)

    def text(day: date) -> str:
        return yearless(day, "en")

    tables = {
        "Overview.csv": overview_rows(account, text),
        "FollowerHistory.csv": history_rows(account, text),
    }
    truth: dict[str, Any] = {"account": handle, "language": "en", "date_order": "yearless",
                             "export_date": export.isoformat(), "rows": row_counts(tables, list(tables))}  # fmt: skip
    truth |= daily_truth(account.days, tables["Overview.csv"], OVERVIEW_COLUMNS)
    truth["partial_days"] = partial_days(story)
    truth |= follower_truth(tables["FollowerHistory.csv"])
    return finish(
        "negative_comments",
        "A personal-finance account whose daily comment count goes below zero on "
        "days when more comments were deleted than written, and whose followers dip on some days.",
        export,
        studio_files(tables, list(tables)),
        truth,
        {"export_date": export.isoformat(), "account": handle},
    )


SKATE_VOICE = Voice("en", ("Kickflip progress, day 40", "Park session with the crew", "Board setup 2021",
                           "Slam compilation, it hurts", "First drop in 🛹"),
                    ("skate", "skateboarding", "fyp", "foryou"))  # fmt: skip


def legacy_2021(rng: np.random.Generator) -> Shape:
    """A 2021 export: one `Last 60 days.csv` with views and followers (ISO dates), and `Video Posts.csv`."""
    handle, export, n_days = "skatepark.sam", date(2021, 3, 16), 60
    story = Story(
        n_days=n_days, new_views=constant(2_600.0), catalogue_views=constant(900.0), post_rate=constant(0.3),
        like_beta=(9.0, 91.0), tail_counted=(0.6,), followers=(4_120, 5_870), follow_share=0.8,
        follower_noise=4.0,
    )  # fmt: skip
    account = simulate(rng, story, SKATE_VOICE, window_start(export, n_days))
    change = np.diff(account.fans, prepend=account.fans_before)
    daily: list[Row] = [
        [day.isoformat(), int(account.daily["views"][i]), int(account.fans[i]), int(change[i]),
         int(account.daily["profile_views"][i])]
        for i, day in enumerate(account.days)
    ]  # fmt: skip
    posts = [v for v in account.videos if v.posted.date() >= account.days[0]]
    posts.sort(key=lambda v: v.posted, reverse=True)  # newest first, as the analytics page lists them
    post_rows: list[Row] = [[v.title.rstrip(), v.posted.date().isoformat(), v.views, v.likes, v.comments, v.shares]
                 for v in posts]  # fmt: skip
    files = {"Last 60 days.csv": plain_csv(LEGACY_2021_HEADER, daily),
             "Video Posts.csv": plain_csv(LEGACY_POSTS_HEADER, post_rows)}  # fmt: skip
    truth: dict[str, Any] = {"account": handle, "language": None, "date_order": "iso", "export_date": export.isoformat(),
                             "rows": {"Last 60 days.csv": len(daily), "Video Posts.csv": len(post_rows)}}  # fmt: skip
    truth |= daily_truth(account.days, daily, {"views": 1, "profile_views": 4})
    truth["partial_days"] = partial_days(story)
    truth |= follower_truth(daily, column=2)
    # This export has no video links, hence no ids: every row is one video.
    truth |= video_truth([{"id": str(k), "posted": date.fromisoformat(str(r[1])), "likes": r[3], "views": r[2],
                           "comments": r[4], "shares": r[5]} for k, r in enumerate(post_rows)])  # fmt: skip
    del truth["top_video_id"]
    return finish(
        "legacy_2021",
        "A skateboarder's 2021 analytics export: views and followers in one 60-day "
        "file with ISO dates, and the posts of those weeks.",
        export,
        files,
        truth,
        {"account": handle},
    )


def legacy_2022(rng: np.random.Generator) -> Shape:
    """A 2022 export with day-first numeric dates, hours numbered 1-24, `%` shares. Plain CSV."""
    handle, export, n_days = "brisbane.eats", date(2022, 7, 2), 60
    voice = Voice("en", ("Best pho in the valley",), ("foodtok",))
    story = Story(
        n_days=n_days, new_views=constant(5_200.0), catalogue_views=constant(1_800.0), post_rate=constant(0.4),
        like_beta=(8.0, 112.0), tail_counted=(0.65,), followers=(8_900, 10_450), follow_share=0.7,
        follower_noise=4.0, activity=(0.03, 0.18),
    )  # fmt: skip
    first_day = window_start(export, n_days)  # 4/5/2022: day <= 12, as are the rows until 12/5/2022
    account = simulate(rng, story, voice, first_day)
    overview = overview_rows(account, day_first)
    change = np.diff(account.fans, prepend=account.fans_before)
    followers: list[Row] = [
        [day_first(d), int(n), int(c)] for d, n, c in zip(account.days, account.fans, change, strict=True)
    ]
    activity = activity_rows(rng, story, account, day_first, first_hour=1)
    gender = [
        [g, f"{round(float(s) * 100)}%"]
        for g, s in distribution(rng, ["Female", "Male", "Other"], (44, 54, 2), 2)
    ]
    files = {
        "Last 60 days.csv": plain_csv(LEGACY_OVERVIEW_HEADER, overview),
        "Follower activity.csv": plain_csv(ACTIVITY_HEADER, activity),
        "Total followers.csv": plain_csv(HISTORY_HEADER, followers),
        "Gender.csv": plain_csv(GENDER_HEADER, gender),
    }
    truth: dict[str, Any] = {"account": handle, "language": None, "date_order": "dmy", "export_date": export.isoformat(),
                             "rows": {"Last 60 days.csv": len(overview), "Follower activity.csv": len(activity),
                                      "Total followers.csv": len(followers), "Gender.csv": len(gender)}}  # fmt: skip
    truth |= daily_truth(account.days, overview, OVERVIEW_COLUMNS)
    truth["partial_days"] = partial_days(story)
    truth |= follower_truth(followers)
    truth |= activity_truth(activity)
    return finish(
        "legacy_2022",
        "A Brisbane food account's 2022 export: dates written day first (20/6/2022), "
        "follower activity by hour 1 to 24, gender in percent.",
        export,
        files,
        truth,
        {"account": handle},
    )


ARCHIVE_TOPICS = ("Painting the sea at dusk 🌊", "Watercolour basics, part {n}", "Sketchbook tour",
                  "Speedpaint: my cat", "Colour mixing without tears 🎨")  # fmt: skip
ARCHIVE_VIDEOS, ARCHIVE_SPLIT, NA_TITLE_SHARE = 40, 22, 0.2


def archive_record(
    rng: np.random.Generator, handle: str, posted: datetime, vid: int, likes: int
) -> dict[str, str]:
    """One post as "Download your data" writes it: every value a string, `N/A`/empty when missing."""
    title = (
        "N/A"
        if rng.random() < NA_TITLE_SHARE
        else str(rng.choice(ARCHIVE_TOPICS)).format(n=int(rng.integers(2, 9)))
    )
    return {
        "Date": f"{posted:%Y-%m-%d %H:%M:%S}",
        "Link": f"https://www.tiktokv.com/share/video/{vid}/",
        "Likes": str(likes),
        "WhoCanView": str(rng.choice(["Everyone", "Everyone", "Everyone", "Friends"])),
        "AllowComments": "Yes", "AllowStitches": "Yes", "AllowDuets": "Yes", "AllowStickers": "Yes",
        "AllowSharingToStory": "Yes",
        "Sound": str(rng.choice(ARCHIVE_SOUNDS)).format(handle=handle),
        "Location": "",
        "Title": title,
        "AddYoursText": "",
        "ContentDisclosure": "Branded Content" if rng.random() < 0.1 else "",
        "AIGeneratedContent": str(rng.choice(["", "", "No", "Yes"])),
    }  # fmt: skip


def others_videos(rng: np.random.Generator, since: datetime, n: int) -> list[dict[str, str]]:
    """Other people's videos the account watched or saved: a date and a link, and no likes."""
    moments = [
        since + timedelta(seconds=int(s)) for s in np.sort(rng.choice(360 * 86_400, size=n, replace=False))
    ]
    return [{"Date": f"{m:%Y-%m-%d %H:%M:%S}", "Link": f"https://www.tiktokv.com/share/video/{video_id(rng, m)}/"}
            for m in moments]  # fmt: skip


def download_your_data(rng: np.random.Generator) -> Shape:
    """The account's own JSON archive split in two files, plus an older archive nesting its posts elsewhere."""
    handle, export = "jules.paints", date(2025, 9, 14)
    old_export = date(2025, 2, 1)  # the older archive, whose posts sit under Video > Videos
    first = datetime.combine(export - timedelta(days=365), time(0), tzinfo=UTC)
    offsets = np.sort(rng.choice(355 * 86_400, size=ARCHIVE_VIDEOS, replace=False))
    videos = []
    for offset in offsets:
        posted = first + timedelta(seconds=int(offset))
        lifetime = rng.lognormal(np.log(180), 1.1)
        age = np.array([(export - posted.date()).days, (old_export - posted.date()).days])
        likes_now, likes_then = (int(x) for x in np.rint(lifetime * accrued_share(age)))
        videos.append((posted, video_id(rng, posted), likes_now, likes_then))
    records = [archive_record(rng, handle, p, vid, now) for p, vid, now, _ in videos]
    newest_first = records[::-1]  # the archive lists the newest post first
    favourites, watched = others_videos(rng, first, 12), others_videos(rng, first, 30)
    part_1 = {
        "Profile": {"Profile Info": {"ProfileMap": {"userName": handle, "bioDescription": "watercolours & sketchbooks 🎨",
                                                    "likesReceived": str(sum(v[2] for v in videos))}}},
        "Activity": {
            "Video Browsing History": {"VideoList": watched},  # other people's videos: not posts
            "Favorite Videos": {"FavoriteVideoList": favourites},
            "Like List": {"ItemFavoriteList": [{"date": f["Date"], "link": f["Link"]} for f in favourites[3:]]},
        },
        "Comment": {"Comments": {"CommentsList": [
            {"date": favourites[0]["Date"], "comment": "this is so calming 😍", "photo": "N/A", "url": ""},
            {"date": favourites[5]["Date"], "comment": "tutorial please!", "photo": "N/A", "url": ""},
        ]}},
        "Post": {"Posts": {"VideoList": newest_first[:ARCHIVE_SPLIT]}},
    }  # fmt: skip
    part_2 = {"Post": {"Posts": {"VideoList": newest_first[ARCHIVE_SPLIT:]}}}
    old_records = []
    for (posted, _, _, then), record in zip(videos, records, strict=True):
        if posted.date() < old_export:
            old_records.append(record | {"Likes": str(then)})
    old = {"Video": {"Videos": {"VideoList": old_records[::-1]}},
           "Activity": {"Video Browsing History": {"VideoList": watched[:3]}}}  # fmt: skip
    files = {
        "user_data_tiktok_1.json": json_bytes(part_1),
        "user_data_tiktok_2.json": json_bytes(part_2),
        "user_data_tiktok_2025-02.json": json_bytes(old),
    }
    listed = [(newest_first[:ARCHIVE_SPLIT], "user_data_tiktok_1.json"),
              (newest_first[ARCHIVE_SPLIT:], "user_data_tiktok_2.json"),
              (old_records, "user_data_tiktok_2025-02.json")]  # fmt: skip
    every = [r for part, _ in listed for r in part]
    truth: dict[str, Any] = {"account": handle, "language": None, "date_order": "iso", "export_date": export.isoformat(),
                             "rows": {name: len(part) for part, name in listed}}  # fmt: skip
    truth |= video_truth([{"id": r["Link"].rstrip("/").rsplit("/", 1)[1],
                           "posted": datetime.strptime(r["Date"], "%Y-%m-%d %H:%M:%S").date(),
                           "likes": int(r["Likes"])} for r in every])  # fmt: skip
    truth["na_titles"] = sum(1 for r in newest_first if r["Title"] == "N/A")
    return finish(
        "download_your_data",
        "A watercolour painter's own TikTok data archive (JSON), split in two "
        "files, plus an older archive that nests the posts elsewhere.",
        export,
        files,
        truth,
        {},
    )


SCRAPE_HASHTAG, SCRAPE_VIDEOS, SCRAPE_ACCOUNTS = "booktok", 1_000, 800
SYLLABLES = ("ka", "ri", "mo", "la", "ne", "so", "ta", "vi", "lu", "be", "do", "zu", "ar", "el", "in", "ok")
BOOK_TOPICS = ("This book destroyed me 😭", "Books that live in my head rent free", "Reading vlog",
               "Rating every book I read this month", "Enemies to lovers recs", "My TBR is out of control 📚",
               "Annotating with me", "Underrated fantasy series")  # fmt: skip
BOOK_TAGS = ("booktok", "books", "reading", "fantasybooks", "romancebooks", "bookrecs", "fyp")


def scraper_handles(rng: np.random.Generator, n: int) -> list[str]:
    """Distinct made-up handles: syllables, sometimes a separator and digits."""
    seen: set[str] = set()
    while len(seen) < n:
        name = "".join(rng.choice(SYLLABLES, size=int(rng.integers(2, 5))))
        if rng.random() < 0.4:
            name += str(rng.choice(["_", ".", ""])) + str(int(rng.integers(1, 999)))
        seen.add(name)
    return sorted(seen)


def scraper_many(rng: np.random.Generator) -> Shape:
    """An Apify hashtag scrape: ~1,000 videos from ~800 accounts, nested JSON as Apify writes it."""
    scraped = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    handles = scraper_handles(rng, SCRAPE_ACCOUNTS)
    # Every account has one video; a few prolific ones have more.
    extra = rng.choice(
        SCRAPE_ACCOUNTS, size=SCRAPE_VIDEOS - SCRAPE_ACCOUNTS, p=rng.dirichlet(np.full(SCRAPE_ACCOUNTS, 0.3))
    )
    authors = np.concatenate([np.arange(SCRAPE_ACCOUNTS), extra])
    fans = np.rint(rng.lognormal(np.log(6_000), 1.8, SCRAPE_ACCOUNTS)).astype(int) + 10
    records: list[dict[str, Any]] = []
    for author in authors:
        posted = scraped - timedelta(seconds=int(rng.integers(3_600, 400 * 86_400)))
        views = int(max(1, fans[author] * rng.lognormal(0.3, 1.2)))
        likes = int(rng.binomial(views, min(rng.beta(8, 80), 0.5)))
        tags = [str(t) for t in rng.choice(BOOK_TAGS[1:], size=int(rng.integers(0, 4)), replace=False)]
        vid = video_id(rng, posted)
        records.append({
            "id": str(vid),
            "text": str(rng.choice(BOOK_TOPICS)) + " " + " ".join(f"#{t}" for t in [SCRAPE_HASHTAG, *tags]),
            "createTimeISO": f"{posted:%Y-%m-%dT%H:%M:%S}.000Z",
            "createTime": unix_time(posted),
            "diggCount": likes,
            "playCount": views,
            "shareCount": int(rng.binomial(views, 0.003)),
            "commentCount": int(rng.binomial(views, 0.002)),
            "collectCount": int(rng.binomial(views, 0.006)),
            "webVideoUrl": f"https://www.tiktok.com/@{handles[author]}/video/{vid}",
            "isAd": bool(rng.random() < 0.01),
            "isPinned": False,
            "authorMeta": {"name": handles[author], "nickName": handles[author].replace(".", " ").title(),
                           "verified": bool(fans[author] > 1_000_000), "fans": int(fans[author])},
            "videoMeta": {"duration": int(rng.integers(7, 180))},
            "hashtags": [{"name": t} for t in [SCRAPE_HASHTAG, *tags]],
        })  # fmt: skip
    # The author's lifetime hearts and videos include the scraped ones and an older catalogue.
    hearts, posts = np.zeros(SCRAPE_ACCOUNTS, dtype=np.int64), np.bincount(authors, minlength=SCRAPE_ACCOUNTS)
    np.add.at(hearts, authors, [r["diggCount"] for r in records])
    older = rng.integers(3, 400, SCRAPE_ACCOUNTS)
    for author, r in zip(authors, records, strict=True):
        r["authorMeta"] |= {"heart": int(hearts[author] + older[author] * fans[author] // 20),
                            "video": int(posts[author] + older[author])}  # fmt: skip
    records.sort(key=lambda r: r["createTime"], reverse=True)
    name = f"dataset_tiktok-scraper_{scraped:%Y-%m-%d_%H-%M-%S}.json"
    truth: dict[str, Any] = {"account": None, "language": None, "date_order": "iso",
                             "export_date": scraped.date().isoformat(), "rows": {name: len(records)},
                             "accounts": len({r["authorMeta"]["name"] for r in records})}  # fmt: skip
    truth |= video_truth([{"id": r["id"], "posted": datetime.fromtimestamp(r["createTime"], UTC).date(),
                           "likes": r["diggCount"], "views": r["playCount"], "comments": r["commentCount"],
                           "shares": r["shareCount"], "saves": r["collectCount"]} for r in records])  # fmt: skip
    return finish(
        "scraper_many",
        f"An Apify scrape of #{SCRAPE_HASHTAG}: about a thousand videos from about eight hundred accounts.",
        scraped.date(),
        {name: json_bytes(records)},
        truth,
        {},
    )


RECIPE_VOICE = Voice("en", ("15-minute pasta",), ("recipes",))
SPIKES = ((41, 35.0, 1.5), (150, 60.0, 2.0), (262, 25.0, 1.5), (318, 45.0, 1.5))  # (day, size, accrual)


def overview_only(
    rng: np.random.Generator, story: Story, voice: Voice, handle: str, export: date
) -> tuple[Account, dict[str, Any], dict[str, bytes]]:
    """A shape of one Overview.csv, for projection backtests."""
    account = simulate(rng, story, voice, window_start(export, story.n_days))
    rows = overview_rows(account, lambda d: yearless(d, voice.language))
    truth: dict[str, Any] = {"account": handle, "language": voice.language, "date_order": "yearless",
                             "export_date": export.isoformat(), "rows": {"Overview.csv": len(rows)}}  # fmt: skip
    truth |= daily_truth(account.days, rows, OVERVIEW_COLUMNS)
    truth["partial_days"] = partial_days(story)
    return account, truth, {"Overview.csv": studio_csv(OVERVIEW_HEADER, rows)}


def spiky(rng: np.random.Generator) -> Shape:
    """A steady recipe account (~200 likes a day) with four rare viral spikes; the year holds 29 February."""
    handle, export, n_days = "quickrecipes.daily", date(2024, 6, 15), 365
    story = Story(
        n_days=n_days, new_views=constant(2_800.0), catalogue_views=constant(1_200.0), post_rate=constant(0.6),
        specials=SPIKES, tail_counted=(0.7, 0.3), followers=(40_200, 47_900), follow_share=0.8,
    )  # fmt: skip
    account, truth, files = overview_only(rng, story, RECIPE_VOICE, handle, export)
    median = truth["median_daily_likes"]
    truth["spike_days"] = [d.isoformat() for i, d in enumerate(account.days)
                           if account.defined(i) and account.daily["likes"][i] >= SPIKE_FACTOR * median]  # fmt: skip
    return finish(
        "spiky",
        "A steady recipe account, about 200 likes a day, with four rare viral spikes.",
        export,
        files,
        truth,
        {"export_date": export.isoformat(), "account": handle},
    )


PILATES_VOICE = Voice("el", ("Pilates για αρχάριους",), ("pilates",))
SHIFT_DAY, SHIFT_FACTOR = 182, 2.5


def shifted(level: float, share: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda t: share * level * np.where(np.asarray(t) >= SHIFT_DAY, SHIFT_FACTOR, 1.0)


def level_shift(rng: np.random.Generator) -> Shape:
    """A Greek pilates studio whose likes a day jump to 2.5x halfway through the year and stay there."""
    handle, export, n_days = "pilates.athina", date(2026, 7, 1), 365
    story = Story(
        n_days=n_days, new_views=shifted(2_000.0, 0.7), catalogue_views=shifted(2_000.0, 0.3), post_rate=constant(0.5),
        like_beta=(25.0, 475.0), views_sigma=0.4, tail_counted=(0.7, 0.3), followers=(6_300, 11_800), follow_share=0.8,
    )  # fmt: skip
    account, truth, files = overview_only(rng, story, PILATES_VOICE, handle, export)
    shift = account.days[SHIFT_DAY]
    likes = account.daily["likes"]
    settled = [i for i in range(n_days) if account.counted[i] == 1]
    truth["shift_date"] = shift.isoformat()
    truth["likes_per_day_before"] = float(np.mean([likes[i] for i in settled if i < SHIFT_DAY]))
    truth["likes_per_day_after"] = float(np.mean([likes[i] for i in settled if i >= SHIFT_DAY]))
    return finish(
        "level_shift",
        "A Greek pilates studio whose likes a day jump to two and a half times their level "
        "halfway through the year, and stay there.",
        export,
        files,
        truth,
        {"export_date": export.isoformat(), "account": handle},
    )


NEWER_FOLLOWERS_VOICE = Voice("es", (
    "Pan de masa madre en casa 🍞", "Así amasamos a las 5 de la mañana", "Croissants paso a paso 🥐",
    "Lo que nadie te cuenta de la levadura", "Visita al obrador", "Roscón exprés para el finde",
), ("panaderia", "masamadre", "pan", "recetas", "parati"))  # fmt: skip
NEWER_FOLLOWERS_DAYS = 14  # how much newer the Followers export is than the Overview and Content ones


def newer_followers(rng: np.random.Generator) -> Shape:
    """A Spanish bakery whose Followers export is two weeks newer than its Overview and Content ones."""
    handle, export, n_days = "horno.de.sol", date(2026, 4, 28), 120
    story = Story(
        n_days=n_days, new_views=constant(1_500.0), catalogue_views=constant(700.0), post_rate=constant(0.45),
        tail_counted=(0.6, 0.25), followers=(8_200, 9_650), follow_share=0.7, follower_noise=4.0,
        activity=(0.02, 0.12),
    )  # fmt: skip
    account, tables, truth = studio_set(rng, story, NEWER_FOLLOWERS_VOICE, handle, export, n_listed=15)
    # The Followers tab downloaded two weeks later: the follower counts go on growing at the
    # window's pace, with the same day-to-day noise, and the activity covers the newer week.
    later = export + timedelta(days=NEWER_FOLLOWERS_DAYS)
    pace = (story.followers[1] - story.followers[0]) / (n_days - 1)
    steps = pace + rng.normal(0, story.follower_noise, NEWER_FOLLOWERS_DAYS)
    newer = replace(
        account,
        days=[*account.days, *(export + timedelta(days=k) for k in range(1, NEWER_FOLLOWERS_DAYS + 1))],
        fans=np.concatenate([account.fans, account.fans[-1] + np.rint(np.cumsum(steps)).astype(np.int64)]),
    )

    def text(day: date) -> str:
        return yearless(day, NEWER_FOLLOWERS_VOICE.language)

    tables["FollowerHistory.csv"] = history_rows(newer, text)
    tables["FollowerActivity.csv"] = activity_rows(rng, story, newer, text)
    truth |= follower_truth(tables["FollowerHistory.csv"])
    truth |= activity_truth(tables["FollowerActivity.csv"])
    truth["followers_export_date"] = later.isoformat()
    names = ["Overview.csv", "Content.csv", "FollowerHistory.csv", "FollowerActivity.csv"]
    loose = studio_files(tables, names)
    first_day = window_start(export, n_days)
    files = zipped(loose, handle, first_day, export_moment(rng, export), ["Overview", "Content"])
    files |= zipped(loose, handle, first_day, export_moment(rng, later), ["Followers"])
    truth["rows"] = row_counts(tables, names)
    for key in ("viewers", "new_viewers"):
        del truth[key]  # Viewers.csv is not part of this shape
    return finish(
        "newer_followers",
        "A Spanish bakery that downloaded its Followers tab two weeks after its Overview and Content: "
        "follower counts run 14 days past the last day of likes.",
        export,
        files,
        truth,
        {},
    )


BUILDERS: dict[str, Callable[[np.random.Generator], Shape]] = {
    "tiny": tiny, "viral": viral, "declining": declining, "growing": growing, "dormant": dormant,
    "download_28d": download_28d, "download_7d": download_7d, "negative_comments": negative_comments,
    "legacy_2021": legacy_2021, "legacy_2022": legacy_2022, "download_your_data": download_your_data,
    "scraper_many": scraper_many, "spiky": spiky, "level_shift": level_shift,
    "newer_followers": newer_followers,
}  # fmt: skip
SHAPES: tuple[str, ...] = tuple(BUILDERS)


def build(name: str, seed: int = 0) -> Shape:
    """Build one shape; the same name and seed give the same bytes every time."""
    if name not in BUILDERS:
        raise ValueError(f"unknown shape '{name}'; the shapes are: {', '.join(SHAPES)}")
    # Each shape draws from its own stream, so adding a shape never changes another one.
    return BUILDERS[name](np.random.default_rng([seed, zlib.crc32(name.encode())]))


def write(name: str, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write a shape's files into out_dir; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for file_name, data in build(name, seed).files.items():
        (out_dir / file_name).write_bytes(data)
        paths.append(out_dir / file_name)
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write seeded account shapes in TikTok's export formats.")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument(
        "--shape", action="append", choices=SHAPES, help="a shape to write (repeatable; default all)"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for name in args.shape or SHAPES:
        paths = write(name, args.out_dir / name, args.seed)
        print(f"{name}: {len(paths)} files in {args.out_dir / name}")


if __name__ == "__main__":
    main()
