"""Write the demo data set: one year of TikTok Studio exports for @lumen.skincare.

The files copy the real export shapes byte for byte (see the shared formats README): UTF-8 BOM,
every field double-quoted, LF line ends, no newline after the last line, yearless English dates,
`undefined` for missing values. Beside them sit Apify scraper snapshots of the same videos and of
a competitor. Everything derives from one seed, so a rerun writes identical bytes.

Each video's lifetime counts accrue over the days after posting (most in the first 3-5 days), and
the daily Overview is the sum of those accruals plus a small baseline from older videos, so daily
totals and video totals agree. The account's local time is UTC, so Studio dates and Apify
timestamps agree too.

Run: python data/generate_demo.py
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np

SEED = 20261120
OUT_DIR = Path(__file__).resolve().parent / "demo"
HANDLE, COMPETITOR = "lumen.skincare", "glow.theory"
EXPORT_DATE = date(2026, 11, 20)
EXPORT_TS = int(datetime.combine(EXPORT_DATE, time(12), tzinfo=UTC).timestamp())
SCRAPE_DATE = date(2026, 11, 10)  # the Apify snapshot; nothing is posted after it
N_DAYS = 365
FIRST_DAY = EXPORT_DATE - timedelta(days=N_DAYS - 1)
LEADING_UNDEFINED_DAYS = 2  # Studio leaves the first days empty, and the last (partial) day
ZIP_TIME = (2026, 11, 20, 12, 0, 0)

N_CONTENT_EXPORTS, VIDEOS_PER_EXPORT = 10, 15
REPEAT_PROBABILITY = 0.6  # an export also lists one video of the previous export
N_COMPETITOR_VIDEOS = 120

MEDIAN_VIEWS, COMPETITOR_MEDIAN_VIEWS = 10_000, 17_000  # before effects; observed ~12k, ~20k
VIEWS_SIGMA = 0.6  # spread of the log-normal views per video
LIKE_RATE_BETA = (14.0, 240.0)  # mean 5.5 %, mostly 3-8 %
COMPETITOR_LIKE_RATE_BETA = (9.0, 300.0)  # mean 2.9 %
MAX_LIKE_RATE = 0.2
COMMENT_RATE, SHARE_RATE, SAVE_RATE = (0.003, 0.008), (0.002, 0.006), (0.004, 0.012)
N_VIRAL, VIRAL_MULTIPLIER = 5, (10.0, 40.0)
COLLAB_SHARE, COLLAB_VIEW_UPLIFT = 0.15, 1.2
WEEKDAY_EFFECT = (0.9, 1.25, 1.3, 1.25, 0.95, 0.8, 0.85)  # views multiplier, Monday first
EVENING_HOURS, EVENING_EFFECT = range(18, 22), 1.35
LIKE_RATE_SENSITIVITY = 0.5  # the like rate moves with (weekday x hour effect) ** this
POSTING_HOUR_WEIGHTS = (0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 3, 3, 2, 2, 2, 3, 4, 5, 5, 4, 2, 1)
DURATION_SECONDS = (7, 90)
TRAILING_SPACE_SHARE = 0.5  # Studio keeps a trailing space after some captions

FAST_SHARE, FAST_DAYS, SLOW_DAYS = 0.85, 1.5, 30.0  # accrual: a burst, then a long tail
BASELINE_VIEWS = 400  # views per day on videos older than the window
BASELINE_RATES = {"likes": 0.045, "comments": 0.004, "shares": 0.003}
PROFILE_VIEW_RATE, UNIQUE_VIEWER_SHARE, NEW_VIEWER_SHARE = (0.01, 0.02), (0.6, 0.75), (0.7, 0.85)
START_FOLLOWERS, END_FOLLOWERS, FOLLOWER_NOISE_SD = 8_000, 25_000, 6.0
ACTIVITY_DAYS, ACTIVITY_NOISE = 7, (0.9, 1.1)
ACTIVE_BASE, ACTIVE_PEAK, ACTIVE_PEAK_HOUR, ACTIVE_PEAK_WIDTH = 0.03, 0.22, 20, 2.5
GENDER = [["Female", "0.78"], ["Male", "0.19"], ["Other", "0.03"]]
TERRITORIES = [["US", "0.412"], ["GB", "0.156"], ["CA", "0.081"], ["AU", "0.064"], ["IE", "0.038"]]
PRIOR_VIDEOS = {HANDLE: 210, COMPETITOR: 340}  # posted before the window
PRIOR_HEARTS = {HANDLE: 310_000, COMPETITOR: 1_450_000}
COMPETITOR_FANS, N_PINNED = 61_300, 3

TOPICS = (
    "3-step morning routine ☀️", "SPF myths, busted 🧴", "Glass skin in 30 seconds ✨",
    "Night routine for dry skin 🌙", "Serum layering order 💧", "4 weeks of vitamin C 🍊",
    "Dermatologist answers your questions 👩‍⚕️", "How much SPF is enough? 🤔",
    "Barrier repair 101 🧱", "Get ready with me 💄", "Retinol for beginners 🌿",
    "Unboxing our new cleanser 📦", "Texture check 🔍",
)  # fmt: skip
HASHTAGS = ("skincare", "routine", "spf", "glowup", "fyp", "tutorial", "serum", "grwm")
PARTNERS = ("dr.mira.derm", "sunnyside.beauty", "the.skin.lab")

METRICS = ("views", "likes", "comments", "shares", "saves")
OVERVIEW_HEADER = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
VIEWERS_HEADER = ["Date", "Total Viewers", "New Viewers", "Returning Viewers"]
CONTENT_HEADER = [
    "Time", "Video title", "Video link", "Post time",
    "Total likes", "Total comments", "Total shares", "Total views",
]  # fmt: skip
CONTENT_METRICS = ("likes", "comments", "shares", "views")
APIFY_COUNTS = {
    "diggCount": "likes", "playCount": "views", "shareCount": "shares",
    "commentCount": "comments", "collectCount": "saves",
}  # fmt: skip


@dataclass
class Video:
    """One post; `lifetime` counts accrue over the days after posting."""

    id: int
    posted: datetime
    text: str  # the caption, as Apify gives it
    title: str  # the caption as Studio's "Video title" shows it
    hashtags: list[str]
    duration: int  # seconds
    lifetime: dict[str, int]

    def seen_on(self, day: date) -> dict[str, int]:
        """The counts as seen at the end of `day`."""
        share = float(accrued_share(np.array((day - self.posted.date()).days)))
        return {m: round(n * share) for m, n in self.lifetime.items()}

    def link(self, handle: str) -> str:
        return f"https://www.tiktok.com/@{handle}/video/{self.id}"


def yearless(day: date) -> str:
    """Studio's English date: 'June 30'."""
    return f"{day:%B} {day.day}"


