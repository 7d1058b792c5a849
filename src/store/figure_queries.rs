//! The dashboard's read: only what the core's figures look at ([`IssueFacts`],
//! [`HouseholdFacts`], [`VisitFacts`]), picked out of every issue, household and visit
//! row. serde-wasm-bindgen fetches only the fields a struct names from a JS object, so
//! these lean rows skip titles, descriptions, members and notes instead of building
//! 20,000 whole issues, 10,000 households (whose flattened members make serde buffer
//! every field) and every visit — the full read took 1.1–1.6 s at village scale.

use serde::Deserialize;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{Category, Status};
use wangge_core::stats::{HouseholdFacts, IssueFacts, VisitFacts};
use wangge_core::{GridId, Millis};

use indexed_db_futures::prelude::*;

use super::schema::{HOUSEHOLDS, ISSUES, VISITS};
use super::{Store, StoreError};

/// Everything on the phone the dashboard's figures count (a staff member's phone holds
/// exactly their scope; the figures narrow it to the scope shown).
pub struct FigureFacts {
    pub issues: Vec<IssueFacts>,
    pub households: Vec<HouseholdFacts>,
    pub visits: Vec<VisitFacts>,
}

/// An issue row (`IssueRow`) as far as the figures read it.
#[derive(Deserialize)]
struct IssueFactsRow {
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
    fn from(IssueFactsRow { issue, state }: IssueFactsRow) -> IssueFacts {
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
struct HouseholdFactsRow {
    household: HouseholdFacts,
}

impl Store {
    /// The facts of every issue, household and visit, in one transaction with the three
    /// reads asked for at once.
    pub async fn figure_facts(&self) -> Result<FigureFacts, StoreError> {
        let tx = self.read_tx(&[ISSUES, HOUSEHOLDS, VISITS])?;
        let issues = tx.object_store(ISSUES)?.get_all::<IssueFactsRow>().serde()?;
        let households = tx.object_store(HOUSEHOLDS)?.get_all::<HouseholdFactsRow>().serde()?;
        let visits = tx.object_store(VISITS)?.get_all::<VisitFacts>().serde()?;
        let (issues, households, visits) = futures::future::join3(issues, households, visits).await;
        Ok(FigureFacts {
            issues: issues?.map(|r| r.map(IssueFacts::from)).collect::<Result<_, _>>()?,
            households: households?.map(|r| r.map(|row| row.household)).collect::<Result<_, _>>()?,
            visits: visits?.collect::<Result<_, _>>()?,
        })
    }
}
