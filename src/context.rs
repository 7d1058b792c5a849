//! What the app root hands every screen: the store, the logged-in session and the sync
//! handle. Screens call these instead of reaching for globals.

use std::ops::Deref;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::session::Session;
use crate::store::Store;
use crate::sync::SyncHandle;

/// The open store as screens hold it: cheap to clone (IndexedDB handles are reference
/// counted), `Send` so Leptos contexts, closures and resources accept it, and it derefs to
/// [`Store`], so `store.open_conflicts()` or `load(&store)` work directly. The browser's
/// handles are not `Send`; the wrapper is sound because the app is single-threaded, and it
/// checks that at run time.
#[derive(Clone)]
pub struct StoreHandle(SendWrapper<Store>);

impl StoreHandle {
    /// Wraps an open store (the app root, the login screen).
    pub fn new(store: Store) -> Self {
        Self(SendWrapper::new(store))
    }
}

impl Deref for StoreHandle {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.0
    }
}

pub fn provide_app_context(store: StoreHandle, session: RwSignal<Option<Session>>, sync: SyncHandle) {
    provide_context(store);
    provide_context(sync);
    let _ = session; // provided by the root before the store opens (see `app.rs`)
}

/// The on-device store. Only inside the logged-in shell.
pub fn use_store() -> StoreHandle {
    use_context::<StoreHandle>().expect("the shell provides the store")
}

/// The session signal (None before login).
pub fn use_session() -> RwSignal<Option<Session>> {
    use_context::<RwSignal<Option<Session>>>().expect("the app root provides the session")
}

/// The logged-in session. Only inside the logged-in shell, where there always is one.
pub fn session() -> Session {
    use_session().get_untracked().expect("the shell only renders with a session")
}

/// The sync handle: call `.changed()` after every local save.
pub fn use_sync() -> SyncHandle {
    use_context::<SyncHandle>().expect("the shell provides sync")
}
