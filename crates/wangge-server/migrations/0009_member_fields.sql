-- 0009: households stored before members had ids kept them as one list field `members`.
-- The core still reads that shape (numbering the members m1, m2, …), but a put to such a
-- record is refused (`unknown_field members`), so nobody could edit those households.
-- Here each element becomes its own field `member:m<N>` (N = index + 1, the numbering the
-- core uses when it reads an old record), the list field goes, and each rewritten
-- household gets one fresh feed version (its new fields and its row), so phones pull the
-- new shape.

-- The households to rewrite, each with its offset above the current counter.
CREATE TEMP TABLE m0009 AS
    SELECT id, row_number() OVER (ORDER BY id) AS n
    FROM record_fields WHERE collection = 'households' AND field = 'members';

INSERT INTO record_fields (collection, id, field, value, version, writer)
    SELECT 'households', f.id, 'member:m' || (j.key + 1), j.value,
           (SELECT value FROM version_counter WHERE id = 1) + m.n, NULL
    FROM record_fields f
    JOIN m0009 m ON m.id = f.id
    JOIN json_each(f.value) j
    WHERE f.collection = 'households' AND f.field = 'members' AND json_valid(f.value)
    ON CONFLICT (collection, id, field) DO UPDATE
        SET value = excluded.value, version = excluded.version, writer = NULL;

DELETE FROM record_fields WHERE collection = 'households' AND field = 'members';

UPDATE records
    SET version = (SELECT value FROM version_counter WHERE id = 1) + (SELECT n FROM m0009 WHERE m0009.id = records.id)
    WHERE collection = 'households' AND id IN (SELECT id FROM m0009);

UPDATE version_counter SET value = value + (SELECT count(*) FROM m0009) WHERE id = 1;

DROP TABLE m0009;
