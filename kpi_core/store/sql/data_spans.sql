-- First and last day with data of every account: daily rows and video posting dates together.
-- One query for all accounts (kept per data version, store/answers.py): scoring every account of
-- a scrape asked it once per account, and each asked it scanned every video.
WITH spans AS (
    SELECT account, min(date) AS first_day, max(date) AS last_day FROM daily GROUP BY account
    UNION ALL
    SELECT account, min(CAST(posted_at AS DATE)), max(CAST(posted_at AS DATE)) FROM videos GROUP BY account
)
SELECT account, min(first_day) AS date_from, max(last_day) AS date_to
FROM spans
GROUP BY account
ORDER BY account
