-- A delete that lost used to be stored as a conflict on the pseudo-field `_deleted`
-- (server value `false`, device value `true`). The core's form, which the reference server
-- and the phones share, is the field `*` (sync::WHOLE_RECORD): the record's fields as one
-- object for the server value, `null` for the device's. The record's fields as stored now
-- are the best account of what the delete would have removed. Each rewritten conflict gets
-- a fresh version, so every phone in scope pulls it in the new form.
CREATE TEMP TABLE rewritten AS
    SELECT id, ROW_NUMBER() OVER (ORDER BY version, id) AS n FROM conflicts WHERE field = '_deleted';

UPDATE conflicts SET
    field = '*',
    server_value = COALESCE(
        (SELECT json_group_object(f.field, json(f.value)) FROM record_fields f
         WHERE f.collection = conflicts.collection AND f.id = conflicts.record_id),
        '{}'),
    device_value = 'null',
    version = (SELECT value FROM version_counter) + (SELECT n FROM rewritten r WHERE r.id = conflicts.id)
WHERE id IN (SELECT id FROM rewritten);

UPDATE version_counter SET value = value + (SELECT COUNT(*) FROM rewritten);

DROP TABLE rewritten;
