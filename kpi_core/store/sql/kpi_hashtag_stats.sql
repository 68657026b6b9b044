-- Per hashtag of one account's titles (lower-cased, once per title): the sums a with/without
-- comparison needs, for the videos with the tag and for all videos (without = all - with).
-- Only videos with both likes and views count. Hashtags as the title_hashtags macro reads them (views.sql).
WITH base AS (
    SELECT title, CAST(likes AS DOUBLE) AS l, CAST(views AS DOUBLE) AS v
    FROM videos
    WHERE account = $account AND likes IS NOT NULL AND views IS NOT NULL
        AND ($date_from IS NULL OR CAST(posted_at AS DATE) >= $date_from)
        AND ($date_to IS NULL OR CAST(posted_at AS DATE) <= $date_to)
),
tagged AS (
    SELECT unnest(title_hashtags(title)) AS key, l, v
    FROM base
),
total AS (
    SELECT count(*) AS n_all, sum(l) AS likes_all, sum(l * l) AS likes2_all, sum(v) AS views_all,
        sum(v * v) AS views2_all, sum(l * v) AS likes_views_all
    FROM base
)
SELECT key, count(*) AS n_with, sum(l) AS likes_with, sum(l * l) AS likes2_with, sum(v) AS views_with,
    sum(v * v) AS views2_with, sum(l * v) AS likes_views_with,
    any_value(n_all) AS n_all, any_value(likes_all) AS likes_all, any_value(likes2_all) AS likes2_all,
    any_value(views_all) AS views_all, any_value(views2_all) AS views2_all,
    any_value(likes_views_all) AS likes_views_all
FROM tagged, total
GROUP BY key
ORDER BY n_with DESC, key
