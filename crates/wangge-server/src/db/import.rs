//! The storage half of a ledger import (`crate::import`): reads the stored households of
//! the grids a file names, has `import::matching` plan the difference, and on confirm
//! writes it **in one transaction**, alone on the writer's connection (all or nothing: a
//! failure half-way leaves no trace), each changed household at one new feed version —
//! the grid workers' phones pull them as any change — with its `import_log` and
//! `admin_log` rows. A dry run reads on a read-only connection and writes nothing.
//!
//! Fields an import writes name `import:<administrator's person id>` as their writer, so
//! they are attributed and no phone's client id can ever count them as its own write.

use std::collections::{BTreeSet, HashMap};

use super::sql::{params, Conn, OptionalExtension};
use serde_json::Value;
use wangge_core::grid::GridTree;
use wangge_core::household::Household;
use wangge_core::{new_ulid, MemberId};

use super::feed::Feed;
use super::Answer;
use super::{store, Db, DbError};
use crate::account::Caller;
use crate::import::columns::{Columns, Field, LedgerField};
use crate::import::households::{self, address_key, Grids, PersonRow};
use crate::import::matching::{self, Env, Headers, Plan, Stored};
use crate::import::people::{self, PeopleField, StoredPerson};
use crate::import::sheet::Sheet;
use crate::import::{id_hash, RefusedRow};

/// A file read and its columns mapped, ready to match.
#[derive(Debug, Clone)]
pub(crate) struct ImportFile<F: LedgerField = Field> {
    pub(crate) sheet: Sheet,
    pub(crate) columns: Columns<F>,
    /// Required columns the file lacks (then no row is read).
    pub(crate) missing: Vec<RefusedRow>,
    /// Identifies the file in `import_log` (never its content).
    pub(crate) sha256: String,
}

/// What a dry run found or a confirm wrote.
#[derive(Debug, Clone)]
pub(crate) struct Counted {
    pub(crate) rows: u32,
    pub(crate) added: u32,
    pub(crate) updated: u32,
    pub(crate) unchanged: u32,
    pub(crate) refused: Vec<RefusedRow>,
}

/// Why a file was refused whole.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ImportRefusal {
    /// Every row names a grid outside the administrator's part of the tree.
    OutOfScope,
}

impl Db {
    /// Matches the file against the stored households; writes only when `confirm`.
    pub(crate) async fn import_households(
        &self,
        caller: Caller,
        file: ImportFile,
        confirm: bool,
    ) -> Answer<Counted, ImportRefusal> {
        let today = wangge_core::Date::of_millis(crate::now_millis());
        if !confirm {
            return self
                .read(move |c| {
                    let tx = c.snapshot()?;
                    let (plan, rows) = match plan(&tx, &caller, &file, today)? {
                        Ok(planned) => planned,
                        Err(refusal) => return Ok(Err(refusal)),
                    };
                    Ok(Ok(counted(plan, rows)))
                })
                .await;
        }
        self.call(move |c| {
            let tx = c.transaction()?;
            let (plan, rows) = match plan(&tx, &caller, &file, today)? {
                Ok(planned) => planned,
                Err(refusal) => return Ok(Err(refusal)),
            };
            write(&tx, &caller, &file, &plan, rows)?;
            tx.commit()?;
            tracing::info!(by = %caller.user.username, rows, added = plan.added, updated = plan.updated, households = plan.writes.len(), "ledger imported");
            Ok(Ok(counted(plan, rows)))
        })
        .await
    }
}

