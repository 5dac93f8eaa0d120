//! Material files for Yiqifu: checking a file against a material's rule by its content
//! ([`check`]), and packing an application's materials into a deterministic zip
//! ([`package`]). The desktop client and the central service both use it, so a file is
//! judged the same way on both sides.

pub mod check;
mod error;
pub mod package;
pub mod samples;

pub use check::{check_file, check_name, sniff, Checked, Format, Found, Limits};
pub use error::{io_cause, io_reason, size_text, Error};
pub use package::{
    entry_path, verify_package, write_package, write_package_to, Entry, Manifest, ManifestFile,
    ManifestSelfCheck, Packed,
};

/// The names the design gives the two halves' errors: one type for the whole crate.
pub type Problem = Error;
pub type PackageError = Error;