def studio_csv(header: list[str], rows: Sequence[Sequence[object]], bom: bool = True) -> bytes:
    """A CSV as Studio writes it: BOM, every field quoted, LF, no final newline."""
    lines = (",".join('"' + str(f).replace('"', '""') + '"' for f in r) for r in [header, *rows])
    return ("\ufeff" if bom else "").encode() + "\n".join(lines).encode()


def write_zip(name: str, members: dict[str, bytes]) -> None:
    """A stored (uncompressed) ZIP with fixed timestamps, like the Studio download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for member, data in members.items():
            archive.writestr(zipfile.ZipInfo(member, date_time=ZIP_TIME), data)
    (OUT_DIR / name).write_bytes(buffer.getvalue())


def accrued_share(age_days: np.ndarray) -> np.ndarray:
    """Fraction 0..1 of lifetime counts reached by the end of day `age_days` (0 = posting day)."""
    age = np.asarray(age_days, dtype=float) + 1
    fast, slow = 1 - np.exp(-age / FAST_DAYS), 1 - np.exp(-age / SLOW_DAYS)
    return np.where(age > 0, FAST_SHARE * fast + (1 - FAST_SHARE) * slow, 0.0)


def caption(rng: np.random.Generator, collab: bool) -> tuple[str, list[str]]:
    """A caption with emoji and 2-4 hashtags; collabs mention a partner."""
    tags = [str(t) for t in rng.choice(HASHTAGS, size=rng.integers(2, 5), replace=False)]
    text = str(rng.choice(TOPICS))
    if collab:
        text += f" with @{rng.choice(PARTNERS)}"
        tags.insert(0, "collab")
    return text + " " + " ".join(f"#{t}" for t in tags), tags


def make_videos(
    rng: np.random.Generator, days: list[date], median_views: int, like_beta: tuple[float, float]
) -> list[Video]:
    """Videos posted on `days`: log-normal views, beta like rates, weekday/hour/collab effects."""
    n = len(days)
    hours = rng.choice(24, size=n, p=np.array(POSTING_HOUR_WEIGHTS) / sum(POSTING_HOUR_WEIGHTS))
    collab = rng.random(n) < COLLAB_SHARE
    viral = np.isin(np.arange(n), rng.choice(n, size=N_VIRAL, replace=False))
    videos = []
    for i, day in enumerate(days):
        minute, second = (int(x) for x in rng.integers(0, 60, size=2))
        posted = datetime.combine(day, time(int(hours[i]), minute, second), tzinfo=UTC)
        evening = EVENING_EFFECT if hours[i] in EVENING_HOURS else 1.0
        effect = WEEKDAY_EFFECT[day.weekday()] * evening
        views = median_views * rng.lognormal(0, VIEWS_SIGMA) * effect
        views *= COLLAB_VIEW_UPLIFT if collab[i] else 1.0
        views *= rng.uniform(*VIRAL_MULTIPLIER) if viral[i] else 1.0
        like_rate = min(rng.beta(*like_beta) * effect**LIKE_RATE_SENSITIVITY, MAX_LIKE_RATE)
        rates = [like_rate, *(rng.uniform(*r) for r in (COMMENT_RATE, SHARE_RATE, SAVE_RATE))]
        text, tags = caption(rng, bool(collab[i]))
        title = text + (" " if rng.random() < TRAILING_SPACE_SHARE else "")
        video_id = (int(posted.timestamp()) << 32) | int(rng.integers(0, 2**32))  # TikTok-like
        counts = zip(METRICS[1:], rates, strict=True)
        lifetime = {"views": int(views)} | {m: int(views * r) for m, r in counts}
        duration = int(rng.integers(*DURATION_SECONDS))
        videos.append(Video(video_id, posted, text, title, tags, duration, lifetime))
    return videos


def export_dates() -> list[date]:
    """Content export days spread over the window; the last one is the export date."""
    step = N_DAYS / N_CONTENT_EXPORTS
    return [FIRST_DAY + timedelta(days=round(step * (k + 1)) - 1) for k in range(N_CONTENT_EXPORTS)]


def brand_post_days(rng: np.random.Generator) -> list[date]:
    """VIDEOS_PER_EXPORT posting days between consecutive Content exports, oldest first."""
    days, start = [], FIRST_DAY + timedelta(days=LEADING_UNDEFINED_DAYS)
    for end in export_dates():
        last = min(end, SCRAPE_DATE - timedelta(days=1))
        offsets = rng.integers(0, (last - start).days + 1, size=VIDEOS_PER_EXPORT)
        days += sorted(start + timedelta(days=int(o)) for o in offsets)
        start = end + timedelta(days=1)
    return days


def daily_totals(rng: np.random.Generator, videos: list[Video]) -> dict[str, np.ndarray]:
    """Per-day views, likes, comments, shares: each video's accrual plus a small baseline."""
    posted = np.array([(v.posted.date() - FIRST_DAY).days for v in videos])
    share = accrued_share(np.arange(N_DAYS)[None, :] - posted[:, None])
    totals = {}
    for metric in ("views", "likes", "comments", "shares"):
        lifetime = np.array([v.lifetime[metric] for v in videos])[:, None]
        # Rounded cumulative counts, so the days add up exactly to what Content shows.
        cumulative = np.rint(lifetime * share).astype(int)
        totals[metric] = np.diff(cumulative, axis=1, prepend=0).sum(axis=0)
    baseline = rng.poisson(BASELINE_VIEWS, N_DAYS)
    totals["views"] += baseline
    for metric, rate in BASELINE_RATES.items():
        totals[metric] += rng.binomial(baseline, rate)
    return totals


