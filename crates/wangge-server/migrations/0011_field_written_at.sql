-- 0008: when each field's current value was pushed (server clock, ms; NULL for seeded
-- data and values written before this migration). With `writer` it lets the pull say who
-- changed what and when, for the household's attributed history on the phone.
ALTER TABLE record_fields ADD COLUMN written_at INTEGER;
