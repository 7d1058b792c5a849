//! Dates and times as a worker reads them (local time, Chinese order), from the core's
//! unix milliseconds. Small and dependency-free: the browser's Date does the time zone.

use crate::i18n::sync::SyncMsg;
use crate::i18n::{Lang, Text};

/// `2026-11-23 14:05` in the phone's local time.
pub fn date_time(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// `2026-11-23` in the phone's local time.
pub fn date(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!("{}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// "3 分钟前" / "3 min ago", for how fresh something is.
pub fn ago(ms: f64, now: f64, lang: Lang) -> String {
    let minutes = ((now - ms) / 60_000.0).floor().max(0.0) as i64;
    match minutes {
        0 => SyncMsg::JustNow.text(lang).into(),
        m if m < 60 => format!("{m} {}", SyncMsg::MinutesAgo.text(lang)),
        m if m < 48 * 60 => format!("{} {}", m / 60, SyncMsg::HoursAgo.text(lang)),
        m => format!("{} {}", m / (24 * 60), SyncMsg::DaysAgo.text(lang)),
    }
}

/// The current time, unix milliseconds (the core takes time from its callers).
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
