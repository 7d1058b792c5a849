//! What can go wrong writing to the phone's storage, in words a grid worker can act on.
//! Every failure reaches the screen; the action can be tried again. Nothing is dropped.

use indexed_db_futures::error::{DomException, Error};
use wasm_bindgen::JsValue;

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// The phone's storage is full.
    QuotaExceeded,
    /// IndexedDB is not available (private browsing, or disabled).
    Unavailable,
    /// The record already exists (e.g. saved twice).
    AlreadyExists,
    /// A record read back did not have the expected shape.
    Corrupt(String),
    /// A record that does not hold together (a field the core refuses), e.g. from an edit.
    Invalid(String),
    /// Anything else the browser reported.
    Other(String),
}

impl StoreError {
    pub(crate) fn from_js(value: JsValue) -> StoreError {
        let name = js_sys::Reflect::get(&value, &"name".into()).ok().and_then(|n| n.as_string());
        match name.as_deref() {
            Some("QuotaExceededError") => StoreError::QuotaExceeded,
            Some("ConstraintError") => StoreError::AlreadyExists,
            Some("InvalidStateError" | "SecurityError") => StoreError::Unavailable,
            _ => StoreError::Other(format!("{value:?}")),
        }
    }

    /// The message shown to the worker.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (StoreError::QuotaExceeded, Lang::Zh) => "手机存储空间已满，未能保存。请清理空间后重试，已填写的内容仍在。".into(),
            (StoreError::QuotaExceeded, Lang::En) => "The phone's storage is full, so this was not saved. Free some space and try again; what you typed is kept.".into(),
            (StoreError::Unavailable, Lang::Zh) => "浏览器不允许本地存储（可能处于无痕模式）。请用普通模式打开网格通后重试。".into(),
            (StoreError::Unavailable, Lang::En) => "The browser does not allow local storage (private mode?). Open Wangge in a normal window and try again.".into(),
            (StoreError::AlreadyExists, Lang::Zh) => "这条记录已经保存过了。".into(),
            (StoreError::AlreadyExists, Lang::En) => "This record has already been saved.".into(),
            (StoreError::Invalid(why), Lang::Zh) => format!("内容不符合要求，未保存：{why}"),
            (StoreError::Invalid(why), Lang::En) => format!("Not saved: the record does not hold together ({why})."),
            (StoreError::Corrupt(_) | StoreError::Other(_), Lang::Zh) => "保存失败，请重试。如果反复失败，请在设置中导出数据并联系管理员。".into(),
            (StoreError::Corrupt(_) | StoreError::Other(_), Lang::En) => "Saving failed; please try again. If it keeps failing, export your data in Settings and contact support.".into(),
        }
    }
}

impl From<Error> for StoreError {
    fn from(err: Error) -> StoreError {
        match err {
            Error::DomException(DomException::ConstraintError(_)) => StoreError::AlreadyExists,
            Error::DomException(DomException::InvalidStateError(_)) => StoreError::Unavailable,
            Error::DomException(DomException::Other(e)) if e.name() == "QuotaExceededError" => {
                StoreError::QuotaExceeded
            }
            Error::Serialisation(e) => StoreError::Corrupt(e.to_string()),
            Error::MissingData(e) => StoreError::Corrupt(e.to_string()),
            other => StoreError::Other(other.to_string()),
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StoreError {
    fn from(err: indexed_db_futures::error::OpenDbError) -> StoreError {
        match err {
            indexed_db_futures::error::OpenDbError::Base(e) => e.into(),
            _ => StoreError::Unavailable,
        }
    }
}
