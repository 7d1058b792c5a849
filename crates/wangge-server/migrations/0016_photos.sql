-- 0016: photos taken in the field. The bytes live on disk under the data folder
-- (`photos/<first two hex>/<sha-256>`, `src/photos/`); this table keeps what the server
-- knows of each upload. A photo is named by the SHA-256 of its bytes, so an upload is
-- idempotent. `uploaded_by` is a person id (never a name): until a record that references
-- the photo arrives, only its uploader may fetch it back.
CREATE TABLE photos (
    hash         TEXT PRIMARY KEY,   -- 64 lowercase hex characters
    bytes        INTEGER NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/webp', 'image/png')),
    uploaded_by  TEXT NOT NULL,      -- person id of the first uploader
    uploaded_at  INTEGER NOT NULL    -- unix ms
) STRICT, WITHOUT ROWID;

-- Which records reference which photo: written in the transaction that appends the issue
-- event or stores the visit or mediation case carrying the reference. A GET of a photo is
-- answered only to a caller who sees one of these records (or uploaded it). The primary
-- key, hash first, is the index a GET looks a photo's records up by.
CREATE TABLE photo_refs (
    hash       TEXT NOT NULL,
    collection TEXT NOT NULL,        -- issues, visits, mediations
    record_id  TEXT NOT NULL,
    PRIMARY KEY (hash, collection, record_id)
) STRICT, WITHOUT ROWID;
