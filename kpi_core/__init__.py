"""TikTok Likes KPI Studio's engine: ingestion, the per-session store, KPIs, trends and goals.

Pure Python and DuckDB: never imports streamlit or altair (tests/test_import_hygiene.py).

    from kpi_core import Store, ingest_paths, score
    store = Store()
    ingest_paths(store, ["Overview_2026-01-04_1767657600_brand.zip", "Content.csv"])
    score(store)["per_video"]["like_rate"]
"""

from kpi_core.errors import IngestError
from kpi_core.ingest import FileResult, ingest_files, ingest_paths
from kpi_core.metrics.comparison import compare_periods
from kpi_core.metrics.scoring import score
from kpi_core.metrics.trends import likes_trend, rolling_means
from kpi_core.metrics.values import daily_kpis, kpis_by_account, video_kpis
from kpi_core.planning.assessment import GoalAssessment, assess
from kpi_core.planning.baseline import Baseline, load_baseline
from kpi_core.planning.forecast import project
from kpi_core.planning.goals import Goal
from kpi_core.planning.inverse import inverse
from kpi_core.planning.progress import goal_progress
from kpi_core.planning.suggestions import suggested_targets
from kpi_core.planning.verdict import achievability
from kpi_core.planning.whatif import Scenario, what_if
from kpi_core.store import Store

__all__ = [
    "Baseline",
    "FileResult",
    "Goal",
    "GoalAssessment",
    "IngestError",
    "Scenario",
    "Store",
    "achievability",
    "assess",
    "compare_periods",
    "daily_kpis",
    "goal_progress",
    "ingest_files",
    "ingest_paths",
    "inverse",
    "kpis_by_account",
    "likes_trend",
    "load_baseline",
    "project",
    "rolling_means",
    "score",
    "suggested_targets",
    "video_kpis",
    "what_if",
]
