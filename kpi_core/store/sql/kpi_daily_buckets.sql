-- Daily measures of one account summed per bucket: $grain is 'day', 'week', 'month' or 'all'
-- (one bucket for the whole range). Provisional days drop out unless $include_provisional.
-- The net follower change is recomputed from the cumulative `followers` series (the change since
-- the previous known count), before the date filter so a range's first day keeps its change;
-- summed per bucket, it adds up across buckets.
WITH days AS (
    SELECT
        date, likes, views, comments, shares, profile_views, followers,
        coalesce(provisional, false) AS provisional,
        likes + comments + shares AS interactions,
        nullif(followers, 0) AS followers_nz
    FROM daily
    WHERE account = $account AND ($include_provisional OR NOT coalesce(provisional, false))
),
changed AS (
    SELECT *,
        CASE WHEN followers IS NOT NULL
            THEN followers - lag(followers) OVER (PARTITION BY followers IS NULL ORDER BY date)
        END AS follower_change
    FROM days
),
ranged AS (
    SELECT *,
        -- date_trunc is evaluated even when not chosen, so 'all' must still name a valid part.
        CASE WHEN $grain = 'all' THEN NULL
            ELSE CAST(date_trunc(CASE WHEN $grain = 'all' THEN 'day' ELSE $grain END, date) AS DATE)
        END AS period
    FROM changed
    WHERE ($date_from IS NULL OR date >= $date_from) AND ($date_to IS NULL OR date <= $date_to)
)
SELECT
    period,
    min(date) AS first_day,
    max(date) AS last_day,
    count(*) AS days,
    count(likes) AS days_with_likes,
    count(*) FILTER (WHERE provisional) AS provisional_days,
    CAST(sum(likes) AS BIGINT) AS likes,
    CAST(sum(views) AS BIGINT) AS views,
    CAST(sum(comments) AS BIGINT) AS comments,
    CAST(sum(shares) AS BIGINT) AS shares,
    CAST(sum(profile_views) AS BIGINT) AS profile_views,
    arg_min(followers, date) FILTER (WHERE followers IS NOT NULL) AS followers_start,
    arg_max(followers, date) FILTER (WHERE followers IS NOT NULL) AS followers_end,
    CAST(sum(follower_change) AS BIGINT) AS net_follower_change,
    CAST(sum(likes) FILTER (WHERE views IS NOT NULL) AS BIGINT) AS likes_with_views,
    CAST(sum(views) FILTER (WHERE likes IS NOT NULL) AS BIGINT) AS views_with_likes,
    CAST(sum(interactions) FILTER (WHERE views IS NOT NULL) AS BIGINT) AS interactions_with_views,
    CAST(sum(views) FILTER (WHERE interactions IS NOT NULL) AS BIGINT) AS views_with_interactions,
    CAST(sum(interactions) FILTER (WHERE followers_nz IS NOT NULL) AS BIGINT) AS interactions_with_followers,
    CAST(sum(followers_nz) FILTER (WHERE interactions IS NOT NULL) AS BIGINT) AS followers_with_interactions,
    CAST(sum(likes) FILTER (WHERE followers_nz IS NOT NULL) AS BIGINT) AS likes_with_followers,
    CAST(sum(followers_nz) FILTER (WHERE likes IS NOT NULL) AS BIGINT) AS followers_with_likes
FROM ranged
GROUP BY period
ORDER BY period
