-- One account's followers online per weekday (1 = Monday) and hour (0-23) of FollowerActivity over
-- the days in [$date_from, $date_to] (NULL = open): the mean per day, the days behind it, and the
-- first and last day of the whole range (the same on every row).
SELECT
    isodow(date) AS weekday,
    hour,
    avg(active_followers) AS active_followers,
    count(*) AS days,
    min(min(date)) OVER () AS first_day,
    max(max(date)) OVER () AS last_day
FROM follower_activity
WHERE account = $account AND active_followers IS NOT NULL
    AND ($date_from IS NULL OR date >= $date_from) AND ($date_to IS NULL OR date <= $date_to)
GROUP BY ALL
ORDER BY weekday, hour
