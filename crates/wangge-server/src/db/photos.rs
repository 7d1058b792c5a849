//! What the server knows about photos (migration 0016): each upload (`photos`: size, type,
//! uploader) and which records reference it (`photo_refs`). The references are written
//! **in the transaction that appends the issue event or stores the visit, mediation case,
//! task or meeting carrying them** (`refs_of_event`, `refs_of_put`, called from `apply.rs`), so a photo
//! becomes visible to exactly those who see its record, from the moment they can pull it.
//!
//! **Who may fetch a photo** ([`Db::visible_photo`], asked on every GET and HEAD): whoever
//! sees a live record referencing it — the record's grid in their subtree, as a pull
//! decides it, or for an issue, one handed to a unit they are the contact of — and its
//! uploader (a photo goes up before the step that references it has synced).

use super::sql::{params, Conn, OptionalExtension};
use serde_json::Value;
use wangge_core::grid::ensure_in_scope;
use wangge_core::issue::IssueEvent;
use wangge_core::people::only_unit_contact;
use wangge_core::photo::{PhotoHash, PhotoRef};
use wangge_core::sync::Collection;
use wangge_core::GridId;

use super::{grids, handoffs, Db, DbError};
use crate::account::User;

/// One accepted upload, as the route checked it.
#[derive(Debug, Clone)]
pub(crate) struct NewPhoto {
    pub(crate) hash: PhotoHash,
    pub(crate) bytes: usize,
    pub(crate) content_type: &'static str,
}

impl Db {
    /// Whether the server has a metadata row for `hash`.
    pub(crate) async fn photo_known(&self, hash: PhotoHash) -> Result<bool, DbError> {
        self.read(move |c| {
            let found: Option<i64> = c
                .prepare_cached("SELECT 1 FROM photos WHERE hash = ?1")?
                .query_row(params![hash.as_str()], |r| r.get(0))
                .optional()?;
            Ok(found.is_some())
        })
        .await
    }

    /// Records an upload by `user` (its bytes already durable in the store); the first
    /// uploader is kept if it was known.
    pub(crate) async fn add_photo(&self, user: User, photo: NewPhoto) -> Result<(), DbError> {
        let now = crate::now_millis();
        self.write(move |c| {
            c.prepare_cached(
                "INSERT INTO photos (hash, bytes, content_type, uploaded_by, uploaded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                photo.hash.as_str(),
                photo.bytes as i64,
                photo.content_type,
                user.person_id.as_str(),
                now
            ])?;
            Ok(())
        })
        .await
    }

    /// The photo's content type if `user` may see it; `None` for one they may not see and
    /// one that does not exist alike, so nobody learns what others photographed.
    pub(crate) async fn visible_photo(&self, user: User, hash: PhotoHash) -> Result<Option<String>, DbError> {
        self.read(move |c| visible(c, &user, &hash)).await
    }
}

fn visible(conn: &mut Conn, user: &User, hash: &PhotoHash) -> Result<Option<String>, DbError> {
    let tx = conn.snapshot()?;
    let row: Option<(String, String)> = tx
        .prepare_cached("SELECT content_type, uploaded_by FROM photos WHERE hash = ?1")?
        .query_row(params![hash.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((content_type, uploader)) = row else { return Ok(None) };
    if uploader == user.person_id.as_str() {
        return Ok(Some(content_type));
    }
    let mut stmt = tx.prepare_cached(
        "SELECT p.collection, p.record_id, r.grid FROM photo_refs p
         JOIN records r ON r.collection = p.collection AND r.id = p.record_id
         WHERE p.hash = ?1 AND r.deleted = 0",
    )?;
    let refs = stmt
        .query_map(params![hash.as_str()], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    if refs.is_empty() {
        return Ok(None);
    }
    let tree = grids::tree(&tx)?;
    let in_subtree = |grid: &str| {
        !only_unit_contact(&user.roles)
            && GridId::parse(grid).is_ok_and(|g| ensure_in_scope(&tree, &user.home_grid, &g).is_ok())
    };
    if refs.iter().any(|(_, _, grid)| in_subtree(grid)) {
        return Ok(Some(content_type));
    }
    let units = handoffs::units_of(&tx, user.person_id.as_str())?;
    for (collection, id, _) in &refs {
        if collection == Collection::Issues.name() && handoffs::handed_to_any(&tx, id, &units)? {
            return Ok(Some(content_type));
        }
    }
    Ok(None)
}

/// Records that `record` references each of `photos` (the photo and its thumbnail).
fn record_refs<'a>(
    tx: &Conn,
    collection: Collection,
    record: &str,
    photos: impl IntoIterator<Item = &'a PhotoRef>,
) -> Result<(), DbError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO photo_refs (hash, collection, record_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?;
    for photo in photos {
        for hash in photo.hashes() {
            stmt.execute_later(params![hash.as_str(), collection.name(), record])?;
        }
    }
    Ok(())
}

/// An appended event's photos, referenced by its issue (whose scope is the event's).
pub(super) fn refs_of_event(tx: &Conn, event: &IssueEvent) -> Result<(), DbError> {
    record_refs(tx, Collection::Issues, event.issue.as_str(), &event.photos)
}

/// The photos of the fields a put wrote (already validated and canonical): a visit's
/// `photos`, a mediation case's `session:<id>` entries' `photos`, a task's `result:<id>`
/// entries' `photos`, a meeting's `item:<issue>` entries' `photos` (an on-site office's
/// problems). A reference a later
/// write drops is kept: whoever saw the photo once may still be shown it.
pub(super) fn refs_of_put(
    tx: &Conn,
    collection: Collection,
    id: &str,
    written: &[(String, Value)],
) -> Result<(), DbError> {
    if !matches!(collection, Collection::Visits | Collection::Mediations | Collection::Tasks | Collection::Meetings) {
        return Ok(());
    }
    let lists = written.iter().filter_map(|(field, value)| match field.as_str() {
        "photos" => Some(value),
        _ => value.get("photos"),
    });
    let mut photos = Vec::new();
    for list in lists {
        // Validation has read these through the core types; one that does not read back
        // is stored data gone wrong, not a request to refuse.
        let refs: Vec<PhotoRef> = serde_json::from_value(list.clone())
            .map_err(|e| DbError::Corrupt(format!("photo references of {} {id}: {e}", collection.name())))?;
        photos.extend(refs);
    }
    record_refs(tx, collection, id, &photos)
}
