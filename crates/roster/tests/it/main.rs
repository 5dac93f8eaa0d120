//! Integration tests: one binary, so the crate and its dependencies link once.

mod common;
mod csv_files;
mod errors;
mod export;
mod id;
mod rows;
mod xls;
mod xlsx;
