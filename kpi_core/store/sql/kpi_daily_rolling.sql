-- Daily likes and like rate of one account with trailing 7- and 28-day means. Windows are
-- calendar days and see the days before $date_from; a mean is NULL until its window holds that
-- many days with likes. The windowed like rate is a ratio of sums over the window.
-- Provisional days drop out unless $include_provisional.
WITH days AS (
    SELECT date, likes, views,
        CASE WHEN views IS NOT NULL THEN likes END AS likes_with_views,
        CASE WHEN likes IS NOT NULL THEN views END AS views_with_likes
    FROM daily
    WHERE account = $account AND ($include_provisional OR NOT coalesce(provisional, false))
),
rolled AS (
    SELECT
        date, likes,
        likes_with_views / nullif(views_with_likes, 0) AS like_rate,
        CASE WHEN count(likes) OVER w7 = 7 THEN avg(likes) OVER w7 END AS likes_7d,
        CASE WHEN count(likes) OVER w28 = 28 THEN avg(likes) OVER w28 END AS likes_28d,
        CASE WHEN count(likes) OVER w7 = 7
            THEN sum(likes_with_views) OVER w7 / nullif(sum(views_with_likes) OVER w7, 0) END AS like_rate_7d,
        CASE WHEN count(likes) OVER w28 = 28
            THEN sum(likes_with_views) OVER w28 / nullif(sum(views_with_likes) OVER w28, 0) END AS like_rate_28d
    FROM days
    WINDOW
        w7 AS (ORDER BY date RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW),
        w28 AS (ORDER BY date RANGE BETWEEN INTERVAL 27 DAYS PRECEDING AND CURRENT ROW)
)
SELECT *
FROM rolled
WHERE ($date_from IS NULL OR date >= $date_from) AND ($date_to IS NULL OR date <= $date_to)
ORDER BY date
