-- New and returning viewers of one account per $grain ('day', or 'week' from Monday) over the days
-- in [$date_from, $date_to] whose Viewers.csv counts are all known (`undefined` is missing, not 0).
-- TikTok counts each day's unique viewers, so a person who watches on three days is counted on
-- each: a bucket gives means per day, and the sums its returning share (a ratio of sums) divides.
-- Provisional days drop out unless $include_provisional.
SELECT
    CAST(date_trunc($grain, date) AS DATE) AS period,
    min(date) AS first_day,
    max(date) AS last_day,
    count(*) AS days,
    avg(new_viewers) AS new_per_day,
    avg(returning_viewers) AS returning_per_day,
    avg(total_viewers) AS total_per_day,
    CAST(sum(returning_viewers) AS BIGINT) AS returning_viewers,
    CAST(sum(total_viewers) AS BIGINT) AS total_viewers
FROM daily
WHERE account = $account
    AND total_viewers IS NOT NULL AND new_viewers IS NOT NULL AND returning_viewers IS NOT NULL
    AND ($date_from IS NULL OR date >= $date_from) AND ($date_to IS NULL OR date <= $date_to)
    AND ($include_provisional OR NOT coalesce(provisional, false))
GROUP BY ALL
ORDER BY period
