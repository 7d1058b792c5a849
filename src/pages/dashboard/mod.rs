//! Dashboard screens: figures and the meeting list.

pub mod charts;
pub mod committee;
pub mod data;
pub mod figures;
pub mod lists;
pub mod mediation;
pub mod meeting;

pub use figures::DashboardPage;
pub use meeting::MeetingListPage;
