-- 0014: reserved for another branch's migration (issue 16's photos). This placeholder
-- keeps 0015 at schema version 15 until that migration lands and replaces this file.
SELECT 1;