def followers(rng: np.random.Generator, views: np.ndarray) -> np.ndarray:
    """Cumulative followers, ~8k -> ~25k; gains follow daily views, so virals bring bursts."""
    per_view = (END_FOLLOWERS - START_FOLLOWERS) / views.sum()
    gains = np.rint(views * per_view + rng.normal(0, FOLLOWER_NOISE_SD, N_DAYS)).astype(int)
    return START_FOLLOWERS + np.cumsum(gains)


def write_overview_and_viewers(rng: np.random.Generator, totals: dict[str, np.ndarray]) -> None:
    """Overview and Viewers ZIPs: one row per day, `undefined` on the first and last days."""
    missing = set(range(LEADING_UNDEFINED_DAYS)) | {N_DAYS - 1}
    overview: list[Sequence[object]] = []
    viewers: list[Sequence[object]] = []
    for i in range(N_DAYS):
        day = yearless(FIRST_DAY + timedelta(days=i))
        if i in missing:
            overview.append([day] + ["undefined"] * 5)
            viewers.append([day, "undefined", 0, 0])
            continue
        views = int(totals["views"][i])
        profile = round(views * rng.uniform(*PROFILE_VIEW_RATE))
        engagement = [totals[m][i] for m in ("likes", "comments", "shares")]
        overview.append([day, views, profile, *engagement])
        unique = round(views * rng.uniform(*UNIQUE_VIEWER_SHARE))
        new = round(unique * rng.uniform(*NEW_VIEWER_SHARE))
        viewers.append([day, unique, new, unique - new])
    stem = f"{EXPORT_DATE.isoformat()}_{EXPORT_TS}_{HANDLE}.zip"
    write_zip(f"Overview_{stem}", {"Overview.csv": studio_csv(OVERVIEW_HEADER, overview)})
    viewers_csv = studio_csv(VIEWERS_HEADER, viewers, bom=False)  # Viewers.csv comes without BOM
    write_zip(f"Viewers_{stem}", {"Viewers.csv": viewers_csv})


