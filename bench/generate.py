"""Synthetic exports in the real formats, seeded and written on the fly (never committed).

- Videos: Apify's flattened CSV (the scraper format people export at scale; Studio's Content.csv
  holds only ~15 videos per file), split into files under the 100 MB upload cap. About 1 % of the
  videos are scraped twice, the second time with higher counts, so deduplication does real work.
- Days: one Studio `Overview.csv` per account (`daily/<handle>/Overview.csv`, uploaded as the bare
  CSV with the account named, as the upload page allows): UTF-8 BOM, every field quoted, LF, no
  final newline, except that each date carries its year ("2016-01-01"). Ten years of yearless dates
  cannot be read back unambiguously; the legacy and hand-kept per-day sheets write dates so.
  Plain CSVs rather than Studio's ZIPs so that the DuckDB and pandas floors read the very same bytes.

    python bench/generate.py 10000 /tmp/bench-data     # writes /tmp/bench-data/{videos_10000,daily}
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

SEED = 20260101
ACCOUNTS = 50
END = date(2025, 12, 31)  # the last day of the daily exports; also the export date given to ingest
YEARS = 10
FIRST = END - timedelta(days=365 * YEARS + YEARS // 4)  # ten calendar years of days
ROWS_PER_VIDEO_FILE = 200_000  # ~60 MB: under kpi_core.limits.MAX_FILE_BYTES (100 MB)
RESCRAPED_SHARE = 0.01

APIFY_HEADER = [
    "id",
    "text",
    "createTimeISO",
    "createTime",
    "diggCount",
    "playCount",
    "shareCount",
    "commentCount",
    "collectCount",
    "webVideoUrl",
    "isAd",
    "isPinned",
    "authorMeta/name",
    "authorMeta/nickName",
    "authorMeta/fans",
    "authorMeta/heart",
    "authorMeta/video",
    "videoMeta/duration",
    "hashtags/0/name",
    "hashtags/1/name",
    "hashtags/2/name",
]
OVERVIEW_HEADER = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
HASHTAGS = ("skincare", "routine", "fyp", "glowup", "tutorial", "spf", "collab", "newyear", "grwm", "asmr")
WORDS = (
    "morning",
    "routine",
    "my",
    "best",
    "serum",
    "try",
    "this",
    "before",
    "after",
    "night",
    "honest",
    "review",
    "glow",
    "tips",
    "day",
    "in",
    "the",
    "life",
    "favourite",
    "products",
)


def handles() -> list[str]:
    return [f"bench.acct{i:02d}" for i in range(ACCOUNTS)]


@dataclass(frozen=True)
class DataSet:
    """The files of one benchmark size: the video CSVs and the daily CSVs, with their byte size."""

    videos: int
    video_files: list[Path]
    daily_files: list[Path]

    @property
    def paths(self) -> list[Path]:
        return [*self.daily_files, *self.video_files]

    @property
    def input_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.paths)

    @property
    def video_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.video_files)


def _captions(rng: np.random.Generator, n: int) -> tuple[list[str], np.ndarray]:
    """Captions with emoji, commas, the odd quote and up to three hashtags (as the CSV columns)."""
    words = np.array(WORDS)
    picks = words[rng.integers(0, len(words), size=(n, 5))]
    tags = np.array(HASHTAGS)[rng.integers(0, len(HASHTAGS), size=(n, 3))]
    n_tags = rng.integers(0, 4, size=n)
    flavour = rng.random(n)
    captions = []
    for i in range(n):
        text = " ".join(picks[i])
        if flavour[i] < 0.2:
            text += ", honestly ✨"
        elif flavour[i] < 0.25:
            text = f'the "{picks[i][0]}" test 🧴'
        text += "".join(f" #{t}" for t in tags[i][: n_tags[i]])
        captions.append(text)
    tag_cells = np.where(np.arange(3)[None, :] < n_tags[:, None], tags, "")
    return captions, tag_cells


def write_videos(n: int, out: Path, seed: int = SEED) -> list[Path]:
    """`n` distinct videos over ACCOUNTS accounts and ten years, as Apify flattened CSV files."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, n])
    account = rng.integers(0, ACCOUNTS, size=n)
    ids = 7_000_000_000_000_000_000 + np.arange(n, dtype=np.int64) * 997 + rng.integers(0, 997, size=n)
    span_s = (END - FIRST).days * 86_400
    epoch0 = int(datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=UTC).timestamp())
    created = epoch0 + rng.integers(0, span_s, size=n)
    size = np.exp(rng.normal(0, 0.6, size=ACCOUNTS))[account]  # some accounts are bigger
    views = np.round(rng.lognormal(8.5, 1.2, size=n) * size).astype(np.int64)
    like_rate = rng.beta(6, 80, size=n)
    likes = np.round(views * like_rate).astype(np.int64)
    comments = np.round(likes * rng.beta(2, 80, size=n)).astype(np.int64)
    shares = np.round(likes * rng.beta(2, 150, size=n)).astype(np.int64)
    saves = np.round(likes * rng.beta(2, 60, size=n)).astype(np.int64)
    duration = rng.integers(7, 180, size=n)
    fans = np.round(20_000 * size).astype(np.int64)
    captions, tag_cells = _captions(rng, n)
    names = handles()

    # A few videos are scraped again in a later file, with the counts they have grown to since.
    again = np.flatnonzero(rng.random(n) < RESCRAPED_SHARE)
    order = np.concatenate([np.arange(n), again])
    growth = np.ones(len(order))
    growth[n:] = 1.0 + rng.random(len(again)) * 0.3

    paths = []
    for part, first in enumerate(range(0, len(order), ROWS_PER_VIDEO_FILE)):
        rows = order[first : first + ROWS_PER_VIDEO_FILE]
        g = growth[first : first + ROWS_PER_VIDEO_FILE]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(APIFY_HEADER)
        for i, k in zip(rows.tolist(), g.tolist(), strict=True):
            handle = names[account[i]]
            ts = int(created[i])
            iso = datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            writer.writerow(
                [
                    int(ids[i]),
                    captions[i],
                    iso,
                    ts,
                    round(likes[i] * k),
                    round(views[i] * k),
                    round(shares[i] * k),
                    round(comments[i] * k),
                    round(saves[i] * k),
                    f"https://www.tiktok.com/@{handle}/video/{ids[i]}",
                    "false",
                    "false",
                    handle,
                    handle.replace(".", " ").title(),
                    int(fans[i]),
                    0,
                    0,
                    int(duration[i]),
                    *tag_cells[i],
                ]
            )
        path = out / f"dataset_tiktok-scraper_{part:03d}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        paths.append(path)
    return paths


