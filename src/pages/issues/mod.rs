//! Issue screens: the list (问题清单), reporting a new issue (上报问题) and one issue's
//! detail with its timeline and the actions the user's role allows.

pub mod common;
pub mod detail;
pub mod detail_actions;
pub mod detail_edit;
pub mod detail_timeline;
pub mod filter;
pub mod list;
pub mod list_data;
pub mod list_filters;
pub mod list_rows;
pub mod new;
pub mod new_grids;
pub mod new_location;
pub mod new_subject;

pub use detail::IssueDetailPage;
pub use list::IssueListPage;
pub use new::NewIssuePage;
