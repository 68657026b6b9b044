-- Per-video measures per account, over videos posted in [$date_from, $date_to] (NULL = open).
-- $account NULL gives every account. Ratio numerators and denominators are summed over the
-- videos where both are known, so a video without views never inflates the like rate.
-- Followers on the post date come from the daily follower series, else from the scraper's count.
WITH v AS (
    SELECT
        v.account,
        v.likes, v.views, v.comments, v.shares, v.saves,
        v.likes + v.comments + v.shares AS interactions,
        nullif(coalesce(d.followers, v.followers), 0) AS followers
    FROM videos AS v
    LEFT JOIN daily AS d ON d.account = v.account AND d.date = CAST(v.posted_at AS DATE)
    WHERE ($account IS NULL OR v.account = $account)
        AND ($date_from IS NULL OR CAST(v.posted_at AS DATE) >= $date_from)
        AND ($date_to IS NULL OR CAST(v.posted_at AS DATE) <= $date_to)
)
SELECT
    account,
    count(*) AS videos,
    count(likes) AS videos_with_likes,
    CAST(sum(likes) AS BIGINT) AS likes,
    CAST(sum(views) AS BIGINT) AS views,
    CAST(sum(comments) AS BIGINT) AS comments,
    CAST(sum(shares) AS BIGINT) AS shares,
    CAST(sum(saves) AS BIGINT) AS saves,
    median(likes) AS likes_median,
    CAST(sum(likes) FILTER (WHERE views IS NOT NULL) AS BIGINT) AS likes_with_views,
    CAST(sum(views) FILTER (WHERE likes IS NOT NULL) AS BIGINT) AS views_with_likes,
    CAST(sum(interactions) FILTER (WHERE views IS NOT NULL) AS BIGINT) AS interactions_with_views,
    CAST(sum(views) FILTER (WHERE interactions IS NOT NULL) AS BIGINT) AS views_with_interactions,
    CAST(sum(interactions) FILTER (WHERE followers IS NOT NULL) AS BIGINT) AS interactions_with_followers,
    CAST(sum(followers) FILTER (WHERE interactions IS NOT NULL) AS BIGINT) AS followers_with_interactions,
    CAST(sum(likes) FILTER (WHERE followers IS NOT NULL) AS BIGINT) AS likes_with_followers,
    CAST(sum(followers) FILTER (WHERE likes IS NOT NULL) AS BIGINT) AS followers_with_likes
FROM v
GROUP BY account
ORDER BY account
