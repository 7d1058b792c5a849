//! The dashboard's read: only what the core's figures look at ([`IssueFacts`],
//! [`HouseholdFacts`], [`VisitFacts`]), picked out of every issue, household and visit
//! row. serde-wasm-bindgen fetches only the fields a struct names from a JS object, so
//! these lean rows skip titles, descriptions, members and notes instead of building
//! 20,000 whole issues, 10,000 households (whose flattened members make serde buffer
//! every field) and every visit — the full read took 1.1–1.6 s at village scale. Since
//! schema v10 the board reads the same facts from the summary (`summary.rs`) and this
//! read of the records is the fallback and the summary's source when it is built.

use serde::Deserialize;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{Category, Status};
use wangge_core::stats::{HouseholdFacts, IssueFacts, VisitFacts};
use wangge_core::{Date, GridId, HouseholdId, Millis};

use indexed_db_futures::prelude::*;

use indexed_db_futures::transaction::Transaction;

use super::schema::{HOUSEHOLDS, ISSUES, META, OUTBOX, SUMMARY, VISITS};
use super::{Store, StoreError};

/// Everything on the phone the dashboard's figures count (a staff member's phone holds
/// exactly their scope; the figures narrow it to the scope shown).
pub struct FigureFacts {
    pub issues: Vec<IssueFacts>,
    pub households: Vec<HouseholdFacts>,
    pub visits: Vec<VisitFacts>,
}

/// An issue row (`IssueRow`) as far as the figures (and the summary's keys) read it.
#[derive(Deserialize)]
pub(super) struct IssueFactsRow {
    pub(super) id: String,
    issue: IssuePart,
    state: StatePart,
}

#[derive(Deserialize)]
struct IssuePart {
    grid: GridId,
    category: Category,
    due_at: Option<Millis>,
}

#[derive(Deserialize)]
struct StatePart {
    status: Status,
    level: EscalationLevel,
    level_since: Millis,
    escalations: u32,
    supervised: bool,
    reported_at: Option<Millis>,
    closed_at: Option<Millis>,
    closed_level: Option<EscalationLevel>,
}

impl From<IssueFactsRow> for IssueFacts {
    fn from(IssueFactsRow { issue, state, .. }: IssueFactsRow) -> IssueFacts {
        IssueFacts {
            grid: issue.grid,
            category: issue.category,
            promised: issue.due_at,
            status: state.status,
            level: state.level,
            level_since: state.level_since,
            escalations: state.escalations,
            supervised: state.supervised,
            reported_at: state.reported_at,
            closed_at: state.closed_at,
            closed_level: state.closed_level,
        }
    }
}

/// A household row (`HouseholdRow`) as far as the figures read it.
#[derive(Deserialize)]
pub(super) struct HouseholdFactsRow {
    pub(super) household: HouseholdFacts,
}

/// A visit row as far as the figures (and the summary's keys) read it.
#[derive(Deserialize)]
pub(super) struct VisitFactsRow {
    pub(super) id: String,
    household: HouseholdId,
    date: Date,
}

impl From<VisitFactsRow> for VisitFacts {
    fn from(VisitFactsRow { household, date, .. }: VisitFactsRow) -> VisitFacts {
        VisitFacts { household, date }
    }
}

impl Store {
    /// The facts of every issue, household and visit: from the summary (schema v10,
    /// `summary.rs`), or, while it is not built or cannot be read, from the records.
    pub async fn figure_facts(&self) -> Result<FigureFacts, StoreError> {
        match self.figure_facts_from_summary().await? {
            Some(facts) => Ok(facts),
            None => self.figure_facts_from_records().await,
        }
    }

    /// The facts from the summary, with the records still waiting in the outbox read from
    /// their rows (`summary_pending.rs`); `None` while it is not built (or this database
    /// predates it), or when it cannot be read.
    pub async fn figure_facts_from_summary(&self) -> Result<Option<FigureFacts>, StoreError> {
        if self.version() < 10 {
            return Ok(None);
        }
        let tx = self.read_tx(&[SUMMARY, META, OUTBOX, ISSUES, HOUSEHOLDS, VISITS])?;
        super::summary::read(&tx).await
    }

    /// The facts read from the records themselves (the lean rows of every issue,
    /// household and visit): the fallback, and what tests hold the summary to.
    pub async fn figure_facts_from_records(&self) -> Result<FigureFacts, StoreError> {
        let tx = self.read_tx(&[ISSUES, HOUSEHOLDS, VISITS])?;
        let (issues, households, visits) = lean_rows(&tx).await?;
        Ok(FigureFacts {
            issues: issues.into_iter().map(IssueFacts::from).collect(),
            households: households.into_iter().map(|row| row.household).collect(),
            visits: visits.into_iter().map(VisitFacts::from).collect(),
        })
    }
}

/// The lean rows of every issue, household and visit, the three reads asked at once
/// inside the caller's transaction.
pub(super) async fn lean_rows(
    tx: &Transaction<'_>,
) -> Result<(Vec<IssueFactsRow>, Vec<HouseholdFactsRow>, Vec<VisitFactsRow>), StoreError> {
    let issues = tx.object_store(ISSUES)?.get_all::<IssueFactsRow>().serde()?;
    let households = tx.object_store(HOUSEHOLDS)?.get_all::<HouseholdFactsRow>().serde()?;
    let visits = tx.object_store(VISITS)?.get_all::<VisitFactsRow>().serde()?;
    let (issues, households, visits) = futures::future::join3(issues, households, visits).await;
    Ok((issues?.collect::<Result<_, _>>()?, households?.collect::<Result<_, _>>()?, visits?.collect::<Result<_, _>>()?))
}
