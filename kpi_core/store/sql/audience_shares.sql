-- One account's follower split along $dimension ('gender' or 'territory'), as the newest export
-- that gave it: each key's share (a fraction 0..1), largest first.
SELECT key, share, snapshot_date
FROM audience
WHERE account = $account AND dimension = $dimension
ORDER BY share DESC NULLS LAST, key
