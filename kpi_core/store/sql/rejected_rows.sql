-- Every rejected row with the file it came from, in file and line order.
SELECT f.name AS file, r.line, r.column_name AS "column", r.reason
FROM rejects r JOIN files f USING (file_id)
ORDER BY f.file_id, r.line NULLS LAST
