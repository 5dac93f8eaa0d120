//! The fixtures are the crate's own samples, shared with the other crates' tests.
#![allow(unused_imports)]

pub use yiqifu_files::samples::*;
