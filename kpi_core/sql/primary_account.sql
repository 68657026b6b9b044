-- The account the user's own Studio exports belong to: most daily rows, else most videos.
SELECT account
FROM (
    SELECT account, count(*) AS n, 2 AS weight FROM daily_raw GROUP BY account
    UNION ALL
    SELECT account, count(*) AS n, 1 AS weight FROM videos_raw
    WHERE source_file IN (SELECT name FROM files WHERE kind LIKE 'studio_%') GROUP BY account
    UNION ALL
    SELECT account, count(*) AS n, 0 AS weight FROM videos_raw GROUP BY account
)
ORDER BY weight DESC, n DESC, account
LIMIT 1
