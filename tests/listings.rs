//! 供需对接 in the core, against a real `yiqifu-central`: the market pulled and browsed
//! offline, withdrawals and expiries leaving it, own listings posted and edited offline and
//! sent in order, expiry seen on the day with no network, the same matches as the
//! service's, a match told in the inbox, and a validator of the market per enterprise.

mod listings {
    pub mod common;
    mod market;
    mod own;
}
