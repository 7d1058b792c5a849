//! The one translation table: every string the app shows goes through it, with Chinese
//! (zh-CN) as the default and English as a switch in settings. The table is split by area
//! (one file each, built by one macro) so screens can grow without touching each other.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    const STORAGE_KEY: &'static str = "wangge.lang";

    /// The language the worker chose last time on this phone (Chinese unless they chose English).
    pub fn load() -> Lang {
        let stored = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(Self::STORAGE_KEY).ok().flatten());
        match stored.as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    pub fn save(self) {
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.set_item(Self::STORAGE_KEY, self.code());
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// A table of user-visible strings: each area of the app has one (`common`, `issues`, …),
/// all built by this macro, so every string has both languages and one lookup path.
macro_rules! messages {
    ($(#[$meta:meta])* $name:ident { $($key:ident => $zh:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($key),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key),*];
        }

        impl $crate::i18n::Text for $name {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                use $crate::i18n::Lang;
                match (self, lang) {
                    $(($name::$key, Lang::Zh) => $zh, ($name::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

pub mod assess;
mod common;
pub mod core_text;
pub mod dashboard;
pub mod emergency;
pub mod export;
pub mod handoff;
pub mod issues;
pub mod lists;
pub mod login;
pub mod mediation;
pub mod meetings;
pub mod photos;
pub mod roster;
pub mod settings;
pub mod sync;
pub mod tasks;
pub mod visits;

pub use common::Msg;

/// A string the app shows, in either language.
pub trait Text: Copy + Send + Sync + 'static {
    fn text(self, lang: Lang) -> &'static str;
}

/// The current language, provided by the app root.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().expect("the app root provides the language")
}

/// A reactive translated string, for use in `view!`.
pub fn tr<M: Text>(msg: M) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn every_message_has_both_languages() {
        fn check<M: Text + std::fmt::Debug>(all: &[M]) {
            for msg in all {
                assert!(!msg.text(Lang::Zh).trim().is_empty(), "{msg:?} zh");
                assert!(!msg.text(Lang::En).trim().is_empty(), "{msg:?} en");
            }
        }
        check(Msg::ALL);
        check(assess::AssessMsg::ALL);
        check(dashboard::DashMsg::ALL);
        check(emergency::EmergencyMsg::ALL);
        check(export::ExportMsg::ALL);
        check(handoff::HandoffMsg::ALL);
        check(issues::IssueMsg::ALL);
        check(lists::ListMsg::ALL);
        check(login::LoginMsg::ALL);
        check(mediation::MedMsg::ALL);
        check(meetings::MeetMsg::ALL);
        check(photos::PhotoMsg::ALL);
        check(roster::RosterMsg::ALL);
        check(settings::SettingsMsg::ALL);
        check(sync::SyncMsg::ALL);
        check(tasks::TaskMsg::ALL);
        check(visits::VisitMsg::ALL);
    }
}
