-- Per content group (rules as parallel lists $names, $kinds, $texts; a video is in a group when
-- any of its rules matches): the sums a with/without comparison needs, as kpi_hashtag_stats.sql.
-- 'contains': the lower-cased title contains the text. 'mention': the title @mentions the handle
-- in text, or anyone when text is empty. Only videos with both likes and views count.
WITH rules AS (
    SELECT unnest($names) AS name, unnest($kinds) AS kind, ltrim(lower(unnest($texts)), '@') AS text
),
base AS (
    SELECT video_id, lower(coalesce(title, '')) AS title,
        list_transform(
            regexp_extract_all(lower(coalesce(title, '')), '(?:^|[^\p{L}\p{N}_.])@([\p{L}\p{N}_.]+)', 1),
            lambda m: rtrim(m, '.')) AS mentions,
        CAST(likes AS DOUBLE) AS l, CAST(views AS DOUBLE) AS v
    FROM videos
    WHERE account = $account AND likes IS NOT NULL AND views IS NOT NULL
        AND ($date_from IS NULL OR CAST(posted_at AS DATE) >= $date_from)
        AND ($date_to IS NULL OR CAST(posted_at AS DATE) <= $date_to)
),
matched AS (
    SELECT DISTINCT rules.name AS key, base.video_id, base.l, base.v
    FROM base
    JOIN rules ON (rules.kind = 'contains' AND contains(base.title, rules.text))
        OR (rules.kind = 'mention' AND CASE WHEN rules.text = '' THEN len(base.mentions) > 0
                                            ELSE list_contains(base.mentions, rules.text) END)
),
per_group AS (
    SELECT key, count(*) AS n_with, sum(l) AS likes_with, sum(l * l) AS likes2_with, sum(v) AS views_with,
        sum(v * v) AS views2_with, sum(l * v) AS likes_views_with
    FROM matched
    GROUP BY key
),
total AS (
    SELECT count(*) AS n_all, sum(l) AS likes_all, sum(l * l) AS likes2_all, sum(v) AS views_all,
        sum(v * v) AS views2_all, sum(l * v) AS likes_views_all
    FROM base
)
SELECT groups.name AS key, coalesce(n_with, 0) AS n_with, coalesce(likes_with, 0) AS likes_with,
    coalesce(likes2_with, 0) AS likes2_with, coalesce(views_with, 0) AS views_with,
    coalesce(views2_with, 0) AS views2_with, coalesce(likes_views_with, 0) AS likes_views_with, total.*
FROM (SELECT DISTINCT name FROM rules) AS groups
LEFT JOIN per_group ON per_group.key = groups.name
CROSS JOIN total
ORDER BY key
