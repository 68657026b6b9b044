-- One account's mean active followers per hour of the day (0-23) over the days in range.
SELECT hour, avg(active_followers) AS active_followers, count(active_followers) AS days
FROM follower_activity
WHERE account = $account
    AND ($date_from IS NULL OR date >= $date_from) AND ($date_to IS NULL OR date <= $date_to)
GROUP BY hour
ORDER BY hour
