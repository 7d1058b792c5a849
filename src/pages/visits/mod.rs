//! Visit screens: due list and recording a visit.

pub mod list;
pub mod new;

pub use list::VisitsPage;
pub use new::NewVisitPage;
