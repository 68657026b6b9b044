-- The account with the most video rows (ties: the first by name); Store.primary_account uses it
-- while no file of the user's own (own_account.sql) is loaded.
SELECT account
FROM videos_raw
GROUP BY account
ORDER BY count(*) DESC, account
LIMIT 1
