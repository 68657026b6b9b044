-- One row per day of one account in [$date_from, $date_to] (NULL = open), with its bucket
-- `period` for $grain 'day', 'week', 'month' or 'all' (NULL: one bucket for the whole range).
-- The row source of every per-day measure (kpi_core/metrics/registry.py). Provisional days drop
-- out unless $include_provisional. The net follower change is recomputed from the cumulative
-- `followers` series (the change since the previous known count), before the date filter so a
-- range's first day keeps its change; summed per bucket, it adds up across buckets.
WITH days AS (
    SELECT
        date, likes, views, comments, shares, profile_views, followers,
        coalesce(provisional, false) AS provisional
    FROM daily
    WHERE account = $account AND ($include_provisional OR NOT coalesce(provisional, false))
),
changed AS (
    SELECT *,
        CASE WHEN followers IS NOT NULL
            THEN followers - lag(followers) OVER (PARTITION BY followers IS NULL ORDER BY date)
        END AS follower_change
    FROM days
)
SELECT *,
    -- date_trunc is evaluated even when not chosen, so 'all' must still name a valid part.
    CASE WHEN $grain = 'all' THEN NULL
        ELSE CAST(date_trunc(CASE WHEN $grain = 'all' THEN 'day' ELSE $grain END, date) AS DATE)
    END AS period
FROM changed
WHERE ($date_from IS NULL OR date >= $date_from) AND ($date_to IS NULL OR date <= $date_to)
