//! What the content tests share: the installed e2guardian phrase lists,
//! e2guardian itself as a proxy, and a corpus of pages.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::string_slice,
    unreachable_pub,
    missing_docs,
    reason = "test harness: a failed setup step should fail the test loudly"
)]

pub mod e2guardian;
pub mod lists;
pub mod pages;
#[path = "../e2guardian_proxy/mod.rs"]
pub mod proxy;
