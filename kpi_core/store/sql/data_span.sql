-- First and last day with data for one account: daily rows and video posting dates together.
WITH spans AS (
    SELECT min(date) AS first_day, max(date) AS last_day FROM daily WHERE account = $account
    UNION ALL
    SELECT min(CAST(posted_at AS DATE)), max(CAST(posted_at AS DATE)) FROM videos WHERE account = $account
)
SELECT min(first_day) AS date_from, max(last_day) AS date_to FROM spans
