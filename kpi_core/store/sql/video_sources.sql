-- Whether one account's recent videos come only from TikTok Studio's Content exports, which list
-- about 15 videos a download rather than every post. A scrape, TikTok's data archive or the
-- 2022-23 "Video Posts" export lists every post up to its snapshot: it makes the list whole when
-- that snapshot reaches the account's last $reach_days days of data (a year-old scrape says
-- nothing of this quarter's posting). False without Content export videos, NULL without videos.
-- Files are matched by name: a name that two kinds of file share counts as the whole list.
WITH sources AS (
    SELECT
        bool_and(f.kind = 'studio_content') AS sample,
        max(coalesce(v.snapshot_date, CAST(v.posted_at AS DATE))) AS listed_to
    FROM videos_raw AS v
    JOIN files AS f ON f.name = v.source_file
    WHERE v.account = $account
    GROUP BY v.source_file
),
last_day AS (
    SELECT max(day) AS day
    FROM (
        SELECT max(date) AS day FROM daily_raw WHERE account = $account
        UNION ALL
        SELECT max(CAST(posted_at AS DATE)) FROM videos_raw WHERE account = $account
    )
)
SELECT
    CASE WHEN count(*) > 0 THEN
        bool_or(sample)
        AND NOT coalesce(bool_or(NOT sample AND listed_to >= (SELECT day FROM last_day) - $reach_days), false)
    END AS listed_only
FROM sources
