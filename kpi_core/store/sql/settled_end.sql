-- The last day of [$date_from, $date_to] that per-day figures compare, for one account, whether
-- days of a provisional tail follow it, and the Overview's last day when the days cut after it
-- are not only that tail (NULL otherwise); no row when every day of the range counts.
-- Cut off:
-- - the range's provisional tail (the last days of the newest export, which TikTok may still
--   update: the provisional days that no settled day follows), unless $include_provisional;
-- - the days after the Overview's last one (a newer Followers export's, or past the data when a
--   newer scrape sets the range's end): they have no likes to count. The last partial day that
--   only the Followers file fills (the Overview's is "undefined", in every Studio download) is
--   provisional: it goes with the tail, and is not a reason of its own unless provisional days
--   are included.
-- Where the range has Overview rows (likes or views) only they decide, as they decide the `daily`
-- view's provisional flag: a newer Followers export's days neither end the Overview's provisional
-- tail nor stretch a period of likes over days that have none.
WITH in_range AS (
    SELECT
        date,
        coalesce(provisional, false) AS flagged,
        coalesce(provisional, false) AND NOT $include_provisional AS provisional,
        likes IS NOT NULL OR views IS NOT NULL AS overview
    FROM daily
    WHERE account = $account AND date >= $date_from AND date <= $date_to
),
has_overview AS (
    SELECT
        coalesce(bool_or(overview), false) AS any,
        max(date) FILTER (WHERE overview) AS last
    FROM in_range
),
after_overview AS (
    -- settled days after the Overview's last: days of likes the files loaded do not have
    SELECT coalesce(bool_or(NOT in_range.flagged), false) AS settled
    FROM in_range, has_overview
    WHERE in_range.date > has_overview.last
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
    tail.first IS NOT NULL AS provisional_tail,
    CASE
        WHEN has_overview.last < $date_to AND (tail.first IS NULL OR after_overview.settled)
            THEN has_overview.last
    END AS overview_until
FROM tail, settled, has_overview, after_overview
WHERE tail.first IS NOT NULL OR (has_overview.any AND settled.last < $date_to)
