//! What the app root hands every screen: the store, the logged-in session and the sync
//! handle. Screens call these instead of reaching for globals.

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::session::Session;
use crate::store::Store;
use crate::sync::SyncHandle;

/// The open store, wrapped because Leptos contexts must be `Send` and the browser's
/// handles are not (the app is single-threaded; the wrapper checks that).
#[derive(Clone)]
pub struct StoreCtx(pub SendWrapper<Store>);

pub fn provide_app_context(store: Store, session: RwSignal<Option<Session>>, sync: SyncHandle) {
    provide_context(StoreCtx(SendWrapper::new(store)));
    provide_context(sync);
    let _ = session; // provided by the root before the store opens (see `app.rs`)
}

/// The on-device store. Only inside the logged-in shell.
pub fn use_store() -> Store {
    use_context::<StoreCtx>()
        .map(|s| (*s.0).clone())
        .expect("the shell provides the store")
}

/// The session signal (None before login).
pub fn use_session() -> RwSignal<Option<Session>> {
    use_context::<RwSignal<Option<Session>>>().expect("the app root provides the session")
}

/// The logged-in session. Only inside the logged-in shell, where there always is one.
pub fn session() -> Session {
    use_session()
        .get_untracked()
        .expect("the shell only renders with a session")
}

/// The sync handle: call `.changed()` after every local save.
pub fn use_sync() -> SyncHandle {
    use_context::<SyncHandle>().expect("the shell provides sync")
}