impl Db {
    /// The people list (`import::people`): matches the file against the stored people of
    /// the grids it names; writes only when `confirm`, through the record feed (one new
    /// version per changed person, only its changed fields), in one transaction.
    pub(crate) async fn import_people(
        &self,
        caller: Caller,
        file: ImportFile<PeopleField>,
        confirm: bool,
    ) -> Answer<Counted, ImportRefusal> {
        if !confirm {
            return self
                .read(move |c| {
                    let tx = c.snapshot()?;
                    Ok(plan_people(&tx, &caller, &file)?.map(|(plan, rows)| people_counted(plan, rows)))
                })
                .await;
        }
        self.call(move |c| {
            let tx = c.transaction()?;
            let (plan, rows) = match plan_people(&tx, &caller, &file)? {
                Ok(planned) => planned,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let first = store::read_counter(&tx)?;
            let mut feed = Feed::open(&tx, format!("import:{}", caller.user.person_id))?;
            for w in &plan.writes {
                feed.put("people", &w.id, &w.grid, &w.fields)?;
            }
            feed.close()?;
            let last = store::read_counter(&tx)?;
            let written = (last > first).then_some((first + 1, last));
            let counts = [plan.added, plan.updated, plan.unchanged, plan.refused.len() as u32];
            log(&tx, &caller, "people", &file.sha256, rows, counts, written)?;
            tx.commit()?;
            tracing::info!(by = %caller.user.username, rows, added = plan.added, updated = plan.updated, "people list imported");
            Ok(Ok(people_counted(plan, rows)))
        })
        .await
    }
}

fn people_counted(plan: people::Plan, rows: u32) -> Counted {
    Counted { rows, added: plan.added, updated: plan.updated, unchanged: plan.unchanged, refused: plan.refused }
}

/// Parses and matches the people list (no writes). Returns the plan and the data rows.
fn plan_people(
    conn: &Conn,
    caller: &Caller,
    file: &ImportFile<PeopleField>,
) -> Answer<(people::Plan, u32), ImportRefusal> {
    let rows = file.sheet.rows.len() as u32;
    if !file.missing.is_empty() {
        let plan = people::Plan { refused: file.missing.clone(), ..people::Plan::default() };
        return Ok(Ok((plan, rows)));
    }
    let tree =
        GridTree::build(store::load_grids(conn)?).map_err(|e| DbError::Corrupt(format!("grid tree: {}", e.code())))?;
    let parsed = people::parse(&file.sheet, &file.columns, &Grids::new(&tree, &caller.user.home_grid));
    if rows > 0 && parsed.out_of_scope == rows {
        return Ok(Err(ImportRefusal::OutOfScope));
    }
    let grids: BTreeSet<&str> = parsed.people.iter().map(|p| p.grid.as_str()).collect();
    let stored = load_people(conn, &grids)?;
    let mut now = crate::now_millis();
    let new_id = || {
        let mut random = [0u8; 10];
        // As `KeyedEnv::new_id`: without OS randomness, the clock moved on by one.
        if getrandom::fill(&mut random).is_err() {
            now += 1;
        }
        new_ulid(now, random)
    };
    let mut plan = people::plan(parsed.people, &stored, &file.columns, new_id);
    plan.refused.extend(parsed.refused);
    plan.refused.sort_by_key(|r| r.row);
    Ok(Ok((plan, rows)))
}

/// The live people of `grids`, by id, each marked when an account holds it.
fn load_people(conn: &Conn, grids: &BTreeSet<&str>) -> Result<Vec<StoredPerson>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT r.id, r.grid, EXISTS (SELECT 1 FROM users u WHERE u.person_id = r.id)
         FROM records r WHERE r.collection = 'people' AND r.deleted = 0
         AND r.grid IN (SELECT value FROM json_each(?1)) ORDER BY r.id",
    )?;
    let ids = stmt
        .query_map(params![store::to_json(grids)], |r| {
            Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<bool>(2)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for (id, grid, account) in ids {
        let fields: HashMap<String, Value> =
            store::record_fields(conn, "people", &id)?.into_iter().map(|(k, v)| (k, v.value)).collect();
        let text = |f: &str| fields.get(f).and_then(Value::as_str).map(str::to_string);
        // A record whose roles do not parse is not matched (as a household that does not
        // parse): adding to roles it cannot read could drop them.
        let Some(roles) = fields.get("roles").map_or(Some(BTreeSet::new()), |v| serde_json::from_value(v.clone()).ok())
        else {
            tracing::warn!(person = %id, "stored person's roles do not parse; an import will not match them");
            continue;
        };
        out.push(StoredPerson {
            name: text("name").unwrap_or_default(),
            phone: text("phone"),
            roles,
            active: fields.get("active").and_then(Value::as_bool).unwrap_or(true),
            id,
            grid,
            account,
        });
    }
    Ok(out)
}

fn counted(plan: Plan, rows: u32) -> Counted {
    let Plan { added, updated, unchanged, refused, .. } = plan;
    Counted { rows, added, updated, unchanged, refused }
}

/// Parses, matches and plans (no writes). Returns the plan and the number of data rows.
fn plan(
    conn: &Conn,
    caller: &Caller,
    file: &ImportFile,
    today: wangge_core::Date,
) -> Answer<(Plan, u32), ImportRefusal> {
    let rows = file.sheet.rows.len() as u32;
    if !file.missing.is_empty() {
        return Ok(Ok((Plan { refused: file.missing.clone(), ..Plan::default() }, rows)));
    }
    let tree =
        GridTree::build(store::load_grids(conn)?).map_err(|e| DbError::Corrupt(format!("grid tree: {}", e.code())))?;
    let parsed = households::parse(&file.sheet, &file.columns, &Grids::new(&tree, &caller.user.home_grid), today);
    if rows > 0 && parsed.out_of_scope == rows {
        return Ok(Err(ImportRefusal::OutOfScope));
    }
    let grids: BTreeSet<&str> = parsed.households.iter().map(|h| h.grid.as_str()).collect();
    let stored = load_stored(conn, &grids)?;
    let key = secret(conn)?;
    let homes = stored_homes(conn, &key, &parsed.households)?;
    let mut env = KeyedEnv { key, homes, now: crate::now_millis() };
    let (relation, id_number) = (file.columns.header(Field::Relation), file.columns.header(Field::IdNumber));
    let headers = Headers { relation: &relation, id_number: &id_number };
    let mut plan = matching::plan(parsed.households, &stored, &headers, &mut env);
    plan.refused.extend(parsed.refused);
    plan.refused.sort_by_key(|r| r.row);
    Ok(Ok((plan, rows)))
}

struct KeyedEnv {
    key: Vec<u8>,
    /// The household each of the file's ID-card hashes is stored under, if any.
    homes: HashMap<Vec<u8>, String>,
    now: i64,
}

/// Where the file's ID-card numbers are already stored, looked up hash by hash (an
/// indexed lookup each; only the rows that carry a number ask).
fn stored_homes(
    conn: &Conn,
    key: &[u8],
    file: &[households::HouseholdRows],
) -> Result<HashMap<Vec<u8>, String>, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT household FROM member_id_hashes WHERE hash = ?1 ORDER BY household LIMIT 1")?;
    let mut homes = HashMap::new();
    for id in file.iter().flat_map(|h| &h.people).filter_map(|p| p.id_card.as_ref()) {
        let hash = id_hash::hash(key, id);
        if let Some(home) = stmt.query_row(params![&hash], |r| r.get::<String>(0)).optional()? {
            homes.insert(hash, home);
        }
    }
    Ok(homes)
}

