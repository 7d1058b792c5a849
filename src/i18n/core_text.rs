//! Texts the core carries in both languages, shown in the app's language: a refusal from
//! the server (by its code) and a record's field labels (the core's record-type
//! description).

use wangge_core::record_type::Lang as CoreLang;
use wangge_core::refusal::english_for_code;

use super::Lang;

impl From<Lang> for CoreLang {
    fn from(lang: Lang) -> CoreLang {
        match lang {
            Lang::Zh => CoreLang::Zh,
            Lang::En => CoreLang::En,
        }
    }
}

/// A refusal the server sent as `code` + `message`, in `lang`. Chinese: the server's own
/// message, which names the field, grid or role. English: the core's text for the code; a
/// code this build does not know (a newer server) falls back to the server's message.
/// Messages the server writes in both languages ("中文 / English", login and account
/// errors) are split at the slash, and their own English wins: it is the more specific.
pub fn refusal_text(code: &str, message: &str, lang: Lang) -> String {
    let (zh, en) = match message.split_once(" / ") {
        Some((zh, en)) => (zh, Some(en)),
        None => (message, None),
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.map(str::to_string).or_else(|| english_for_code(code)).unwrap_or_else(|| message.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn an_english_phone_shows_a_refusal_in_english_and_a_chinese_one_as_sent() {
        let sent = "找不到该户,或不在您负责的范围内,请先同步";
        let en = refusal_text("unknown_household", sent, Lang::En);
        assert_eq!(en, "This household is unknown or outside your area; please sync first");
        assert_eq!(refusal_text("unknown_household", sent, Lang::Zh), sent);
        assert_eq!(refusal_text("a_code_from_a_newer_server", sent, Lang::En), sent);
        let login = "用户名或密码错误 / Wrong username or password.";
        assert_eq!(refusal_text("invalid_credentials", login, Lang::En), "Wrong username or password.");
        assert_eq!(refusal_text("invalid_credentials", login, Lang::Zh), "用户名或密码错误");
    }
}
