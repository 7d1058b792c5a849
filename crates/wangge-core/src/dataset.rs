//! [`DataSet`]: a whole data set loaded at once — every record of the grid tree, the
//! rosters, the issues with their histories, the visits and the committee's meetings. The demo generator
//! (`wangge-demo`) produces one; the server loads one into an empty database and its tests
//! use one as a fixture; the phone's store loads one as a snapshot.

use serde::{Deserialize, Serialize};

use crate::grid::Grid;
use crate::household::Household;
use crate::issue::{Issue, IssueEvent};
use crate::meeting::Meeting;
use crate::people::Person;
use crate::unit::Unit;
use crate::visit::Visit;

/// Every record of a data set, collection by collection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataSet {
    /// Grid nodes.
    pub grids: Vec<Grid>,
    /// People.
    pub people: Vec<Person>,
    /// Households.
    pub households: Vec<Household>,
    /// Units.
    pub units: Vec<Unit>,
    /// Issue records.
    pub issues: Vec<Issue>,
    /// Every issue's history, issue by issue, each in order.
    pub events: Vec<IssueEvent>,
    /// Visits.
    pub visits: Vec<Visit>,
    /// Joint meetings and on-site office sessions (absent from data sets saved before
    /// they existed).
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    /// Mediation cases (absent from older data sets).
    #[serde(default)]
    pub mediations: Vec<crate::mediation::Case>,
    /// The three lists' entries (absent from older data sets).
    #[serde(default)]
    pub lists: Vec<crate::lists::ListEntry>,
    /// Tasks sent down the grid, a record per grid node (absent from older data sets).
    #[serde(default)]
    pub tasks: Vec<crate::task::Task>,
}
