-- Per hashtag of one account's titles (lower-cased, once per title): the sums a with/without
-- comparison needs, for the videos with the tag and for all videos (without = all - with).
-- Only videos with both likes and views count. `#` then letters, marks, digits or `_` (Unicode).
WITH base AS (
    SELECT lower(coalesce(title, '')) AS title, CAST(likes AS DOUBLE) AS l, CAST(views AS DOUBLE) AS v
    FROM videos
    WHERE account = $account AND likes IS NOT NULL AND views IS NOT NULL
        AND ($date_from IS NULL OR CAST(posted_at AS DATE) >= $date_from)
        AND ($date_to IS NULL OR CAST(posted_at AS DATE) <= $date_to)
),
tagged AS (
    SELECT unnest(list_distinct(regexp_extract_all(title, '#[\p{L}\p{M}\p{N}_]+'))) AS key, l, v
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
