//! Chinese by default, English as a switch; the choice is shared with the worker app
//! (localStorage `wangge.lang`). Strings sit beside their use as `t(zh, en)` pairs: this
//! app is small, and a pair can never lose one of its languages.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    Zh,
    En,
}

const STORAGE_KEY: &str = "wangge.lang";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Lang {
    pub(crate) fn load() -> Lang {
        match storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    pub(crate) fn save(self) {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, self.code());
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub(crate) fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

thread_local! {
    // One language signal for the whole page, reachable from event handlers and spawned
    // tasks too (Leptos contexts are not: they need the component's owner).
    static LANG: std::cell::OnceCell<RwSignal<Lang>> = const { std::cell::OnceCell::new() };
}

pub(crate) fn provide_lang() -> RwSignal<Lang> {
    LANG.with(|l| *l.get_or_init(|| RwSignal::new(Lang::load())))
}

pub(crate) fn lang() -> RwSignal<Lang> {
    provide_lang()
}

/// The pair in the current language, reactively (use inside `move ||` or as a view child).
pub(crate) fn t(zh: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = lang();
    move || lang.get().pick(zh, en)
}

/// A server message is "中文 / English" (`routes/admin.rs`); show the half for the language.
pub(crate) fn server_message(message: &str, lang: Lang) -> String {
    match message.split_once(" / ") {
        Some((zh, en)) => lang.pick(zh, en).to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_language_server_message_is_split() {
        assert_eq!(
            server_message("不能停用自己的账号 / You cannot disable your own account.", Lang::Zh),
            "不能停用自己的账号"
        );
        assert_eq!(
            server_message("不能停用自己的账号 / You cannot disable your own account.", Lang::En),
            "You cannot disable your own account."
        );
        assert_eq!(server_message("网格下还有12户", Lang::En), "网格下还有12户");
    }
}
