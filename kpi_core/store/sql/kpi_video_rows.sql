-- One row per video posted in [$date_from, $date_to] (NULL = open), for $account (NULL: every
-- account), with the follower count on its post date: the daily follower series, else the
-- scraper's count. The row source of every per-video measure (kpi_core/metrics/registry.py).
SELECT
    v.account,
    v.likes, v.views, v.comments, v.shares, v.saves,
    nullif(coalesce(d.followers, v.followers), 0) AS followers
FROM videos AS v
LEFT JOIN daily AS d ON d.account = v.account AND d.date = CAST(v.posted_at AS DATE)
WHERE ($account IS NULL OR v.account = $account)
    AND ($date_from IS NULL OR CAST(v.posted_at AS DATE) >= $date_from)
    AND ($date_to IS NULL OR CAST(v.posted_at AS DATE) <= $date_to)
