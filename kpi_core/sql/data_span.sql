-- First and last day with data for one account (daily rows, else video posting dates).
SELECT
    coalesce(min(d.date), (SELECT min(CAST(posted_at AS DATE)) FROM videos WHERE account = $account)) AS date_from,
    coalesce(max(d.date), (SELECT max(CAST(posted_at AS DATE)) FROM videos WHERE account = $account)) AS date_to
FROM daily d
WHERE d.account = $account
