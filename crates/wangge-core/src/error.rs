//! The one error type of the domain, [`DomainError`]: a specific variant for every way an
//! input can be wrong, each with a stable machine code for the API and a message in
//! Chinese and English that tells a field worker what to do about it.

use thiserror::Error;

use crate::grid::GridLevel;
use crate::issue::TransitionError;
use crate::{GridId, TextField};

/// Everything the core can refuse. No catch-all: each variant names one mistake.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DomainError {
    /// An id was empty.
    #[error("id is blank")]
    IdBlank,
    /// An id had characters other than ASCII letters, digits, `-`, `_`, or was too long.
    #[error("malformed id {input:?}")]
    IdMalformed {
        /// The offending id (at most 64 characters of it).
        input: String,
    },
    /// A required text field was blank.
    #[error("{} is blank", field.code())]
    TextBlank {
        /// Which field.
        field: TextField,
    },
    /// A text field held an invisible control or direction-override character (NUL,
    /// escape codes, U+202E …), which can hide or reorder what a reader sees.
    #[error("{} has a control character", field.code())]
    TextControlChar {
        /// Which field.
        field: TextField,
    },
    /// A text field was longer than allowed.
    #[error("{} has {len} characters, more than {max}", field.code())]
    TextTooLong {
        /// Which field.
        field: TextField,
        /// Its length in characters.
        len: usize,
        /// The maximum.
        max: usize,
    },
    /// No phone number was given where one was asked for.
    #[error("phone is blank")]
    PhoneBlank,
    /// A phone number contained something other than digits, spaces, `-` or a leading `+86`.
    #[error("phone has invalid characters")]
    PhoneInvalidChars,
    /// A mobile number did not have 11 digits.
    #[error("mobile has {len} digits, not 11")]
    MobileWrongLength {
        /// Digits found.
        len: usize,
    },
    /// A mobile number's second digit was not 3–9.
    #[error("mobile has an impossible prefix")]
    MobileBadPrefix,
    /// A fixed-line number was not `0AA(A)-NNNNNNN(N)`.
    #[error("malformed fixed-line number")]
    FixedLineMalformed,
    /// A number started with neither `1` (mobile) nor `0` (area code).
    #[error("phone is neither a mobile nor a fixed line")]
    PhoneUnknownKind,
    /// A birth year after the current year.
    #[error("birth year {year} is after {current}")]
    BirthYearInFuture {
        /// The year given.
        year: i32,
        /// The current year.
        current: i32,
    },
    /// A birth year before 1900.
    #[error("birth year {year} is before 1900")]
    BirthYearTooEarly {
        /// The year given.
        year: i32,
    },
    /// An ID-card number that is not 18 characters long (spaces ignored).
    #[error("ID-card number has {len} characters, not 18")]
    IdCardWrongLength {
        /// Characters found.
        len: usize,
    },
    /// An ID-card number with a letter anywhere but a final `X`.
    #[error("ID-card number has invalid characters")]
    IdCardInvalidChars,
    /// An ID-card number whose birth date (characters 7–14) does not exist.
    #[error("ID-card number has an impossible birth date")]
    IdCardBadBirthDate,
    /// An ID-card number whose last character does not match the GB 11643 check.
    #[error("ID-card number fails its check digit")]
    IdCardBadCheckDigit,
    /// A satisfaction score outside 1..=5.
    #[error("satisfaction {value} is outside 1..=5")]
    SatisfactionOutOfRange {
        /// The score given.
        value: i64,
    },
    /// A latitude outside -90..=90.
    #[error("latitude {value} is out of range")]
    LatitudeOutOfRange {
        /// The latitude given.
        value: f64,
    },
    /// A longitude outside -180..=180.
    #[error("longitude {value} is out of range")]
    LongitudeOutOfRange {
        /// The longitude given.
        value: f64,
    },
    /// A date that is not `YYYY-MM-DD` or does not exist.
    #[error("invalid date {input:?}")]
    DateInvalid {
        /// What was given.
        input: String,
    },
    /// A grid code that is not 15 digits.
    #[error("malformed grid code {input:?}")]
    GridCodeMalformed {
        /// What was given.
        input: String,
    },
    /// A grid code whose zero segments do not fit the grid's level.
    #[error("grid {grid}: code does not fit level {}", level.code())]
    GridCodeLevelMismatch {
        /// The grid.
        grid: GridId,
        /// Its level.
        level: GridLevel,
    },
    /// A grid code that does not extend its parent's code.
    #[error("grid {grid}: code is not under its parent's code")]
    GridCodeNotUnderParent {
        /// The grid.
        grid: GridId,
    },
    /// A grid whose level is not below its parent's level.
    #[error("grid {grid}: level is not below its parent's level")]
    GridLevelNotBelowParent {
        /// The grid.
        grid: GridId,
    },
    /// Two grids with the same id.
    #[error("duplicate grid id {grid}")]
    DuplicateGridId {
        /// The repeated id.
        grid: GridId,
    },
    /// A grid id that is not in the tree.
    #[error("unknown grid {grid}")]
    UnknownGrid {
        /// The id looked up.
        grid: GridId,
    },
    /// A record in a grid outside the worker's part of the tree.
    #[error("grid {target} is outside scope {scope}")]
    OutOfScope {
        /// The grid of the record.
        target: GridId,
        /// The worker's own grid.
        scope: GridId,
    },
    /// A photo hash that is not 64 lowercase hex characters (a SHA-256).
    #[error("malformed photo hash {input:?}")]
    PhotoHashMalformed {
        /// What was given (at most 64 characters of it).
        input: String,
    },
    /// A step (an issue event, a visit, a mediation session) with too many photos.
    #[error("{count} photos, more than {max}")]
    TooManyPhotos {
        /// Photos given.
        count: usize,
        /// The limit (`photo::MAX_PHOTOS_PER_STEP`).
        max: usize,
    },
    /// An issue event that the state machine refuses.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// A mediation case that does not hold together (its own codes).
    #[error(transparent)]
    Mediation(#[from] crate::mediation::MediationError),
    /// A list entry that does not hold together (its own codes).
    #[error(transparent)]
    List(#[from] crate::lists::ListError),
    /// A task record that does not hold together (its own codes).
    #[error(transparent)]
    Task(#[from] crate::task::TaskError),
    /// An emergency record that does not hold together (its own codes).
    #[error(transparent)]
    Emergency(#[from] crate::emergency::EmergencyError),
}

impl DomainError {
    /// Stable machine code for the API (snake_case, never changes meaning).
    pub fn code(&self) -> &'static str {
        use DomainError::*;
        match self {
            IdBlank => "id_blank",
            IdMalformed { .. } => "id_malformed",
            TextBlank { field } => field.blank_code(),
            TextTooLong { field, .. } => field.too_long_code(),
            TextControlChar { .. } => "text_control_char",
            PhoneBlank => "phone_blank",
            PhoneInvalidChars => "phone_invalid_chars",
            MobileWrongLength { .. } => "mobile_wrong_length",
            MobileBadPrefix => "mobile_bad_prefix",
            FixedLineMalformed => "fixed_line_malformed",
            PhoneUnknownKind => "phone_unknown_kind",
            BirthYearInFuture { .. } => "birth_year_in_future",
            BirthYearTooEarly { .. } => "birth_year_too_early",
            IdCardWrongLength { .. } => "id_card_wrong_length",
            IdCardInvalidChars => "id_card_invalid_chars",
            IdCardBadBirthDate => "id_card_bad_birth_date",
            IdCardBadCheckDigit => "id_card_bad_check_digit",
            SatisfactionOutOfRange { .. } => "satisfaction_out_of_range",
            LatitudeOutOfRange { .. } => "latitude_out_of_range",
            LongitudeOutOfRange { .. } => "longitude_out_of_range",
            DateInvalid { .. } => "date_invalid",
            GridCodeMalformed { .. } => "grid_code_malformed",
            GridCodeLevelMismatch { .. } => "grid_code_level_mismatch",
            GridCodeNotUnderParent { .. } => "grid_code_not_under_parent",
            GridLevelNotBelowParent { .. } => "grid_level_not_below_parent",
            DuplicateGridId { .. } => "duplicate_grid_id",
            UnknownGrid { .. } => "unknown_grid",
            OutOfScope { .. } => "out_of_scope",
            PhotoHashMalformed { .. } => "photo_hash_malformed",
            TooManyPhotos { .. } => "too_many_photos",
            Transition(t) => t.code(),
            Mediation(m) => m.code(),
            List(l) => l.code(),
            Task(t) => t.code(),
            Emergency(e) => e.code(),
        }
    }

    /// What went wrong and what to do, in Chinese.
    pub fn message_zh(&self) -> String {
        use DomainError::*;
        match self {
            IdBlank => "编号不能为空".into(),
            IdMalformed { .. } => "编号只能包含字母、数字、“-”和“_”,且不超过64位".into(),
            TextBlank { field } => format!("请填写{}", field.label_zh()),
            TextTooLong { field, len, max } => {
                format!("{}最多{max}个字,现在是{len}个字,请精简", field.label_zh())
            }
            TextControlChar { field } => {
                format!("{}含有看不见的控制字符,请删除后重新输入", field.label_zh())
            }
            PhoneBlank => "请填写电话号码".into(),
            PhoneInvalidChars => "电话号码只能包含数字和“-”".into(),
            MobileWrongLength { len } => format!("手机号应为11位数字,现在是{len}位"),
            MobileBadPrefix => "手机号应以13至19开头,请核对".into(),
            FixedLineMalformed => "座机号请写成“区号-号码”,例如 023-12345678".into(),
            PhoneUnknownKind => "电话号码应以1(手机)或0(座机区号)开头".into(),
            BirthYearInFuture { year, current } => {
                format!("出生年份{year}晚于今年({current}年),请核对")
            }
            BirthYearTooEarly { year } => format!("出生年份{year}早于1900年,请核对"),
            IdCardWrongLength { len } => format!("身份证号应为18位,现在是{len}位,请核对"),
            IdCardInvalidChars => "身份证号前17位应为数字,最后一位为数字或X".into(),
            IdCardBadBirthDate => "身份证号中的出生日期(第7至14位)不存在,请核对".into(),
            IdCardBadCheckDigit => "身份证号校验位不符,可能有数字抄错,请与证件核对".into(),
            SatisfactionOutOfRange { value } => format!("满意度应为1到5分,收到的是{value}"),
            LatitudeOutOfRange { .. } => "纬度应在-90到90之间,请重新定位".into(),
            LongitudeOutOfRange { .. } => "经度应在-180到180之间,请重新定位".into(),
            DateInvalid { input } => format!("日期“{input}”无效,请按 2024-05-01 的格式填写"),
            GridCodeMalformed { input } => format!("网格编码“{input}”应为15位数字"),
            GridCodeLevelMismatch { level, .. } => {
                format!("网格编码与层级“{}”不符,请核对编码", level.label_zh())
            }
            GridCodeNotUnderParent { .. } => "网格编码应以上级网格的编码开头".into(),
            GridLevelNotBelowParent { .. } => "网格层级应低于上级网格".into(),
            DuplicateGridId { grid } => format!("网格编号{grid}重复"),
            UnknownGrid { grid } => format!("找不到网格{grid},请先同步"),
            OutOfScope { .. } => "该网格不在您负责的范围内,请联系上级网格处理".into(),
            PhotoHashMalformed { .. } => "照片编号(SHA-256)应为64位小写十六进制字符".into(),
            TooManyPhotos { count, max } => format!("每次最多{max}张照片,现在是{count}张,请删去几张"),
            Transition(t) => t.message_zh(),
            Mediation(m) => m.message_zh(),
            List(l) => l.message_zh(),
            Task(t) => t.message_zh(),
            Emergency(e) => e.message_zh(),
        }
    }

    /// What went wrong and what to do, in English.
    pub fn message_en(&self) -> String {
        use DomainError::*;
        match self {
            IdBlank => "The id is empty".into(),
            IdMalformed { .. } => "An id may only contain letters, digits, '-' and '_', at most 64".into(),
            TextBlank { field } => format!("Please enter the {}", field.label_en()),
            TextTooLong { field, len, max } => {
                format!("The {} can have at most {max} characters; it has {len}. Please shorten it", field.label_en())
            }
            TextControlChar { field } => format!(
                "The {} contains an invisible control character; delete it and type the text again",
                field.label_en()
            ),
            PhoneBlank => "Please enter a phone number".into(),
            PhoneInvalidChars => "A phone number may only contain digits and '-'".into(),
            MobileWrongLength { len } => {
                format!("A mobile number has 11 digits; this one has {len}")
            }
            MobileBadPrefix => "A mobile number starts with 13 to 19; please check it".into(),
            FixedLineMalformed => "Write a landline as area code, '-', number, e.g. 023-12345678".into(),
            PhoneUnknownKind => "A phone number starts with 1 (mobile) or 0 (landline area code)".into(),
            BirthYearInFuture { year, current } => {
                format!("Birth year {year} is after this year ({current}); please check it")
            }
            BirthYearTooEarly { year } => {
                format!("Birth year {year} is before 1900; please check it")
            }
            IdCardWrongLength { len } => {
                format!("An ID-card number has 18 characters; this one has {len}")
            }
            IdCardInvalidChars => "An ID-card number is 17 digits then a digit or X".into(),
            IdCardBadBirthDate => "The birth date in the ID-card number (characters 7-14) does not exist".into(),
            IdCardBadCheckDigit => "The ID-card number fails its check digit; a digit may be mistyped".into(),
            SatisfactionOutOfRange { value } => {
                format!("Satisfaction is 1 to 5 stars; got {value}")
            }
            LatitudeOutOfRange { .. } => "Latitude must be between -90 and 90; locate again".into(),
            LongitudeOutOfRange { .. } => "Longitude must be between -180 and 180; locate again".into(),
            DateInvalid { input } => format!("\"{input}\" is not a valid date; use 2024-05-01"),
            GridCodeMalformed { input } => format!("Grid code \"{input}\" must be 15 digits"),
            GridCodeLevelMismatch { level, .. } => {
                format!("The grid code does not fit the level \"{}\"", level.label_en())
            }
            GridCodeNotUnderParent { .. } => "A grid code must start with its parent's code".into(),
            GridLevelNotBelowParent { .. } => "A grid must be a level below its parent".into(),
            DuplicateGridId { grid } => format!("Grid id {grid} appears twice"),
            UnknownGrid { grid } => format!("Grid {grid} is unknown; please sync first"),
            OutOfScope { .. } => "This grid is outside your area; ask the grid above you to handle it".into(),
            PhotoHashMalformed { .. } => "A photo hash (SHA-256) is 64 lowercase hex characters".into(),
            TooManyPhotos { count, max } => format!("At most {max} photos per step; this one has {count}. Remove some"),
            Transition(t) => t.message_en(),
            Mediation(m) => m.message_en(),
            List(l) => l.message_en(),
            Task(t) => t.message_en(),
            Emergency(e) => e.message_en(),
        }
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
