-- 0005: a delete is attributed and can be undone. The deleted record keeps its last
-- fields (they are no longer removed), with the person and client that deleted it.
-- Devices still see a tombstone; only the server keeps what was there.
ALTER TABLE records ADD COLUMN deleted_by TEXT;
ALTER TABLE records ADD COLUMN deleted_client TEXT;
