-- First and last day with data of $account (NULL: of every account), one row per account:
-- daily rows and video posting dates together. The days come from daily_raw (the `daily` view
-- has one row per day of it, and its per-day picking is not needed for the dates); the posting
-- days from `video_spans`, which the store rebuilds with `videos` (Store._refresh_videos).
WITH spans AS (
    SELECT account, min(date) AS first_day, max(date) AS last_day
    FROM daily_raw
    WHERE $account IS NULL OR account = $account
    GROUP BY account
    UNION ALL
    SELECT account, first_day, last_day FROM video_spans WHERE $account IS NULL OR account = $account
)
SELECT account, min(first_day) AS date_from, max(last_day) AS date_to
FROM spans
GROUP BY account
ORDER BY account
