-- Views over the raw snapshot tables: per key, the latest snapshot wins (ties: the larger value,
-- so the result never depends on the order files were uploaded in).

CREATE OR REPLACE VIEW daily AS
SELECT
    account,
    date,
    arg_max(views, (snapshot_date, views)) FILTER (WHERE views IS NOT NULL) AS views,
    arg_max(profile_views, (snapshot_date, profile_views)) FILTER (WHERE profile_views IS NOT NULL) AS profile_views,
    arg_max(likes, (snapshot_date, likes)) FILTER (WHERE likes IS NOT NULL) AS likes,
    arg_max(comments, (snapshot_date, comments)) FILTER (WHERE comments IS NOT NULL) AS comments,
    arg_max(shares, (snapshot_date, shares)) FILTER (WHERE shares IS NOT NULL) AS shares,
    arg_max(total_viewers, (snapshot_date, total_viewers)) FILTER (WHERE total_viewers IS NOT NULL) AS total_viewers,
    arg_max(new_viewers, (snapshot_date, new_viewers)) FILTER (WHERE new_viewers IS NOT NULL) AS new_viewers,
    arg_max(returning_viewers, (snapshot_date, returning_viewers)) FILTER (WHERE returning_viewers IS NOT NULL) AS returning_viewers,
    arg_max(followers, (snapshot_date, followers)) FILTER (WHERE followers IS NOT NULL) AS followers,
    -- A day stays provisional only while every export that covers it was cut during or just after
    -- it. Overview rows decide when they exist: likes are what the provisional flag is about.
    coalesce(
        bool_and(provisional) FILTER (WHERE likes IS NOT NULL OR views IS NOT NULL),
        bool_and(provisional)
    ) AS provisional
FROM daily_raw
GROUP BY account, date;

CREATE OR REPLACE VIEW videos_latest AS
-- Most videos are seen once, and for them every aggregate below is the row itself: they skip the
-- aggregation, whose struct-keyed arg_max costs ~10x a plain scan (bench/RESULTS.md: 4.7 s -> 0.4 s at 1M videos).
WITH repeated AS (
    SELECT account, video_id FROM videos_raw GROUP BY account, video_id HAVING count(*) > 1
)
SELECT
    account, video_id, title, url, posted_at,
    coalesce(posted_time_known AND posted_at IS NOT NULL, false) AS posted_time_known,
    likes, views, comments, shares, saves, followers, duration_s,
    coalesce(is_ad, false) AS is_ad,
    snapshot_date
FROM videos_raw AS v
WHERE NOT EXISTS (SELECT 1 FROM repeated AS r
                  WHERE r.account IS NOT DISTINCT FROM v.account AND r.video_id IS NOT DISTINCT FROM v.video_id)
UNION ALL
SELECT
    account,
    video_id,
    arg_max(title, (snapshot_date, title)) FILTER (WHERE title IS NOT NULL) AS title,
    arg_max(url, (snapshot_date, url)) FILTER (WHERE url IS NOT NULL) AS url,
    -- Prefer a posting time that includes the hour (scrapers) over a date-only one (Studio).
    coalesce(
        arg_max(posted_at, (snapshot_date, posted_at)) FILTER (WHERE posted_time_known AND posted_at IS NOT NULL),
        arg_max(posted_at, (snapshot_date, posted_at)) FILTER (WHERE posted_at IS NOT NULL)
    ) AS posted_at,
    coalesce(bool_or(posted_time_known) FILTER (WHERE posted_at IS NOT NULL), false) AS posted_time_known,
    arg_max(likes, (snapshot_date, likes)) FILTER (WHERE likes IS NOT NULL) AS likes,
    arg_max(views, (snapshot_date, views)) FILTER (WHERE views IS NOT NULL) AS views,
    arg_max(comments, (snapshot_date, comments)) FILTER (WHERE comments IS NOT NULL) AS comments,
    arg_max(shares, (snapshot_date, shares)) FILTER (WHERE shares IS NOT NULL) AS shares,
    arg_max(saves, (snapshot_date, saves)) FILTER (WHERE saves IS NOT NULL) AS saves,
    arg_max(followers, (snapshot_date, followers)) FILTER (WHERE followers IS NOT NULL) AS followers,
    arg_max(duration_s, (snapshot_date, duration_s)) FILTER (WHERE duration_s IS NOT NULL) AS duration_s,
    coalesce(bool_or(is_ad), false) AS is_ad,
    max(snapshot_date) AS snapshot_date
FROM videos_raw AS v
WHERE EXISTS (SELECT 1 FROM repeated AS r
              WHERE r.account IS NOT DISTINCT FROM v.account AND r.video_id IS NOT DISTINCT FROM v.video_id)
GROUP BY account, video_id;

CREATE OR REPLACE VIEW follower_activity AS
SELECT account, date, hour,
    arg_max(active_followers, (snapshot_date, active_followers)) AS active_followers
FROM follower_activity_raw
GROUP BY account, date, hour;

CREATE OR REPLACE VIEW audience AS
SELECT account, dimension, key, arg_max(share, (snapshot_date, share)) AS share, max(snapshot_date) AS snapshot_date
FROM audience_raw
WHERE snapshot_date = (SELECT max(a.snapshot_date) FROM audience_raw a
                       WHERE a.account = audience_raw.account AND a.dimension = audience_raw.dimension)
GROUP BY account, dimension, key;

CREATE OR REPLACE VIEW ads AS
SELECT DISTINCT ON (account, coalesce(ad_id, ad_name, campaign, ''), date) *
FROM ads_raw
ORDER BY account, coalesce(ad_id, ad_name, campaign, ''), date, snapshot_date DESC, source_file;

-- The one hashtag rule (the Content page's hashtags, the portfolio's cross-account table): `#` then
-- Unicode letters, marks, digits or `_`, lower-cased, each once per title ("#Books #books" is one).
-- Scrapers' hashtags columns repeat the caption's tags, which is where they are read from.
CREATE OR REPLACE MACRO title_hashtags(title) AS
    list_distinct(regexp_extract_all(lower(coalesce(title, '')), '#[\p{L}\p{M}\p{N}_]+'));
