//! The rules a case must keep, checked by the server on every merged write and by the
//! phone before it saves: a term is kept only after the agreement it belongs to; what
//! comes next is said when, and only when, mediation failed; sessions and terms name the
//! case's own parties. And what is derived from dates, `now` passed in: a term's status
//! (overdue once its due day has passed unkept) and the mediator's reminders.

use super::{Case, Fulfilment, OutcomeKind, Term};
use crate::{CaseId, Date, EntryId, Millis, PersonId, DAY_MILLIS};

/// How many days ahead a term's due date shows on the mediator's Today.
pub const REMINDER_DAYS: i64 = 3;

/// Why a case does not hold together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediationError {
    /// A term is recorded as kept, but no agreement was signed, or it was kept on a day
    /// before the signing.
    #[error("term {term} kept before the agreement")]
    TermKeptBeforeAgreement { term: EntryId },
    /// Mediation failed without saying what comes next.
    #[error("no agreement without a next step")]
    NextStepMissing,
    /// A next step on a case that did not fail.
    #[error("a next step on a case that did not fail")]
    NextStepNotApplicable,
    /// A session or term names a party the case does not have.
    #[error("unknown party {party}")]
    UnknownParty { party: EntryId },
    /// A money term of nothing.
    #[error("term {term} has a zero amount")]
    AmountNotPositive { term: EntryId },
    /// The case ended before it was accepted.
    #[error("outcome before acceptance")]
    OutcomeBeforeAcceptance,
    /// An ID-card tail that is not four digits (the last may be X).
    #[error("ID tail is not four characters")]
    IdTailInvalid,
}

impl MediationError {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            MediationError::TermKeptBeforeAgreement { .. } => "term_kept_before_agreement",
            MediationError::NextStepMissing => "next_step_missing",
            MediationError::NextStepNotApplicable => "next_step_not_applicable",
            MediationError::UnknownParty { .. } => "unknown_party",
            MediationError::AmountNotPositive { .. } => "amount_not_positive",
            MediationError::OutcomeBeforeAcceptance => "outcome_before_acceptance",
            MediationError::IdTailInvalid => "id_tail_invalid",
        }
    }

    /// What to do, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            MediationError::TermKeptBeforeAgreement { .. } => {
                "协议签订之前不能登记条款履行,请先登记“达成协议”及签订日期".into()
            }
            MediationError::NextStepMissing => "调解不成时请选择后续途径:引导诉讼、申请仲裁或提交上级调解".into(),
            MediationError::NextStepNotApplicable => "只有调解不成的案件才填写后续途径".into(),
            MediationError::UnknownParty { .. } => "所选当事人不在本案当事人名单中,请先添加当事人".into(),
            MediationError::AmountNotPositive { .. } => "金额须大于0;不涉及金额的条款请不填金额".into(),
            MediationError::OutcomeBeforeAcceptance => "结案日期不能早于受理日期".into(),
            MediationError::IdTailInvalid => "身份证号只记后四位(数字,最后一位可为X)".into(),
        }
    }

    /// What to do, in English.
    pub fn message_en(&self) -> String {
        match self {
            MediationError::TermKeptBeforeAgreement { .. } => {
                "A term cannot be kept before the agreement is signed; record the agreement and its date first".into()
            }
            MediationError::NextStepMissing => {
                "When mediation fails, choose what comes next: litigation, arbitration or a higher mediation body"
                    .into()
            }
            MediationError::NextStepNotApplicable => "Only a case without agreement has a next step".into(),
            MediationError::UnknownParty { .. } => "That party is not on this case; add the party first".into(),
            MediationError::AmountNotPositive { .. } => {
                "An amount must be above zero; leave it empty for a term without money".into()
            }
            MediationError::OutcomeBeforeAcceptance => "A case cannot end before it was accepted".into(),
            MediationError::IdTailInvalid => {
                "Keep only the last four characters of the ID number (digits, X last)".into()
            }
        }
    }
}

