-- 0014: every (issue, unit) an issue was ever handed to (交办), so a unit's contact
-- pulls and acts on exactly those issues. Filled in the push transaction that stores a
-- `handed_over` event; a hand-off is history, so a row is never removed (a refusal or a
-- later hand-off to another unit leaves it: the contact keeps seeing what their unit had).
CREATE TABLE handoffs (
    issue_id TEXT NOT NULL,
    unit_id  TEXT NOT NULL,
    PRIMARY KEY (issue_id, unit_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX handoffs_by_unit ON handoffs (unit_id, issue_id);

INSERT OR IGNORE INTO handoffs (issue_id, unit_id)
    SELECT issue_id, json_extract(event, '$.kind.unit') FROM issue_events
    WHERE json_extract(event, '$.kind.type') = 'handed_over';

-- The units a person answers for, read once per push and per pull.
CREATE INDEX record_fields_unit_contact ON record_fields (value)
    WHERE collection = 'units' AND field = 'contact_person';