def write_followers(rng: np.random.Generator, fans: np.ndarray) -> None:
    """Followers ZIP: history, last week's activity by hour (evening peak), gender, territories."""
    days = [yearless(FIRST_DAY + timedelta(days=i)) for i in range(N_DAYS)]
    change = np.diff(fans, prepend=START_FOLLOWERS)
    history = [[d, n, c] for d, n, c in zip(days, fans, change, strict=True)]
    hours = np.arange(24)
    peak = np.exp(-((hours - ACTIVE_PEAK_HOUR) ** 2) / (2 * ACTIVE_PEAK_WIDTH**2))
    active = ACTIVE_BASE + ACTIVE_PEAK * peak  # fraction of followers online, by hour
    activity = [
        [days[i], h, round(fans[i] * active[h] * rng.uniform(*ACTIVITY_NOISE))]
        for i in range(N_DAYS - ACTIVITY_DAYS, N_DAYS)
        for h in hours
    ]
    history_header = ["Date", "Followers", "Difference in followers from previous day"]
    write_zip(f"Followers_{HANDLE}.zip", {
        "FollowerHistory.csv": studio_csv(history_header, history),
        "FollowerActivity.csv": studio_csv(["Date", "Hour", "Active followers"], activity),
        "FollowerGender.csv": studio_csv(["Gender", "Distribution"], GENDER),
        "FollowerTopTerritories.csv": studio_csv(["Top territories", "Distribution"], TERRITORIES),
    })  # fmt: skip


