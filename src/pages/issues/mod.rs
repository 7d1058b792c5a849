//! Issue screens: the list (问题清单), reporting a new issue (上报问题) and one issue's
//! detail with its timeline and the actions the user's role allows.

pub mod common;
pub mod detail;
pub mod handoff;
pub mod list;
pub mod new;

pub use detail::IssueDetailPage;
pub use list::IssueListPage;
pub use new::NewIssuePage;
