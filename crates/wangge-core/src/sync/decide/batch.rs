//! The batch walk: given the last seq stored for a client and a push's seqs, which are
//! answered again from stored results, which are applied, or the first gap — which refuses
//! the whole push, so nothing is ever applied out of order.

use crate::sync::rules::{check_seq, SeqDecision};

/// What to do with one mutation of a push, in the push's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqStep {
    /// Stored before (a retry): answer again from the stored result, change nothing.
    AnswerAgain,
    /// The next seq: apply it (applied, conflicted or refused, it is consumed either way).
    Apply,
}

/// A push that may go ahead: one step per mutation, and the seq stored afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchPlan {
    pub steps: Vec<SeqStep>,
    pub acked_seq: u64,
}

/// A seq is missing before one the push carries: the push is refused whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeqGap {
    pub expected: u64,
}

/// ```
/// use wangge_core::sync::{plan_batch, SeqGap, SeqStep};
/// let plan = plan_batch(4, [3, 4, 5, 6]).unwrap();
/// assert_eq!(plan.steps, [SeqStep::AnswerAgain, SeqStep::AnswerAgain, SeqStep::Apply, SeqStep::Apply]);
/// assert_eq!(plan.acked_seq, 6);
/// assert_eq!(plan_batch(4, [5, 7]), Err(SeqGap { expected: 6 }));
/// ```
pub fn plan_batch(last_stored: u64, seqs: impl IntoIterator<Item = u64>) -> Result<BatchPlan, SeqGap> {
    let mut last = last_stored;
    let mut steps = Vec::new();
    for seq in seqs {
        match check_seq(last, seq) {
            SeqDecision::Duplicate => steps.push(SeqStep::AnswerAgain),
            SeqDecision::Next => {
                steps.push(SeqStep::Apply);
                last = seq;
            }
            SeqDecision::Gap { expected } => return Err(SeqGap { expected }),
        }
    }
    Ok(BatchPlan { steps, acked_seq: last })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_push_applies_every_seq_in_order() {
        let plan = plan_batch(0, [1, 2, 3]).unwrap();
        assert_eq!(plan.steps, [SeqStep::Apply; 3]);
        assert_eq!(plan.acked_seq, 3);
    }

    #[test]
    fn a_retried_push_is_answered_again_and_applies_nothing() {
        let plan = plan_batch(3, [1, 2, 3]).unwrap();
        assert_eq!(plan.steps, [SeqStep::AnswerAgain; 3]);
        assert_eq!(plan.acked_seq, 3, "the stored seq does not move back");
    }

    #[test]
    fn a_seq_repeated_inside_one_push_is_answered_again() {
        let plan = plan_batch(0, [1, 2, 1]).unwrap();
        assert_eq!(plan.steps, [SeqStep::Apply, SeqStep::Apply, SeqStep::AnswerAgain]);
    }

    #[test]
    fn a_gap_anywhere_refuses_the_whole_push_even_after_good_seqs() {
        assert_eq!(plan_batch(0, [1, 2, 4]), Err(SeqGap { expected: 3 }));
        assert_eq!(plan_batch(7, [9]), Err(SeqGap { expected: 8 }));
    }

    #[test]
    fn an_empty_push_keeps_the_stored_seq() {
        assert_eq!(plan_batch(5, []), Ok(BatchPlan { steps: vec![], acked_seq: 5 }));
    }
}
