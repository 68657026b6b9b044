-- The last day of [$date_from, $date_to] that per-day figures compare, for one account, and
-- whether days of a provisional tail follow it; no row when every day of the range counts.
-- Cut off: the range's provisional tail (the last days of the newest export, which TikTok may
-- still update: the provisional days that no settled day follows), and the days after the
-- Overview's last one. Where the range has Overview rows (likes or views) only they decide, as
-- they decide the `daily` view's provisional flag: a newer Followers export's days neither end the
-- Overview's provisional tail nor stretch a period of likes over days that have none.
WITH in_range AS (
    SELECT
        date,
        coalesce(provisional, false) AS provisional,
        likes IS NOT NULL OR views IS NOT NULL AS overview
    FROM daily
    WHERE account = $account AND date >= $date_from AND date <= $date_to
),
has_overview AS (
    SELECT coalesce(bool_or(overview), false) AS any FROM in_range
),
days AS (
    SELECT date, provisional
    FROM in_range, has_overview
    WHERE overview OR NOT has_overview.any
),
settled AS (
    SELECT max(date) AS last FROM days WHERE NOT provisional
),
tail AS (
    SELECT min(date) AS first
    FROM days, settled
    WHERE provisional AND date > coalesce(settled.last, CAST($date_from AS DATE) - 1)
)
SELECT
    CAST(CASE WHEN tail.first IS NOT NULL THEN tail.first - 1 ELSE settled.last END AS DATE) AS settled_end,
    tail.first IS NOT NULL AS provisional_tail
FROM tail, settled, has_overview
WHERE tail.first IS NOT NULL OR (has_overview.any AND settled.last < $date_to)
