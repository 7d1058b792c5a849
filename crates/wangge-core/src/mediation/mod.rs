//! Disputes mediated to a signed agreement (矛盾纠纷调解), as the source reports describe
//! them: an application accepted (受理), sessions with the parties — together or apart
//! (背靠背) — following the 贵和工作法 (listen until tempers cool, reason with law and
//! fairness, move hearts to a handshake), and an outcome: a people's mediation agreement
//! (人民调解协议书) whose terms are then kept to, no agreement (with what comes next), or
//! a withdrawn application.
//!
//! One record type, [`Case`]. Its parties, sessions and agreement terms are keyed fields
//! (`party:<id>`, `session:<id>`, `term:<id>`), so two mediators recording one case
//! offline converge entry by entry, as a meeting's attendees and items do.
//!
//! Parties are personal data: a resident from the roster (their household named) or
//! someone outside it (name, phone); of an ID-card number only the last four characters,
//! as for household members. The case is scoped by its grid like a household.

mod entries;
mod rules;
pub mod stats;

use serde::{Deserialize, Serialize};

pub use entries::{CaseEntries, PARTY_PREFIX, SESSION_PREFIX, TERM_PREFIX};
pub use rules::{check, reminders, term_status, MediationError, Reminder, TermStatus, REMINDER_DAYS};

use crate::{CaseId, CommentText, Description, EntryId, GridId, HouseholdId, IssueId, IssueTitle, Millis, Notes};
use crate::{PersonId, PersonName, Phone, Summary};

labelled_enum! {
    /// What the dispute is about (纠纷类型).
    pub enum DisputeType {
        /// 邻里纠纷.
        Neighbour = "neighbour", "邻里纠纷", "Neighbours";
        /// 婚姻家庭纠纷.
        Family = "family", "婚姻家庭", "Family";
        /// 劳资纠纷 (wages owed).
        Wage = "wage", "劳资纠纷", "Wages";
        /// 土地山林纠纷.
        Land = "land", "土地山林", "Land";
        /// 物业管理纠纷.
        Property = "property", "物业管理", "Property management";
        /// 消费纠纷.
        Consumer = "consumer", "消费纠纷", "Consumer";
        /// 其他.
        Other = "other", "其他", "Other";
    }
}

labelled_enum! {
    /// Which side of the dispute a party is on.
    pub enum PartySide {
        /// 申请人: who brought the dispute.
        Applicant = "applicant", "申请人", "Applicant";
        /// 被申请人.
        Respondent = "respondent", "被申请人", "Respondent";
    }
}

labelled_enum! {
    /// How a session met the parties.
    pub enum SessionMode {
        /// 面对面: together.
        Joint = "joint", "面对面调解", "Together";
        /// 背靠背: each side on its own.
        Separate = "separate", "背靠背调解", "Separately (back to back)";
    }
}

labelled_enum! {
    /// The step of the 贵和工作法 a session was at.
    pub enum Stage {
        /// 请坐、喝茶、慢慢说: listen until tempers cool (气和).
        Listen = "listen", "倾听诉求(气和)", "Listen (calm tempers)";
        /// 讲理、讲法、讲德: reason with law and fairness (理和).
        Reason = "reason", "讲理讲法(理和)", "Reason (law and fairness)";
        /// 讲情、讲规、讲爱: move hearts to a handshake (心融).
        Reconcile = "reconcile", "以情促和(心融)", "Reconcile";
    }
}

labelled_enum! {
    /// How a case ended.
    pub enum OutcomeKind {
        /// 达成协议: a people's mediation agreement signed.
        Agreement = "agreement", "达成协议", "Agreement signed";
        /// 调解不成.
        NoAgreement = "no_agreement", "调解不成", "No agreement";
        /// 撤回申请.
        Withdrawn = "withdrawn", "撤回申请", "Withdrawn";
    }
}

labelled_enum! {
    /// What comes after a mediation that did not agree.
    pub enum NextStep {
        /// 引导诉讼.
        Litigation = "litigation", "引导诉讼", "Litigation";
        /// 劳动/仲裁.
        Arbitration = "arbitration", "申请仲裁", "Arbitration";
        /// 提交上级调解组织.
        Escalate = "escalate", "提交上级调解", "Escalate to a higher mediation body";
    }
}

labelled_enum! {
    /// How far an agreement's term has been kept.
    pub enum Fulfilment {
        /// 已履行: in full.
        Full = "full", "已履行", "Fulfilled";
        /// 部分履行.
        Partly = "partly", "部分履行", "Partly fulfilled";
    }
}

/// One party to the dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Name (a person, or a firm owing wages).
    pub name: PersonName,
    /// Applicant or respondent.
    pub side: PartySide,
    /// Phone, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    /// The last four characters of the ID-card number, if given (never the whole number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_last4: Option<String>,
    /// Their household, when they are a resident on the roster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
}

