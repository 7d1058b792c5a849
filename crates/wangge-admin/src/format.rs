//! Times and role lists as people read them.

use wangge_core::people::Role;

use crate::i18n::Lang;

/// A server time (epoch milliseconds, or already text) as local `YYYY-MM-DD HH:MM`.
pub(crate) fn time(value: Option<&serde_json::Value>, lang: Lang) -> String {
    match value {
        Some(serde_json::Value::Number(n)) => match n.as_f64() {
            Some(ms) if ms > 0.0 => {
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
            _ => lang.pick("从未", "never").into(),
        },
        Some(serde_json::Value::String(s)) => s.replace('T', " ").chars().take(16).collect(),
        _ => lang.pick("从未", "never").into(),
    }
}

pub(crate) fn roles(roles: &[Role], lang: Lang) -> String {
    let names: Vec<&str> = roles.iter().map(|r| lang.pick(r.label_zh(), r.label_en())).collect();
    names.join(lang.pick("、", ", "))
}