def write_daily(out: Path, seed: int = SEED) -> list[Path]:
    """Ten years of days for every account, one Overview.csv per account (years in the dates)."""
    rng = np.random.default_rng([seed, 1])
    days = [FIRST + timedelta(days=i) for i in range((END - FIRST).days + 1)]
    n = len(days)
    paths = []
    for handle in handles():
        level = rng.lognormal(8, 0.8)
        drift = np.exp(np.linspace(0, rng.normal(0.8, 0.4), n))  # slow growth over the decade
        weekly = 1 + 0.15 * np.sin(np.arange(n) * 2 * np.pi / 7)
        views = np.round(level * drift * weekly * rng.lognormal(0, 0.35, n)).astype(np.int64)
        likes = np.round(views * rng.beta(6, 80, n)).astype(np.int64)
        comments = np.round(likes * 0.03 * rng.random(n)).astype(np.int64)
        shares = np.round(likes * 0.02 * rng.random(n)).astype(np.int64)
        profile_views = np.round(views * 0.01 * rng.random(n)).astype(np.int64)
        rows = [
            [d.isoformat(), views[i], profile_views[i], likes[i], comments[i], shares[i]]
            for i, d in enumerate(days)
        ]
        lines = (",".join('"' + str(f).replace('"', '""') + '"' for f in r) for r in [OVERVIEW_HEADER, *rows])
        path = out / handle / "Overview.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes("\ufeff".encode() + "\n".join(lines).encode())
        paths.append(path)
    return paths


def _stamp() -> str:
    """What the files depend on: the seed and this script's text (a change regenerates them)."""
    return f"{SEED}:{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}"


def dataset(n_videos: int, root: Path) -> DataSet:
    """Write the files of one size under `root`, or reuse them when this very script wrote them."""
    daily_dir, video_dir = root / "daily", root / f"videos_{n_videos}"
    writers = {
        video_dir: lambda: write_videos(n_videos, video_dir),
        daily_dir: lambda: write_daily(daily_dir),
    }
    for folder, write in writers.items():
        marker = folder / ".complete"
        if not marker.exists() or marker.read_text() != _stamp():
            if folder.exists():
                shutil.rmtree(folder)
            write()
            marker.write_text(_stamp())
    return DataSet(n_videos, sorted(video_dir.glob("*.csv")), sorted(daily_dir.glob("*/Overview.csv")))


if __name__ == "__main__":
    data = dataset(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(data.paths)} files, {data.input_bytes / 1e6:.1f} MB")
