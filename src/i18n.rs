//! The one translation table: every string the app shows goes through [`Msg`], with
//! Chinese (zh-CN) as the default and English as a switch in settings.

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

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A user-visible string, by meaning. Look it up with [`Msg::text`] or [`tr`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Zh) => $zh, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "网格通", "Wangge";
    Online => "在线", "Online";
    Offline => "离线", "Offline";
    OfflineHint => "离线也可以照常记录，联网后自动同步。", "You can keep recording offline; it syncs when you are back online.";
    NavToday => "今日", "Today";
    NavIssues => "问题", "Issues";
    NavVisits => "走访", "Visits";
    NavRoster => "花名册", "Roster";
    NavSettings => "设置", "Settings";
    MainNav => "主导航", "Main navigation";
    TodayTitle => "今日待办", "Today";
    DueVisits => "待走访户", "Households due a visit";
    MyOpenIssues => "我的未办结问题", "My open issues";
    Overdue => "超期督办", "Overdue (supervision)";
    NothingYet => "暂无内容", "Nothing here yet";
    IssuesTitle => "问题清单", "Issue list";
    VisitsTitle => "走访记录", "Visits";
    RosterTitle => "网格花名册", "Grid roster";
    SettingsTitle => "设置", "Settings";
    Language => "语言", "Language";
    AppVersion => "版本", "Version";
    NotFound => "页面不存在", "Page not found";
    StoragePersistence => "本地数据保护", "Local data protection";
    PersistGranted => "已开启：浏览器不会自动清除本机记录", "On: the browser will not clear this phone's records";
    PersistDenied => "未开启：存储紧张时浏览器可能清除记录，请尽快同步或导出", "Off: the browser may clear records when storage is low; sync or export soon";
    BackToToday => "返回今日", "Back to Today";
}

/// The current language, provided by the app root.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().expect("the app root provides the language")
}

/// A reactive translated string, for use in `view!`.
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            assert!(!msg.text(Lang::Zh).trim().is_empty(), "{msg:?} zh");
            assert!(!msg.text(Lang::En).trim().is_empty(), "{msg:?} en");
        }
    }
}