/// One mediation session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// When.
    pub at: Millis,
    /// Together or back to back.
    pub mode: SessionMode,
    /// The step of the 贵和 method.
    pub stage: Stage,
    /// The parties met (for a back-to-back session, the one side met).
    #[serde(default)]
    pub met: Vec<EntryId>,
    /// What was said and agreed so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Notes>,
    /// Who recorded it.
    pub by: PersonId,
    /// Photos of the session (the signed minutes, the scene), at most
    /// `photo::MAX_PHOTOS_PER_STEP`; absent on older sessions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<crate::photo::PhotoRef>,
}

/// A term's fulfilment as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermKept {
    /// In full or partly.
    pub how: Fulfilment,
    /// On which day (unix milliseconds).
    pub at: Millis,
    /// What was paid or done, if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<CommentText>,
    /// Who recorded it.
    pub by: PersonId,
}

/// One term of the agreement: what, how much, by when, who owes whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// Its place in the agreement (smaller first).
    pub position: u32,
    /// What is to be done ("支付拖欠工资").
    pub what: Summary,
    /// A sum of money, in fen (分), if the term is a payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_fen: Option<u64>,
    /// By when (unix milliseconds, the day's start), if a date was agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Millis>,
    /// The party who owes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<EntryId>,
    /// The party it is owed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<EntryId>,
    /// How it has been kept, once recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept: Option<TermKept>,
    /// Struck out while the agreement was drafted; the field stays so it merges.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

/// How the case ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOutcome {
    /// Agreement, none, or withdrawn.
    pub kind: OutcomeKind,
    /// When (for an agreement, the day it was signed).
    pub at: Millis,
    /// What comes next, after no agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<NextStep>,
    /// Anything said about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<CommentText>,
    /// Who recorded it.
    pub by: PersonId,
}

/// A mediation case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Id.
    pub id: CaseId,
    /// The grid where it is mediated (a village, a community, the town's mediation
    /// committee): its scope, and the rung it was settled at.
    pub grid: GridId,
    /// What the dispute is, in one line ("三名工人讨要拖欠工资").
    pub title: IssueTitle,
    /// Its type.
    pub dispute: DisputeType,
    /// The facts as the application stated them (纠纷事实).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<Description>,
    /// When the application was accepted (受理).
    pub accepted_at: Millis,
    /// Who opened the record (its author).
    pub recorder: PersonId,
    /// The mediators (调解员), from the roster.
    #[serde(default)]
    pub mediators: Vec<PersonId>,
    /// The issue it came from (an issue of category 矛盾纠纷), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<IssueId>,
    /// How it ended, once it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CaseOutcome>,
    /// Parties, sessions and terms, each its own keyed field.
    #[serde(flatten)]
    pub entries: CaseEntries,
}

labelled_enum! {
    /// A case's stage as lists and figures show it.
    pub enum CaseStage {
        /// 已受理: accepted, no session yet.
        Accepted = "accepted", "已受理", "Accepted";
        /// 调解中: sessions held, no outcome yet.
        Mediating = "mediating", "调解中", "Being mediated";
        /// 达成协议.
        Agreed = "agreed", "达成协议", "Agreement signed";
        /// 调解不成.
        NotAgreed = "not_agreed", "调解不成", "No agreement";
        /// 已撤回.
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
}

impl Case {
    /// Where the case stands.
    pub fn stage(&self) -> CaseStage {
        match self.outcome.as_ref().map(|o| o.kind) {
            Some(OutcomeKind::Agreement) => CaseStage::Agreed,
            Some(OutcomeKind::NoAgreement) => CaseStage::NotAgreed,
            Some(OutcomeKind::Withdrawn) => CaseStage::Withdrawn,
            None if self.entries.sessions.is_empty() => CaseStage::Accepted,
            None => CaseStage::Mediating,
        }
    }

    /// The agreement's signing time, if one was signed.
    pub fn agreed_at(&self) -> Option<Millis> {
        self.outcome.as_ref().filter(|o| o.kind == OutcomeKind::Agreement).map(|o| o.at)
    }

    /// The agreement's terms in order (position, then id), those struck out left out.
    pub fn terms_in_order(&self) -> Vec<(&EntryId, &Term)> {
        let mut terms: Vec<_> = self.entries.terms.iter().filter(|(_, t)| !t.removed).collect();
        crate::sort::sort_by_key(&mut terms, |(id, t)| (t.position, (*id).clone()));
        terms
    }

    /// Sessions oldest first.
    pub fn sessions_in_order(&self) -> Vec<(&EntryId, &Session)> {
        let mut sessions: Vec<_> = self.entries.sessions.iter().collect();
        crate::sort::sort_by_key(&mut sessions, |(id, s)| (s.at, (*id).clone()));
        sessions
    }

    /// The sum of the money terms, in fen.
    pub fn total_fen(&self) -> u64 {
        self.terms_in_order().iter().filter_map(|(_, t)| t.amount_fen).sum()
    }
}

#[cfg(test)]
mod tests;