impl Env for KeyedEnv {
    fn hash(&self, person: &PersonRow) -> Option<Vec<u8>> {
        person.id_card.as_ref().map(|id| id_hash::hash(&self.key, id))
    }

    fn household_of(&self, hash: &[u8]) -> Option<String> {
        self.homes.get(hash).cloned()
    }

    fn new_id(&mut self) -> String {
        let mut random = [0u8; 10];
        // Without OS randomness two ids of one millisecond could collide: fall back to
        // the clock's own bits moved on by one, which stays unique within this import.
        if getrandom::fill(&mut random).is_err() {
            self.now += 1;
        }
        new_ulid(self.now, random)
    }
}

fn secret(conn: &Conn) -> Result<Vec<u8>, DbError> {
    conn.query_row("SELECT value FROM server_secrets WHERE name = 'id_card_hmac'", params![], |r| r.get(0))
}

/// The live households of `grids`, by (grid, address key); the first by id wins when
/// two stored households share an address.
fn load_stored(conn: &Conn, grids: &BTreeSet<&str>) -> Result<HashMap<(String, String), Stored>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT id, grid FROM records WHERE collection = 'households' AND deleted = 0
         AND grid IN (SELECT value FROM json_each(?1)) ORDER BY id",
    )?;
    let ids = stmt
        .query_map(params![store::to_json(grids)], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut hashes = conn.prepare_cached("SELECT member, hash FROM member_id_hashes WHERE household = ?1")?;
    let mut out = HashMap::new();
    for (id, grid) in ids {
        let fields: serde_json::Map<String, Value> =
            store::record_fields(conn, "households", &id)?.into_iter().map(|(k, v)| (k, v.value)).collect();
        let Ok(household) = serde_json::from_value::<Household>(Value::Object(fields.clone())) else {
            tracing::warn!(household = %id, "stored household does not parse; an import will not match it");
            continue;
        };
        let key = (grid, address_key(&household.address));
        if out.contains_key(&key) {
            continue;
        }
        let member_hashes = hashes
            .query_map(params![&id], |r| Ok((r.get::<Vec<u8>>(1)?, r.get::<String>(0)?)))?
            .filter_map(|row| row.ok().and_then(|(h, m)| MemberId::parse(m).ok().map(|m| (h, m))))
            .collect();
        out.insert(key, Stored { household, fields, hashes: member_hashes });
    }
    Ok(out)
}

