-- One row per day of each of $accounts (one account, or several scored together) in
-- [$date_from, $date_to] (NULL = open), with its bucket `period` for $grain 'day', 'week', 'month' or 'all' (NULL: one bucket for the whole range).
-- The row source of every per-day measure (kpi_core/metrics/registry.py). Provisional days drop
-- out unless $include_provisional. The net follower change is recomputed from the cumulative
-- `followers` series (the change since the previous known count), before the date filter so a
-- range's first day keeps its change; summed per bucket, it adds up across buckets.
-- base_followers is the base of a rate by follower: the bucket's average daily follower count,
-- the same on each of its days; base_low/high/first/last describe it (smallest, largest, first
-- and last count of the bucket) for the registry's validity rule. As in sql/kpi_video_rows.sql.
WITH days AS (
    SELECT
        account, date, likes, views, comments, shares, profile_views, followers,
        coalesce(provisional, false) AS provisional
    FROM daily
    WHERE list_contains($accounts, account)
        AND ($include_provisional OR NOT coalesce(provisional, false))
),
changed AS (
    SELECT *,
        CASE WHEN followers IS NOT NULL
            THEN followers - lag(followers) OVER (PARTITION BY account, followers IS NULL ORDER BY date)
        END AS follower_change
    FROM days
),
bucketed AS (
    SELECT *,
        -- date_trunc is evaluated even when not chosen, so 'all' must still name a valid part.
        CASE WHEN $grain = 'all' THEN NULL
            ELSE CAST(date_trunc(CASE WHEN $grain = 'all' THEN 'day' ELSE $grain END, date) AS DATE)
        END AS period,
        nullif(followers, 0) AS counted
    FROM changed
    WHERE ($date_from IS NULL OR date >= $date_from) AND ($date_to IS NULL OR date <= $date_to)
)
SELECT * EXCLUDE (counted),
    avg(counted) OVER bucket AS base_followers,
    min(counted) OVER bucket AS base_low,
    max(counted) OVER bucket AS base_high,
    arg_min(counted, CASE WHEN counted IS NOT NULL THEN date END) OVER bucket AS base_first,
    arg_max(counted, CASE WHEN counted IS NOT NULL THEN date END) OVER bucket AS base_last
FROM bucketed
WINDOW bucket AS (PARTITION BY account, period)
