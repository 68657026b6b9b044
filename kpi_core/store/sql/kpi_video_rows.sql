-- One row per video posted in [$date_from, $date_to] (NULL = open), for $account (NULL: every
-- account), on its posting day `date`. The row source of every per-video measure
-- (kpi_core/metrics/registry.py).
-- base_followers is the base of a rate by follower: the account's average daily follower count
-- over the period, the same on every video (else, with no day of the period counted, the
-- scraper's count for the video); base_low/high/first/last describe it (smallest, largest, first and last count of
-- the period) for the registry's validity rule. As in sql/kpi_daily_rows.sql, over the same days:
-- provisional days (the last of an export, which TikTok may still update) count only with
-- $include_provisional, so that a period's follower counts agree per video and per day.
WITH base AS (
    SELECT
        account,
        avg(followers) AS followers,
        min(followers) AS low,
        max(followers) AS high,
        arg_min(followers, date) AS first,
        arg_max(followers, date) AS last
    FROM daily
    WHERE followers > 0
        AND ($include_provisional OR NOT coalesce(provisional, false))
        AND ($account IS NULL OR account = $account)
        AND ($date_from IS NULL OR date >= $date_from)
        AND ($date_to IS NULL OR date <= $date_to)
    GROUP BY account
)
SELECT
    v.account,
    v.video_id,
    CAST(v.posted_at AS DATE) AS date,
    v.likes, v.views, v.comments, v.shares, v.saves,
    coalesce(b.followers, nullif(v.followers, 0)) AS base_followers,
    coalesce(b.low, nullif(v.followers, 0)) AS base_low,
    coalesce(b.high, nullif(v.followers, 0)) AS base_high,
    coalesce(b.first, nullif(v.followers, 0)) AS base_first,
    coalesce(b.last, nullif(v.followers, 0)) AS base_last
FROM videos AS v
LEFT JOIN base AS b ON b.account = v.account
WHERE ($account IS NULL OR v.account = $account)
    AND ($date_from IS NULL OR CAST(v.posted_at AS DATE) >= $date_from)
    AND ($date_to IS NULL OR CAST(v.posted_at AS DATE) <= $date_to)
