-- Every account in the store, the primary one first: most daily (Studio) rows, then most videos.
-- Also each account's data extent (first and last day of daily rows or video posts).
WITH d AS (
    SELECT account, count(*) AS daily_rows, min(date) AS first_day, max(date) AS last_day
    FROM daily
    GROUP BY account
),
v AS (
    SELECT account, count(*) AS videos,
        CAST(min(posted_at) AS DATE) AS first_day, CAST(max(posted_at) AS DATE) AS last_day
    FROM videos
    GROUP BY account
)
SELECT
    account,
    coalesce(d.daily_rows, 0) AS daily_rows,
    coalesce(v.videos, 0) AS videos,
    least(d.first_day, v.first_day) AS date_from,
    greatest(d.last_day, v.last_day) AS date_to
FROM d
FULL JOIN v USING (account)
WHERE account IS NOT NULL
ORDER BY daily_rows DESC, videos DESC, account
