//! Issue screens: list, new, detail.

pub mod detail;
pub mod list;
pub mod new;

pub use detail::IssueDetailPage;
pub use list::IssueListPage;
pub use new::NewIssuePage;
