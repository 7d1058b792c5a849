//! The optional GPS fix of the new-issue form. The phone is asked once per tap; whatever
//! happens (denied, no signal in a basement, a browser without GPS) is said in plain words
//! and never stops the worker from saving the issue without a location.

use leptos::prelude::*;
use wangge_core::{DomainError, Location};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::super::common::core_message;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Text};

/// Where the GPS request stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Fix {
    None,
    Locating,
    Got { location: Location, accuracy_m: f64 },
    Denied,
    Unavailable,
    Timeout,
    Unsupported,
    Invalid(DomainError),
}

impl Fix {
    pub fn location(&self) -> Option<Location> {
        match self {
            Fix::Got { location, .. } => Some(*location),
            _ => None,
        }
    }
}

/// Give up on a fix after this long (a worker will not wait longer with a resident).
const TIMEOUT_MS: u32 = 20_000;

#[component]
pub fn LocationField(fix: RwSignal<Fix>) -> impl IntoView {
    let lang = use_lang();
    let message = move || {
        let l = lang.get();
        match fix.get() {
            Fix::None => IssueMsg::LocationNone.text(l).to_string(),
            Fix::Locating => IssueMsg::Locating.text(l).to_string(),
            Fix::Got { location, accuracy_m } => format!(
                "{}{:.5}, {:.5}（±{:.0} m）",
                IssueMsg::LocationGot.text(l),
                location.lat(),
                location.lon(),
                accuracy_m
            ),
            Fix::Denied => IssueMsg::LocationDenied.text(l).to_string(),
            Fix::Unavailable => IssueMsg::LocationUnavailable.text(l).to_string(),
            Fix::Timeout => IssueMsg::LocationTimeout.text(l).to_string(),
            Fix::Unsupported => IssueMsg::LocationUnsupported.text(l).to_string(),
            Fix::Invalid(e) => core_message!(e, l),
        }
    };
    let failed = move || !matches!(fix.get(), Fix::None | Fix::Locating | Fix::Got { .. });
    view! {
        <div class="field location-field" role="group" aria-labelledby="loc-label">
            <span id="loc-label">{tr(IssueMsg::FieldLocation)}</span>
            <div class="location-row">
                <button type="button" class="button secondary small"
                    disabled=move || fix.get() == Fix::Locating
                    on:click=move |_| locate(fix)>
                    {tr(IssueMsg::UseGps)}
                </button>
                <Show when=move || fix.with(|f| f.location().is_some())>
                    <button type="button" class="link" on:click=move |_| fix.set(Fix::None)>
                        {tr(IssueMsg::RemoveLocation)}
                    </button>
                </Show>
            </div>
            <p class="location-status" class:field-error=failed role="status">{message}</p>
        </div>
    }
}

/// Asks the phone for one position fix.
fn locate(fix: RwSignal<Fix>) {
    let navigator = window().navigator();
    let geo =
        js_sys::Reflect::get(&navigator, &"geolocation".into()).ok().filter(|g| !g.is_undefined() && !g.is_null());
    let Some(geo) = geo else {
        fix.set(Fix::Unsupported);
        return;
    };
    let geo: web_sys::Geolocation = geo.unchecked_into();
    fix.set(Fix::Locating);
    let on_fix = Closure::once_into_js(move |pos: JsValue| fix.set(read_position(&pos)));
    let on_error = Closure::once_into_js(move |err: JsValue| {
        // Codes from the Geolocation API: 1 denied, 2 unavailable, 3 timeout.
        let code = number(&err, "code").unwrap_or(2.0) as u16;
        fix.set(match code {
            1 => Fix::Denied,
            3 => Fix::Timeout,
            _ => Fix::Unavailable,
        });
    });
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(TIMEOUT_MS);
    options.set_maximum_age(60_000);
    let asked = geo.get_current_position_with_error_callback_and_options(
        on_fix.unchecked_ref(),
        Some(on_error.unchecked_ref()),
        &options,
    );
    if asked.is_err() {
        fix.set(Fix::Unsupported);
    }
}

/// Reads a `GeolocationPosition` by property name (the browser's class names have changed
/// over the years; the properties have not).
fn read_position(pos: &JsValue) -> Fix {
    let coords = js_sys::Reflect::get(pos, &"coords".into()).unwrap_or(JsValue::UNDEFINED);
    let (Some(lat), Some(lon)) = (number(&coords, "latitude"), number(&coords, "longitude")) else {
        return Fix::Unavailable;
    };
    match Location::parse(lat, lon) {
        Ok(location) => Fix::Got { location, accuracy_m: number(&coords, "accuracy").unwrap_or(0.0) },
        Err(e) => Fix::Invalid(e),
    }
}

fn number(obj: &JsValue, key: &str) -> Option<f64> {
    js_sys::Reflect::get(obj, &key.into()).ok()?.as_f64()
}
