-- One account's latest known follower count, the day it was counted and where it came from:
-- the daily follower history ('daily': FollowerHistory, Total followers) when there is one, else
-- the largest count a scraper recorded at its newest snapshot ('videos': authorMeta.fans).
WITH counts AS (
    SELECT arg_max(followers, date) AS followers, max(date) AS counted_on, 'daily' AS source
    FROM daily
    WHERE account = $account AND followers IS NOT NULL
    UNION ALL
    SELECT arg_max(followers, (snapshot_date, followers)), max(snapshot_date), 'videos'
    FROM videos
    WHERE account = $account AND followers IS NOT NULL
)
SELECT followers, counted_on, source
FROM counts
WHERE followers IS NOT NULL
ORDER BY source = 'daily' DESC
LIMIT 1
