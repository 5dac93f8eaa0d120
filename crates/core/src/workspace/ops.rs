//! Every kind of queued request, from the features that own them. A feature's requests are
//! declared in its own `op.rs`; listing them here is the one line it adds to shared code.

use crate::outbox::OpKind;
use crate::{appeals, application, inbox, listings, selfcheck};

pub(crate) static OPS: [&OpKind; 10] = [
    &selfcheck::op::UPDATE_PROFILE,
    &appeals::op::CREATE,
    &appeals::op::MESSAGE,
    &appeals::op::RATE,
    &listings::op::CREATE,
    &listings::op::WITHDRAW,
    &listings::op::UPDATE,
    &application::op::SUBMIT,
    &application::op::RESUBMIT,
    &inbox::op::MARK_READ,
];

pub(crate) fn find(kind: &str) -> Option<&'static OpKind> {
    OPS.iter().copied().find(|o| o.kind == kind)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_is_listed_once() {
        let mut kinds: Vec<&str> = super::OPS.iter().map(|o| o.kind).collect();
        kinds.sort_unstable();
        let n = kinds.len();
        kinds.dedup();
        assert_eq!(kinds.len(), n, "a request kind is listed twice");
    }
}