/// Writes the plan inside the caller's transaction.
fn write(conn: &Conn, caller: &Caller, file: &ImportFile, plan: &Plan, rows: u32) -> Result<(), DbError> {
    let writer = format!("import:{}", caller.user.person_id);
    let now = crate::now_millis();
    let first = store::read_counter(conn)?;
    let mut version = first;
    let mut put_hash = conn.prepare_cached(
        "INSERT INTO member_id_hashes (household, member, hash) VALUES (?1, ?2, ?3)
             ON CONFLICT (household, member) DO UPDATE SET hash = excluded.hash",
    )?;
    for w in &plan.writes {
        if !w.fields.is_empty() {
            version += 1;
            let fields = w.fields.iter().map(|(f, v)| (f, v));
            store::write_fields(conn, "households", &w.id, fields, version, Some(&writer), Some(now))?;
            store::upsert_record(conn, "households", &w.id, &w.grid, version)?;
        }
        for (member, hash) in &w.hashes {
            put_hash.execute(params![w.id, member, hash])?;
        }
    }
    store::write_counter(conn, version)?;
    let written = (version > first).then_some((first + 1, version));
    let counts = [plan.added, plan.updated, plan.unchanged, plan.refused.len() as u32];
    log(conn, caller, "households", &file.sha256, rows, counts, written)
}

/// The `import_log` and `admin_log` rows of a confirmed import of `kind`; `counts` are
/// (added, updated, unchanged, refused), `written` the feed versions it wrote.
fn log(
    conn: &Conn,
    caller: &Caller,
    kind: &str,
    sha256: &str,
    rows: u32,
    [added, updated, unchanged, refused]: [u32; 4],
    written: Option<(u64, u64)>,
) -> Result<(), DbError> {
    let now = crate::now_millis();
    conn.execute(
        "INSERT INTO import_log (at, actor, username, device_id, kind, file_sha256, rows, added, updated, unchanged, refused, first_version, last_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            now,
            caller.user.person_id.as_str(),
            caller.user.username,
            caller.device_id,
            kind,
            sha256,
            rows,
            added,
            updated,
            unchanged,
            refused,
            written.map(|w| w.0),
            written.map(|w| w.1)
        ],
    )?;
    conn.execute(
        "INSERT INTO admin_log (at, via, actor, actor_device, action, username) VALUES (?1, 'api', ?2, ?3, ?4, ?2)",
        params![now, caller.user.username, caller.device_id, format!("import_{kind}")],
    )?;
    Ok(())
}
