//! Visit screens: the due list and recent visits; recording a visit.

pub mod due;
pub mod list;
pub mod new;
pub mod picker;

pub use list::VisitsPage;
pub use new::NewVisitPage;
