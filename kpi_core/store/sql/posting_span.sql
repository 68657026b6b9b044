-- The first and last posting day of one account's videos (from a Content export, a scrape or
-- TikTok's data archive); no row for an account no file lists videos of, whose per-video KPIs
-- then have no list to count, which is not the same as no video posted. `video_spans` holds
-- them per account, rebuilt with `videos` (Store._refresh_videos).
SELECT first_day, last_day FROM video_spans WHERE account = $account
