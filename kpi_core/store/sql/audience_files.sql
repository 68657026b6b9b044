-- The files read for one account, per kind: how many, and the data rows they held (a header-only
-- audience file, which TikTok writes for small accounts, holds 0).
SELECT kind, count(*) AS files, CAST(coalesce(sum(rows), 0) AS BIGINT) AS data_rows
FROM files
WHERE account = $account
GROUP BY kind
ORDER BY kind
