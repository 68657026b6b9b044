-- What a workspace holds of each account (workspace/tables.py writes it in the manifest): the days
-- and videos of every snapshot kept, their spans, and the account's time zone.
WITH days AS (
    SELECT account, count(DISTINCT date) AS days, min(date) AS date_from, max(date) AS date_to
    FROM daily_raw
    GROUP BY account
), posts AS (
    SELECT account, count(DISTINCT video_id) AS videos,
        CAST(min(posted_at) AS DATE) AS posted_from, CAST(max(posted_at) AS DATE) AS posted_to
    FROM videos_raw
    GROUP BY account
), zones AS (
    SELECT account, max(time_zone) AS time_zone FROM account_zones GROUP BY account
)
SELECT account, coalesce(days.days, 0) AS days, days.date_from, days.date_to,
    coalesce(posts.videos, 0) AS videos, posts.posted_from, posts.posted_to, zones.time_zone
FROM (SELECT account FROM days UNION SELECT account FROM posts) AS listed
LEFT JOIN days USING (account)
LEFT JOIN posts USING (account)
LEFT JOIN zones USING (account)
