//! Dashboard screens: figures and the meeting list.

pub mod figures;
pub mod meeting;

pub use figures::DashboardPage;
pub use meeting::MeetingListPage;
