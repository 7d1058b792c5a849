-- 0003: who wrote each field's current value (the pushing client id; NULL for seeded data
-- and fields written before this migration). A device that edits one field twice before it
-- pulls sends both writes with the same base; knowing the first was its own lets the
-- second apply instead of conflicting with it (core `decide_field_by_writer`).
ALTER TABLE record_fields ADD COLUMN writer TEXT;
