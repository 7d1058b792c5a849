-- 0004: who settled a conflict (person id) and from which client, so settling is
-- attributed like every other change. Kept on the server only; devices see `resolved`.
ALTER TABLE conflicts ADD COLUMN settled_by TEXT;
ALTER TABLE conflicts ADD COLUMN settled_client TEXT;
