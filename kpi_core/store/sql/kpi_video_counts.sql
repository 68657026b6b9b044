-- How many of one account's videos posted in range each content section can use: all of them,
-- those with likes (rankings, outliers), with likes and views (with/without comparisons), and
-- with a known posting time (posting slots).
SELECT count(*) AS videos,
    count(*) FILTER (WHERE likes IS NOT NULL) AS with_likes,
    count(*) FILTER (WHERE likes IS NOT NULL AND views IS NOT NULL) AS with_likes_and_views,
    count(*) FILTER (WHERE posted_time_known) AS with_time
FROM videos
WHERE account = $account AND posted_at IS NOT NULL
    AND ($date_from IS NULL OR CAST(posted_at AS DATE) >= $date_from)
    AND ($date_to IS NULL OR CAST(posted_at AS DATE) <= $date_to)
