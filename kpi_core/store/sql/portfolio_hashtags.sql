-- Per hashtag of the videos posted in [$date_from, $date_to] (NULL = open) by $account (NULL: every
-- account): videos, accounts, median likes, and the sums the empirical-Bayes uplift needs
-- (kpi_core/metrics/hashtags.py), beside the same sums over every video of the set (with the sums of
-- each video's own like rate, for the spread of one video's rate). Only videos with
-- both likes and views count; like rates (likes_all, rated_likes) count only those with views, so
-- likes beside 0 views never raise a rate. A video counts once per hashtag whatever its case: title_hashtags
-- (views.sql) is the one hashtag rule, as on the Content page.
-- The sums of each video's rate are fsum's (compensated): the same to the last digit whatever order
-- DuckDB's threads add them in, as a plain sum of fractions is not (the snapshot saw it move).
WITH base AS (
    SELECT account, title, CAST(likes AS DOUBLE) AS l, CAST(views AS DOUBLE) AS v
    FROM videos
    WHERE likes IS NOT NULL AND views IS NOT NULL
        AND ($account IS NULL OR account = $account)
        AND ($date_from IS NULL OR CAST(posted_at AS DATE) >= $date_from)
        AND ($date_to IS NULL OR CAST(posted_at AS DATE) <= $date_to)
),
tagged AS (
    SELECT unnest(title_hashtags(title)) AS hashtag, account, l, v
    FROM base
),
total AS (
    SELECT count(*) AS n_all, sum(l) FILTER (v > 0) AS likes_all, sum(v) AS views_all, sum(v * v) AS views2_all,
        count(*) FILTER (v > 0) AS n_rated, fsum(l / v) FILTER (v > 0) AS rates_all,
        fsum((l / v) * (l / v)) FILTER (v > 0) AS rates2_all
    FROM base
)
SELECT hashtag, count(*) AS videos, count(DISTINCT account) AS accounts, median(l) AS median_likes,
    sum(l) AS likes, sum(l) FILTER (v > 0) AS rated_likes, sum(v) AS views, sum(v * v) AS views2,
    any_value(n_all) AS n_all, any_value(likes_all) AS likes_all, any_value(views_all) AS views_all,
    any_value(views2_all) AS views2_all, any_value(n_rated) AS n_rated, any_value(rates_all) AS rates_all,
    any_value(rates2_all) AS rates2_all
FROM tagged, total
GROUP BY hashtag
ORDER BY videos DESC, hashtag
