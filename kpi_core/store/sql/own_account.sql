-- The account the user's own exports are filed under: most daily rows, else most videos from
-- the user's own files (TikTok Studio, TikTok's data archive). Unlike primary_account, never an account known only from scraper files,
-- which may be a competitor's. NULL until such data is loaded.
SELECT account
FROM (
    SELECT account, count(*) AS n, 2 AS weight FROM daily_raw GROUP BY account
    UNION ALL
    SELECT account, count(*) AS n, 1 AS weight FROM videos_raw
    WHERE source_file IN (SELECT name FROM files WHERE kind LIKE 'studio_%' OR kind = 'archive_posts')
    GROUP BY account
)
ORDER BY weight DESC, n DESC, account
LIMIT 1
