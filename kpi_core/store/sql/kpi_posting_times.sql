-- Videos per posting weekday (1 = Monday), hour (0-23) or both ($by: 'weekday', 'hour',
-- 'weekday_hour'), with median likes and the like rate (a ratio of sums) per cell. Hours count
-- only videos whose posting time is known (Studio gives dates only).
WITH v AS (
    SELECT posted_at, likes, views
    FROM videos
    WHERE account = $account AND posted_at IS NOT NULL AND ($by = 'weekday' OR posted_time_known)
        AND ($date_from IS NULL OR CAST(posted_at AS DATE) >= $date_from)
        AND ($date_to IS NULL OR CAST(posted_at AS DATE) <= $date_to)
)
SELECT
    CASE WHEN $by <> 'hour' THEN isodow(posted_at) END AS weekday,
    CASE WHEN $by <> 'weekday' THEN hour(posted_at) END AS hour,
    count(*) AS videos,
    median(likes) AS median_likes,
    sum(likes) FILTER (WHERE views IS NOT NULL)
        / nullif(sum(views) FILTER (WHERE likes IS NOT NULL), 0) AS like_rate
FROM v
GROUP BY ALL
ORDER BY weekday, hour
