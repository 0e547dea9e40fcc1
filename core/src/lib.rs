#![doc = include_str!("../../README.md")]
//!
//! # Modules
//!
//! The modules follow the flow of one request (see `DESIGN.md`):
//! [`url`] canonicalizes, [`lists`] parses vendor lists, [`bundle`] compiles
//! them into an immutable artefact, [`classify`] matches a URL against it,
//! [`policy`] decides what a user may do, [`export`] writes a bundle and a
//! policy as other engines' rules, and [`incident`] assesses what to do when
//! something goes wrong.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bundle;
pub mod classify;
pub mod datetime;
mod document;
mod error_code;
pub mod export;
pub mod incident;
pub mod lists;
pub mod policy;
pub mod sample;
#[cfg(feature = "signing")]
pub mod signing;
mod sorted;
pub mod taxonomy;
pub mod tzdb;
pub mod url;

pub use error_code::ErrorCode;
pub use incident::{Assessment, EscalationProfile, Incident, assess};
pub use policy::{Action, Decision, Engine, Policy, PolicyError, Request};
pub use taxonomy::{Category, CategorySet};
pub use url::{CanonicalUrl, UrlError};
