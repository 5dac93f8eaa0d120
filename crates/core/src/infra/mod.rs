//! The plumbing every feature shares: the databases, the outbox, pulls, the HTTP client, the
//! keychain, the material store, errors and change notices.

pub mod changes;
pub(crate) mod checked;
pub mod client;
pub mod clock;
pub mod data_folder;
pub mod error;
pub mod materials;
pub mod outbox;
pub mod pull;
pub mod records;
pub mod secrets;
pub(crate) mod shared;
pub mod store;
