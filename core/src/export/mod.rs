//! A bundle and a policy as other engines' rules.
//!
//! - [`dnr`]: Chromium's declarativeNetRequest rules, for a browser
//!   extension installed without policy (so without a blocking
//!   `webRequest` listener): the browser applies them to every request
//!   before it is sent, with no extension code running.
//!
//! An export never holds an entry of a sensitive list (`child-abuse`,
//! `terrorism`): those exist in a bundle only as digests (DESIGN.md
//! invariant 2), and another engine's rules would need their plaintext.
//! Each export says exactly what it covers and what it leaves to the
//! esafety engine.

pub mod dnr;
