-- 0018: a push's answers no longer check their client's row by foreign key. The push
-- writes the client's row first, in the same transaction, and no client row is ever
-- deleted, so the check guarded nothing the code does not already ensure; on PostgreSQL
-- it was a lookup and a row lock per stored answer, about three quarters of the cost of
-- storing one (pg/0002). SQLite cannot drop a constraint in place: the table is rebuilt
-- with its rows.
CREATE TABLE mutation_results_new (
    client_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    status    TEXT NOT NULL,
    code      TEXT,
    message   TEXT,
    PRIMARY KEY (client_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO mutation_results_new (client_id, seq, status, code, message)
    SELECT client_id, seq, status, code, message FROM mutation_results;
DROP TABLE mutation_results;
ALTER TABLE mutation_results_new RENAME TO mutation_results;
