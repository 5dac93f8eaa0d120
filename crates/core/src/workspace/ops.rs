//! Every kind of queued request, from the features that own them. A feature's requests are
//! declared in its own `op.rs`; listing them here is the one line it adds to shared code.

use crate::infra::changes::Topic;
use crate::outbox::OpKind;
use crate::{appeals, application, inbox, listings, selfcheck};

/// Each kind with the topic its feature's pages listen on: sending or parking one changes
/// what they show (a message no longer unsent, a listing delivered).
static KINDS: [(&OpKind, Topic); 10] = [
    (&selfcheck::op::UPDATE_PROFILE, Topic::SelfCheck),
    (&appeals::op::CREATE, Topic::Appeals),
    (&appeals::op::MESSAGE, Topic::Appeals),
    (&appeals::op::RATE, Topic::Appeals),
    (&listings::op::CREATE, Topic::Listings),
    (&listings::op::WITHDRAW, Topic::Listings),
    (&listings::op::UPDATE, Topic::Listings),
    (&application::op::SUBMIT, Topic::Application),
    (&application::op::RESUBMIT, Topic::Application),
    (&inbox::op::MARK_READ, Topic::Inbox),
];

pub(crate) static OPS: [&OpKind; 10] = {
    let mut ops = [KINDS[0].0; 10];
    let mut i = 0;
    while i < ops.len() {
        ops[i] = KINDS[i].0;
        i += 1;
    }
    ops
};

pub(crate) fn find(kind: &str) -> Option<&'static OpKind> {
    OPS.iter().copied().find(|o| o.kind == kind)
}

/// The topic of the feature whose request `kind` is, if this version knows it.
pub(crate) fn topic_of(kind: &str) -> Option<Topic> {
    KINDS.iter().find(|(o, _)| o.kind == kind).map(|(_, t)| *t)
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
