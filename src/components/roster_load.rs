//! Reading from the store for a screen, again whenever the data on the phone changes (a
//! save, a pull) or a signal the loader reads changes (a filter). A lighter stand-in for
//! `LocalResource` + `<Suspense>`: the loader returns a boxed future, so each screen adds
//! only its own code and not another copy of the async machinery (it measured ~100 KB of
//! wasm over a dozen screens), and an older read finishing late never overwrites a newer one.

use std::cell::Cell;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use leptos::prelude::*;

use crate::context::use_sync;

/// `None` until the first read finishes, then the latest read's value.
pub fn reload<T: Send + Sync + 'static>(
    load: impl Fn() -> LocalBoxFuture<'static, T> + 'static,
) -> RwSignal<Option<T>> {
    let data = RwSignal::new(None);
    let version = use_sync().data_version();
    let latest = Rc::new(Cell::new(0u32));
    Effect::new(move |_| {
        version.track();
        let read = load();
        let n = latest.get().wrapping_add(1);
        latest.set(n);
        let latest = latest.clone();
        let task: LocalBoxFuture<'static, ()> = Box::pin(async move {
            let value = read.await;
            if latest.get() == n {
                // The screen may have gone meanwhile; then there is nobody to tell.
                let _ = data.try_set(Some(value));
            }
        });
        leptos::task::spawn_local(task);
    });
    data
}
