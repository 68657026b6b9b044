-- The last day of [$date_from, $date_to] before the range's provisional tail, for one account:
-- the day before the first of the provisional days that no settled day follows in the range (the
-- last days of the newest export, which TikTok may still update). NULL without such a tail.
WITH days AS (
    SELECT date, coalesce(provisional, false) AS provisional
    FROM daily
    WHERE account = $account AND date >= $date_from AND date <= $date_to
)
SELECT CAST(min(date) - 1 AS DATE) AS settled_end
FROM days
WHERE provisional
    AND date > coalesce((SELECT max(date) FROM days WHERE NOT provisional), CAST($date_from AS DATE) - 1)
