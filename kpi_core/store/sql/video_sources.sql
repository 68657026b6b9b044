-- Whether one account's videos came only from TikTok Studio's Content exports, which list about
-- 15 videos a download rather than every post (a scrape or TikTok's data archive lists them all).
-- NULL without videos.
SELECT CASE WHEN count(*) > 0 THEN bool_and(f.kind = 'studio_content') END AS listed_only
FROM (SELECT DISTINCT source_file FROM videos_raw WHERE account = $account) AS v
JOIN files AS f ON f.name = v.source_file
