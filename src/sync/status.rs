//! What the worker sees of sync, always: changes waiting to go, when the phone last synced,
//! and the last problem in plain words (Chinese by default).

use crate::i18n::sync::SyncMsg;
use crate::i18n::{Lang, Text};
use crate::store::StoreError;

use super::api::ApiError;
use super::engine::SyncError;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncStatus {
    /// A round is under way.
    pub running: bool,
    /// Changes the round under way has sent and received so far (a first pull at a
    /// community runs to tens of thousands, so the worker sees it moving).
    pub sent: u32,
    pub received: u32,
    /// Changes on this phone not yet acknowledged by the server.
    pub pending: u32,
    /// Photos on this phone not yet on the server, and uploads it refused for good.
    pub photos_pending: u32,
    pub photos_refused: u32,
    /// Field conflicts waiting for someone to settle.
    pub conflicts: u32,
    /// Changes the server refused, waiting for the worker to read.
    pub rejected: u32,
    /// When the last round finished well (unix ms), kept across reloads.
    pub last_synced: Option<f64>,
    /// This phone's clock minus the server's (ms), from the last answer.
    pub clock_skew: Option<f64>,
    pub problem: Option<Problem>,
}

/// Why the last round did not finish.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Offline,
    LoginExpired,
    /// The server's refusal as sent: its code and its (Chinese) message.
    Refused {
        code: String,
        message: String,
    },
    ServerDown,
    Storage(StoreError),
    Stuck,
}

impl Problem {
    pub fn from_error(e: &SyncError) -> Problem {
        match e {
            SyncError::Api(ApiError::Offline) => Problem::Offline,
            SyncError::Api(ApiError::Unauthorized { .. }) => Problem::LoginExpired,
            SyncError::Api(ApiError::Refused { code, message, .. }) => {
                Problem::Refused { code: code.clone(), message: message.clone() }
            }
            SyncError::Api(ApiError::Server { .. }) => Problem::ServerDown,
            // Handled inside a round; reaching here means it kept happening.
            SyncError::Api(ApiError::EpochMismatch { .. }) => Problem::Stuck,
            SyncError::Store(s) => Problem::Storage(s.clone()),
            SyncError::Stuck => Problem::Stuck,
        }
    }

    /// The message shown under the sync badge.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Problem::Offline => SyncMsg::ProblemOffline.text(lang).into(),
            Problem::LoginExpired => SyncMsg::ProblemLogin.text(lang).into(),
            Problem::Refused { code, message } => {
                let reason = crate::i18n::core_text::refusal_text(code, message, lang);
                format!("{}{reason}", SyncMsg::ProblemRefused.text(lang))
            }
            Problem::ServerDown => SyncMsg::ProblemServer.text(lang).into(),
            Problem::Storage(e) => e.message(lang),
            Problem::Stuck => SyncMsg::ProblemStuck.text(lang).into(),
        }
    }
}

/// A phone clock further off than this gets a warning: the server places a step dated
/// more than five minutes ahead of its own clock at its receipt (core `MAX_AHEAD`), and a
/// wrong clock also misdates visits and due dates.
const CLOCK_TOLERANCE_MS: f64 = wangge_core::issue::MAX_AHEAD as f64;

/// The warning for a phone whose clock is off, if it is: "ahead / behind by about N".
pub fn clock_warning(skew: Option<f64>, lang: Lang) -> Option<String> {
    let skew = skew?;
    if skew.abs() <= CLOCK_TOLERANCE_MS {
        return None;
    }
    let minutes = (skew.abs() / 60_000.0).round() as u64;
    let (amount, unit) = if minutes >= 120 * 24 {
        (minutes / (60 * 24), SyncMsg::ClockDays)
    } else if minutes >= 120 {
        (minutes / 60, SyncMsg::ClockHours)
    } else {
        (minutes, SyncMsg::ClockMinutes)
    };
    let direction = if skew > 0.0 { SyncMsg::ClockAhead } else { SyncMsg::ClockBehind };
    Some(format!("{}{amount}{}{}", direction.text(lang), unit.text(lang), SyncMsg::ClockFix.text(lang)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_clock_off_by_more_than_five_minutes_is_named_with_its_direction() {
        assert_eq!(clock_warning(None, Lang::Zh), None);
        assert_eq!(clock_warning(Some(4.0 * 60_000.0), Lang::Zh), None, "drift is fine");
        assert_eq!(
            clock_warning(Some(-20.0 * 60_000.0), Lang::Zh).unwrap(),
            "手机时间比实际慢了约20分钟，请在手机设置中校准时间，否则记录的时间会不准。"
        );
        let years = 74.0 * 365.0 * 24.0 * 3_600_000.0;
        assert_eq!(
            clock_warning(Some(years), Lang::En).unwrap(),
            "This phone's clock is ahead by about 27010 days. Set the right time in the phone's settings, or what you record will be misdated."
        );
    }
}
