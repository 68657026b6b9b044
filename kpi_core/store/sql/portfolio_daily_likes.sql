-- Daily likes of every account in [$date_from, $date_to] (NULL = open), one row per account and
-- day with likes, oldest first: the portfolio's trend verdicts in one query. The same days and
-- likes as sql/kpi_daily_rows.sql gives one account (provisional days out unless $include_provisional).
SELECT account, date, likes
FROM daily
WHERE likes IS NOT NULL
    AND ($include_provisional OR NOT coalesce(provisional, false))
    AND ($date_from IS NULL OR date >= $date_from)
    AND ($date_to IS NULL OR date <= $date_to)
ORDER BY account, date
