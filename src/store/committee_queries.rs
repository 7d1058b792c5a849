//! Reads for the dashboard's committee figures (大党委工作): every meeting and on-site
//! office on the phone. The phone holds exactly the viewer's scope, so "every" is small;
//! the core counts them per month and scope.

use wangge_core::meeting::Meeting;

use super::schema::MEETINGS;
use super::{Store, StoreError};

impl Store {
    /// Every joint meeting and on-site office session on the phone.
    pub async fn committee_meetings(&self) -> Result<Vec<Meeting>, StoreError> {
        self.all_of(MEETINGS).await
    }
}
