//! Small pieces the mediation screens share: money in 元 from fen and back, days as the
//! core keeps them (a UTC day's start, like every due date), a party's name, the next due
//! term of a case, and what a form's save says.

use wangge_core::mediation::{term_status, Case, TermStatus};
use wangge_core::{Date, DomainError, EntryId, Millis};

/// `3200.00` from 320000 fen: always two decimals, as an agreement states a sum.
pub fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// A sum that is not a number of 元 with at most two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadAmount;

/// A sum typed in 元 (`3200`, `3200.5`, `3,200.50`, `¥3200`) in fen; empty is none. `Err`
/// for anything else (the form says how to write it).
pub fn parse_yuan(input: &str) -> Result<Option<u64>, BadAmount> {
    let s: String = input.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| *c != ',' && *c != '，').collect();
    if s.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 12 || frac.len() > 2 || !digits(whole) || !digits(frac) {
        return Err(BadAmount);
    }
    let whole: u64 = whole.parse().map_err(|_| BadAmount)?;
    let frac: u64 = format!("{frac:0<2}").parse().map_err(|_| BadAmount)?;
    Ok(Some(whole * 100 + frac))
}

/// `2026-12-07`: the day an instant falls on, as the core counts days.
pub fn day(at: Millis) -> String {
    Date::of_millis(at).to_string()
}

/// The start of a day typed in a date input (`2026-12-07`).
pub fn parse_day(input: &str) -> Result<Millis, DomainError> {
    Date::parse(input.trim()).map(Date::start_millis)
}

/// Today for a date input.
pub fn today() -> String {
    day(crate::format::now_ms())
}

/// A party's name on this case, or its id if it is gone.
pub fn party_name(case: &Case, id: &EntryId) -> String {
    case.entries.parties.get(id).map(|p| p.name.to_string()).unwrap_or_else(|| id.to_string())
}

/// The case's next term to keep: the earliest due not yet kept in full, with its status.
pub fn next_due(case: &Case, now: Millis) -> Option<(Millis, TermStatus)> {
    let agreed = case.agreed_at().is_some();
    case.terms_in_order()
        .into_iter()
        .filter_map(|(_, t)| t.due.map(|d| (d, term_status(t, agreed, now))))
        .filter(|(_, s)| *s != TermStatus::Fulfilled)
        .min_by_key(|(d, _)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn yuan_round_trips_through_fen() {
        assert_eq!(parse_yuan("3200"), Ok(Some(320_000)));
        assert_eq!(parse_yuan("¥3,200.5"), Ok(Some(320_050)));
        assert_eq!(parse_yuan(" "), Ok(None));
        assert_eq!(parse_yuan("3.141"), Err(BadAmount));
        assert_eq!(parse_yuan("abc"), Err(BadAmount));
        assert_eq!(yuan(320_050), "3200.50");
        assert_eq!(yuan(5), "0.05");
    }
}
