-- One account's videos far above its typical likes or like rate: robust z-scores
-- (value - median) / (1.4826 * MAD) above $threshold. When more than half the videos tie (MAD 0)
-- the scale falls back to 1.2533 * mean absolute deviation, so one spike on a flat account still
-- stands out. Needs at least $min_videos videos with likes in the range.
WITH v AS (
    SELECT video_id, title, url, posted_at, posted_time_known, likes, views, likes / nullif(views, 0) AS like_rate
    FROM videos
    WHERE account = $account AND likes IS NOT NULL
        AND ($date_from IS NULL OR CAST(posted_at AS DATE) >= $date_from)
        AND ($date_to IS NULL OR CAST(posted_at AS DATE) <= $date_to)
),
centre AS (
    SELECT count(*) AS n, median(likes) AS likes_median, median(like_rate) AS like_rate_median FROM v
),
spread AS (
    SELECT
        coalesce(nullif(1.4826 * median(abs(likes - likes_median)), 0),
                 nullif(1.2533 * avg(abs(likes - likes_median)), 0)) AS likes_scale,
        coalesce(nullif(1.4826 * median(abs(like_rate - like_rate_median)), 0),
                 nullif(1.2533 * avg(abs(like_rate - like_rate_median)), 0)) AS like_rate_scale
    FROM v, centre
),
scored AS (
    SELECT v.*,
        centre.likes_median, centre.like_rate_median,
        (likes - likes_median) / likes_scale AS likes_z,
        (like_rate - like_rate_median) / like_rate_scale AS like_rate_z
    FROM v, centre, spread
    WHERE centre.n >= $min_videos
)
SELECT *
FROM scored
WHERE likes_z > $threshold OR like_rate_z > $threshold
ORDER BY greatest(likes_z, like_rate_z) DESC, video_id