def write_content_exports(rng: np.random.Generator, videos: list[Video]) -> None:
    """One Content ZIP per export day, ~15 rows in no useful order, sometimes a repeat."""
    previous: list[Video] = []
    for k, day in enumerate(export_dates()):
        group = videos[k * VIDEOS_PER_EXPORT : (k + 1) * VIDEOS_PER_EXPORT]
        listed = list(group)
        if previous and rng.random() < REPEAT_PROBABILITY:
            listed.append(previous[int(rng.integers(len(previous)))])  # with grown counts
        rows = []
        for i in rng.permutation(len(listed)):
            v = listed[i]
            seen = v.seen_on(day)
            counts = [seen[m] for m in CONTENT_METRICS]
            posted = yearless(v.posted.date())
            rows.append([yearless(day), v.title, v.link(HANDLE), posted, *counts])
        write_zip(f"Content_{day}_{HANDLE}.zip", {"Content.csv": studio_csv(CONTENT_HEADER, rows)})
        previous = group


def write_apify(handle: str, videos: list[Video], fans: int) -> None:
    """An Apify TikTok scraper JSON array, newest first, counts as seen on the scrape date."""
    seen = {v.id: v.seen_on(SCRAPE_DATE) for v in videos}
    pinned = {v.id for v in sorted(videos, key=lambda v: -v.lifetime["views"])[:N_PINNED]}
    hearts = PRIOR_HEARTS[handle] + sum(s["likes"] for s in seen.values())
    n_videos = PRIOR_VIDEOS[handle] + len(videos)
    author = {"name": handle, "fans": fans, "heart": hearts, "video": n_videos}
    records = [
        {
            "id": str(v.id),
            "text": v.text,
            "createTimeISO": f"{v.posted:%Y-%m-%dT%H:%M:%S}.000Z",
            "createTime": int(v.posted.timestamp()),
            **{key: seen[v.id][metric] for key, metric in APIFY_COUNTS.items()},
            "webVideoUrl": v.link(handle),
            "isAd": False,
            "isPinned": v.id in pinned,
            "authorMeta": author,
            "videoMeta": {"duration": v.duration},
            "hashtags": [{"name": t} for t in v.hashtags],
        }
        for v in sorted(videos, key=lambda v: v.posted, reverse=True)
    ]
    text = json.dumps(records, ensure_ascii=False, indent=2)
    (OUT_DIR / f"apify_{handle}.json").write_text(text, encoding="utf-8")


def main() -> None:
    """Generate every demo file into data/demo/."""
    rng = np.random.default_rng(SEED)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    videos = make_videos(rng, brand_post_days(rng), MEDIAN_VIEWS, LIKE_RATE_BETA)
    totals = daily_totals(rng, videos)
    fans = followers(rng, totals["views"])
    write_overview_and_viewers(rng, totals)
    write_followers(rng, fans)
    write_content_exports(rng, videos)
    write_apify(HANDLE, videos, int(fans[(SCRAPE_DATE - FIRST_DAY).days]))

    span = (SCRAPE_DATE - FIRST_DAY).days
    offsets = sorted(rng.integers(0, span, N_COMPETITOR_VIDEOS))
    rival = [FIRST_DAY + timedelta(days=int(o)) for o in offsets]
    rival_videos = make_videos(rng, rival, COMPETITOR_MEDIAN_VIEWS, COMPETITOR_LIKE_RATE_BETA)
    write_apify(COMPETITOR, rival_videos, COMPETITOR_FANS)
    print(f"wrote {len(list(OUT_DIR.iterdir()))} files to {OUT_DIR}")


if __name__ == "__main__":
    main()
