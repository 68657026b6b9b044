-- The first and last posting day of $account's videos (NULL: of every account's, one row each),
-- from a Content export, a scrape or TikTok's data archive; no row for an account no file lists
-- videos of, whose per-video KPIs then have no list to count, which is not the same as no video
-- posted. `video_spans` holds them per account, rebuilt with `videos` (Store._refresh_videos).
SELECT account, first_day, last_day FROM video_spans
WHERE $account IS NULL OR account = $account
ORDER BY account
