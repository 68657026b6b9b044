-- One account's per-post engagement rates summarised the way published benchmarks are: the
-- median and the mean over posts of (likes + comments + shares) / views, and / followers on the
-- post date (the daily follower series, else the scraper's count), for videos posted in range.
WITH v AS (
    SELECT
        v.likes + v.comments + v.shares AS interactions,
        nullif(v.views, 0) AS views,
        nullif(coalesce(d.followers, v.followers), 0) AS followers
    FROM videos AS v
    LEFT JOIN daily AS d ON d.account = v.account AND d.date = CAST(v.posted_at AS DATE)
    WHERE v.account = $account
        AND ($date_from IS NULL OR CAST(v.posted_at AS DATE) >= $date_from)
        AND ($date_to IS NULL OR CAST(v.posted_at AS DATE) <= $date_to)
)
SELECT
    median(interactions / views) AS er_by_view_median,
    avg(interactions / views) AS er_by_view_mean,
    median(interactions / followers) AS er_by_follower_median,
    avg(interactions / followers) AS er_by_follower_mean
FROM v