/// Checks that `case` holds together (see the module's rules).
pub fn check(case: &Case) -> Result<(), MediationError> {
    let parties = &case.entries.parties;
    let known = |party: &EntryId| {
        if parties.contains_key(party) {
            Ok(())
        } else {
            Err(MediationError::UnknownParty { party: party.clone() })
        }
    };
    for p in parties.values() {
        if let Some(tail) = &p.id_last4 {
            let ok = tail.chars().count() == 4
                && tail.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || (i == 3 && (c == 'X' || c == 'x')));
            if !ok {
                return Err(MediationError::IdTailInvalid);
            }
        }
    }
    for s in case.entries.sessions.values() {
        s.met.iter().try_for_each(known)?;
    }
    let agreed = case.agreed_at().map(Date::of_millis);
    for (id, t) in &case.entries.terms {
        t.from.iter().chain(t.to.iter()).try_for_each(known)?;
        if t.amount_fen == Some(0) {
            return Err(MediationError::AmountNotPositive { term: id.clone() });
        }
        if let Some(kept) = &t.kept {
            if agreed.is_none_or(|day| Date::of_millis(kept.at) < day) {
                return Err(MediationError::TermKeptBeforeAgreement { term: id.clone() });
            }
        }
    }
    if let Some(outcome) = &case.outcome {
        if Date::of_millis(outcome.at) < Date::of_millis(case.accepted_at) {
            return Err(MediationError::OutcomeBeforeAcceptance);
        }
        match (outcome.kind, outcome.next) {
            (OutcomeKind::NoAgreement, None) => return Err(MediationError::NextStepMissing),
            (OutcomeKind::Agreement | OutcomeKind::Withdrawn, Some(_)) => {
                return Err(MediationError::NextStepNotApplicable)
            }
            _ => {}
        }
    }
    Ok(())
}

labelled_enum! {
    /// Where one term of an agreement stands on a given day.
    pub enum TermStatus {
        /// 未到期: not yet due (or no date agreed).
        Pending = "pending", "未到期", "Not yet due";
        /// 即将到期: due within [`REMINDER_DAYS`] days.
        DueSoon = "due_soon", "即将到期", "Due soon";
        /// 部分履行, not yet overdue.
        Partly = "partly", "部分履行", "Partly kept";
        /// 已逾期: the due day has passed and it is not kept in full.
        Overdue = "overdue", "已逾期", "Overdue";
        /// 已履行.
        Fulfilled = "fulfilled", "已履行", "Kept";
    }
}

/// `term`'s status on the day of `now`. A term of a case without a signed agreement is a
/// draft: pending whatever its date.
pub fn term_status(term: &Term, agreed: bool, now: Millis) -> TermStatus {
    let kept = term.kept.as_ref().map(|k| k.how);
    if kept == Some(Fulfilment::Full) {
        return TermStatus::Fulfilled;
    }
    if !agreed {
        return TermStatus::Pending;
    }
    let today = Date::of_millis(now);
    match term.due.map(Date::of_millis) {
        Some(due) if due < today => TermStatus::Overdue,
        _ if kept == Some(Fulfilment::Partly) => TermStatus::Partly,
        Some(due) if today.days_until(due) <= REMINDER_DAYS => TermStatus::DueSoon,
        _ => TermStatus::Pending,
    }
}

/// A term the mediator should see on Today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// The case.
    pub case: CaseId,
    /// The term.
    pub term: EntryId,
    /// Overdue or due soon.
    pub status: TermStatus,
    /// Its due day.
    pub due: Millis,
}

/// The terms of agreements `person` mediates (or recorded) that are overdue or due within
/// [`REMINDER_DAYS`] days, the most pressing first.
pub fn reminders<'a>(cases: impl IntoIterator<Item = &'a Case>, person: &PersonId, now: Millis) -> Vec<Reminder> {
    let mut out = Vec::new();
    for case in cases {
        let mine = case.mediators.contains(person) || &case.recorder == person;
        if !mine || case.agreed_at().is_none() {
            continue;
        }
        for (id, term) in case.terms_in_order() {
            let status = term_status(term, true, now);
            if let (TermStatus::Overdue | TermStatus::DueSoon, Some(due)) = (status, term.due) {
                out.push(Reminder { case: case.id.clone(), term: id.clone(), status, due });
            }
        }
    }
    crate::sort::sort_by_key(&mut out, |r| (r.due / DAY_MILLIS, r.case.clone(), r.term.clone()));
    out
}
