//! Free-text fields, parsed once at the edge: trimmed, non-blank where a blank would be
//! useless, and capped in length (counted in characters, as a worker counts them).
//!
//! Each field is its own type so a function that wants a title cannot be handed a
//! comment, and an unchecked string never reaches a record.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

labelled_enum! {
    /// Which text field an input error is about.
    pub enum TextField {
        Title = "title", "问题标题", "issue title";
        Description = "description", "问题描述", "description";
        PersonName = "name", "姓名", "name";
        Address = "address", "地址", "address";
        Reason = "reason", "原因", "reason";
        Summary = "summary", "办结说明", "resolution summary";
        Comment = "comment", "办理意见", "note";
        Notes = "notes", "走访记录", "visit notes";
        GridName = "grid_name", "网格名称", "grid name";
        UnitName = "unit_name", "单位名称", "unit name";
    }
}

impl TextField {
    /// Stable API code for "this field was left blank".
    pub(crate) const fn blank_code(self) -> &'static str {
        match self {
            TextField::Title => "title_blank",
            TextField::Description => "description_blank",
            TextField::PersonName => "name_blank",
            TextField::Address => "address_blank",
            TextField::Reason => "reason_blank",
            TextField::Summary => "summary_blank",
            TextField::Comment => "comment_blank",
            TextField::Notes => "notes_blank",
            TextField::GridName => "grid_name_blank",
            TextField::UnitName => "unit_name_blank",
        }
    }

    /// Stable API code for "this field is too long".
    pub(crate) const fn too_long_code(self) -> &'static str {
        match self {
            TextField::Title => "title_too_long",
            TextField::Description => "description_too_long",
            TextField::PersonName => "name_too_long",
            TextField::Address => "address_too_long",
            TextField::Reason => "reason_too_long",
            TextField::Summary => "summary_too_long",
            TextField::Comment => "comment_too_long",
            TextField::Notes => "notes_too_long",
            TextField::GridName => "grid_name_too_long",
            TextField::UnitName => "unit_name_too_long",
        }
    }
}

fn parse_text(input: &str, field: TextField, max: usize, blank_ok: bool) -> Result<String, DomainError> {
    let trimmed = input.trim();
    if trimmed.is_empty() && !blank_ok {
        return Err(DomainError::TextBlank { field });
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(DomainError::TextTooLong { field, len, max });
    }
    if trimmed.chars().any(is_hidden_control) {
        return Err(DomainError::TextControlChar { field });
    }
    Ok(trimmed.to_owned())
}

/// Characters a person cannot see that change what others see: control codes other than
/// line breaks and tabs (NUL, escape sequences), and the bidirectional overrides and
/// isolates that can make a name or a sum read backwards (U+202A–202E, U+2066–2069).
fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Declares a text newtype with its field, its maximum length and whether it may be blank.
macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident, $field:expr, max = $max:expr, blank_ok = $blank:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Longest accepted text, in characters.
            pub const MAX_CHARS: usize = $max;

            /// Trims the input and checks it (see the type's docs for the rules).
            pub fn parse(input: &str) -> Result<Self, DomainError> {
                parse_text(input, $field, $max, $blank).map(Self)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::text_schema($max, $blank)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

text_type!(
    /// An issue's title: required, at most 60 characters (it must fit one line of a list).
    IssueTitle, TextField::Title, max = 60, blank_ok = false
);
text_type!(
    /// An issue's description: may be empty, at most 2,000 characters.
    Description, TextField::Description, max = 2000, blank_ok = true
);
text_type!(
    /// A person's name: required, at most 30 characters (room for minority names with "·").
    PersonName, TextField::PersonName, max = 30, blank_ok = false
);
text_type!(
    /// A postal-style address inside a grid: required, at most 100 characters.
    Address, TextField::Address, max = 100, blank_ok = false
);
text_type!(
    /// Why an issue is escalated, returned or reopened: required, at most 500 characters,
    /// because the next person has to act on it.
    Reason, TextField::Reason, max = 500, blank_ok = false
);
text_type!(
    /// What was done to resolve an issue: required, at most 1,000 characters.
    Summary, TextField::Summary, max = 1000, blank_ok = false
);
text_type!(
    /// A comment on an issue or a resident's remark with a rating: required, at most 1,000.
    CommentText, TextField::Comment, max = 1000, blank_ok = false
);
text_type!(
    /// Notes from a household visit: may be empty, at most 2,000 characters.
    Notes, TextField::Notes, max = 2000, blank_ok = true
);
text_type!(
    /// A grid node's name: required, at most 40 characters.
    GridName, TextField::GridName, max = 40, blank_ok = false
);
text_type!(
    /// A unit's name: required, at most 60 characters.
    UnitName, TextField::UnitName, max = 60, blank_ok = false
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_or_direction_override_character_is_rejected_but_line_breaks_are_kept() {
        for bad in ["路灯\u{0}坏了", "路灯\u{1b}[31m坏了", "付款\u{202E}001", "\u{2066}张三"] {
            let err = IssueTitle::parse(bad).unwrap_err();
            assert_eq!(err, DomainError::TextControlChar { field: TextField::Title }, "{bad:?}");
            assert_eq!(err.code(), "text_control_char");
        }
        let notes = Notes::parse("第一行\r\n第二行\t备注").unwrap();
        assert_eq!(notes.as_str(), "第一行\r\n第二行\t备注");
    }

    #[test]
    fn a_blank_title_is_rejected() {
        let err = IssueTitle::parse(" \u{3000}\t").unwrap_err();
        assert_eq!(err, DomainError::TextBlank { field: TextField::Title });
        assert_eq!(err.code(), "title_blank");
        assert_eq!(err.message_zh(), "请填写问题标题");
    }

    #[test]
    fn a_title_over_60_characters_is_rejected() {
        assert!(IssueTitle::parse(&"路".repeat(60)).is_ok());
        let err = IssueTitle::parse(&"路".repeat(61)).unwrap_err();
        assert_eq!(err, DomainError::TextTooLong { field: TextField::Title, len: 61, max: 60 });
        assert_eq!(err.code(), "title_too_long");
    }

    #[test]
    fn a_title_is_trimmed() {
        assert_eq!(IssueTitle::parse("  树枝太高影响采光 ").unwrap().as_str(), "树枝太高影响采光");
    }

    #[test]
    fn an_empty_description_is_allowed_but_a_huge_one_is_not() {
        assert_eq!(Description::parse("").unwrap().as_str(), "");
        assert!(Description::parse(&"字".repeat(2001)).is_err());
    }

    #[test]
    fn a_blank_or_overlong_name_is_rejected() {
        assert_eq!(PersonName::parse("").unwrap_err().code(), "name_blank");
        assert_eq!(PersonName::parse(&"阿".repeat(31)).unwrap_err().code(), "name_too_long");
        assert!(PersonName::parse("阿依古丽·买买提").is_ok());
    }

    #[test]
    fn text_deserialises_through_parse() {
        assert!(serde_json::from_str::<IssueTitle>("\"  \"").is_err());
        let t: IssueTitle = serde_json::from_str("\" 漏水 \"").unwrap();
        assert_eq!(t.as_str(), "漏水");
    }
}
