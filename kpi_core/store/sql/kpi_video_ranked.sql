-- One account's top (or, with $bottom, bottom) $n videos by $by ('likes' or 'like_rate'). The bottom
-- order is the top order reversed, ties too, so a top n and a bottom n of 2n videos never share one.
WITH v AS (
    SELECT video_id, title, url, posted_at, posted_time_known, likes, views, likes / nullif(views, 0) AS like_rate,
        CASE WHEN $by = 'likes' THEN CAST(likes AS DOUBLE) ELSE likes / nullif(views, 0) END AS rank_value
    FROM videos
    WHERE account = $account
        AND ($date_from IS NULL OR CAST(posted_at AS DATE) >= $date_from)
        AND ($date_to IS NULL OR CAST(posted_at AS DATE) <= $date_to)
)
SELECT video_id, title, url, posted_at, posted_time_known, likes, views, like_rate
FROM v
WHERE rank_value IS NOT NULL
ORDER BY CASE WHEN $bottom THEN rank_value ELSE -rank_value END,
    CASE WHEN $bottom THEN video_id END DESC, video_id
LIMIT $n
