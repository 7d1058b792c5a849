//! Which list is exported and which of its rows: the issue list's filters (status, rung,
//! category, supervision flag, report dates, grid), shared by the server's query and the
//! phone's export screen.

use serde::Serialize;

use crate::grid::{EscalationLevel, GridTree};
use crate::issue::{Category, Status};
use crate::{Date, GridId};

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Issues,
    Households,
    Visits,
    Mediations,
    Lists,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Issues, Kind::Households, Kind::Visits, Kind::Mediations, Kind::Lists];

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Kind::Issues => "issues",
            Kind::Households => "households",
            Kind::Visits => "visits",
            Kind::Mediations => "mediations",
            Kind::Lists => "lists",
        }
    }

    /// The query parameters this list accepts besides `format`.
    pub fn filters(self) -> &'static [&'static str] {
        match self {
            Kind::Issues => &["format", "status", "level", "category", "overdue", "from", "to", "grid"],
            Kind::Households => &["format", "grid"],
            Kind::Visits | Kind::Mediations => &["format", "from", "to", "grid"],
            Kind::Lists => &["format", "grid"],
        }
    }

    /// The file's name (ASCII) and its Chinese name (also the sheet's), without the
    /// extension.
    pub fn file_names(self) -> (&'static str, &'static str) {
        match self {
            Kind::Issues => ("issues", "问题清单"),
            Kind::Households => ("households", "住户台账"),
            Kind::Visits => ("visits", "走访记录"),
            Kind::Mediations => ("mediations", "调解案件"),
            Kind::Lists => ("lists", "三张清单"),
        }
    }
}

/// The status filter as on the phone's issue list: `open` (未结案: reported and not yet
/// closed or withdrawn) or one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Open,
    Is(Status),
}

impl StatusFilter {
    pub fn from_code(code: &str) -> Option<StatusFilter> {
        match code {
            "open" => Some(StatusFilter::Open),
            c => Status::from_code(c).map(StatusFilter::Is),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::Is(status) => status.code(),
        }
    }

    pub fn admits(self, status: Status) -> bool {
        match self {
            StatusFilter::Open => status.is_open(),
            StatusFilter::Is(s) => s == status,
        }
    }
}

impl Serialize for StatusFilter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// The filters of the issue list (each list takes those of [`Kind::filters`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Filter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusFilter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<EscalationLevel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Only issues flagged for supervision (督办: overdue, or a supervision order stands).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overdue: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    /// Only this grid's subtree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grid: Option<GridId>,
}

impl Filter {
    /// Inclusive day range, in China Standard Time.
    pub fn takes_day(&self, day: Date) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }

    /// Whether a record of grid `id` lies in the filter's subtree.
    pub fn takes_grid(&self, tree: &GridTree, id: &GridId) -> bool {
        self.grid.as_ref().is_none_or(|g| tree.contains(g, id))
    }

    /// The query parameters that ask the server for this filter (empty ones left out).
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        let mut put = |key, value: Option<String>| {
            if let Some(v) = value {
                params.push((key, v));
            }
        };
        put("status", self.status.map(|s| s.code().to_string()));
        put("level", self.level.map(|l| l.code().to_string()));
        put("category", self.category.map(|c| c.code().to_string()));
        put("overdue", self.overdue.then(|| "1".to_string()));
        put("from", self.from.map(|d| d.to_string()));
        put("to", self.to.map(|d| d.to_string()));
        put("grid", self.grid.as_ref().map(|g| g.to_string()));
        params
    }

    /// As the export log keeps it: codes and ids only.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}
