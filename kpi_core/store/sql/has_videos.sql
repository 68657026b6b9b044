-- Whether any video of one account is in the store (from a Content export, a scrape or TikTok's
-- data archive): without one its per-video KPIs have no list of videos to count, which is not
-- the same as no video posted. `video_spans` has a row per account with videos (Store._refresh_videos).
SELECT EXISTS (SELECT 1 FROM video_spans WHERE account = $account) AS has_videos
