//! The table of one list from what the phone holds, by the core's export rules (the same
//! columns, labels and filters as the server's files), and saving a file to the phone.
//! The phone holds only the user's scope already; an account that is only a unit's
//! contact exports no grid records (as the server answers it: headers, no rows).

use std::collections::HashMap;

use wangge_core::export::{self, Filter, Kind, Names, Table};
use wangge_core::grid::GridTree;
use wangge_core::household::Household;
use wangge_core::Millis;
use wasm_bindgen::{JsCast, JsValue};

use crate::store::{Store, StoreError};

/// The table of `kind`, filtered; empty (headers only) for a contact-only account.
pub(super) async fn table(
    store: &Store,
    kind: Kind,
    filter: &Filter,
    now: Millis,
    contact_only: bool,
) -> Result<Table, StoreError> {
    let grids = if contact_only { Vec::new() } else { store.grids().await? };
    let tree = GridTree::build(grids).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
    let people = if contact_only { HashMap::new() } else { store.people_names().await };
    let mut units = HashMap::new();
    if kind == Kind::Lists && !contact_only {
        units = store.units().await?.into_iter().map(|u| (u.id.to_string(), u.name.to_string())).collect();
    }
    let names = Names { tree: &tree, people: &people, units: &units };
    Ok(match kind {
        Kind::Issues => {
            let rows = if contact_only { Vec::new() } else { store.all_issues().await? };
            export::issues(rows.iter().map(|r| (&r.issue, &r.state)), &names, filter, now)
        }
        Kind::Households => {
            let list = if contact_only { Vec::new() } else { store.all_households().await? };
            export::households(&list, &names, filter)
        }
        Kind::Visits => {
            let (visits, households) = if contact_only {
                (Vec::new(), Vec::new())
            } else {
                (store.all_visits().await?, store.all_households().await?)
            };
            let households: Vec<&Household> = households.iter().collect();
            export::visits(&visits, &households, &names, filter)
        }
        Kind::Mediations => {
            let cases = if contact_only { Vec::new() } else { store.cases().await? };
            export::mediations(&cases, &names, filter, now)
        }
        Kind::Lists => {
            let entries = if contact_only { Vec::new() } else { store.list_entries().await? };
            export::lists(&entries, &names, filter)
        }
    })
}

/// Saves a blob as a file named `name` through a temporary object URL (works offline:
/// nothing leaves the phone).
pub(crate) fn save(name: &str, blob: &web_sys::Blob) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = leptos::prelude::document();
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    document.body().ok_or("no body")?.append_child(&a)?;
    a.click();
    a.remove();
    // The browser reads the URL after the click returns; let it go a little later.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

/// CSV text as a UTF-8 blob (the text starts with its BOM).
pub(crate) fn csv_blob(text: &str) -> Result<web_sys::Blob, JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&text.into()), &options)
}
