#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! The modules follow the flow of one request (see `DESIGN.md`):
//! [`url`] canonicalizes, [`lists`] parses vendor lists, [`bundle`] compiles
//! them into an immutable artefact, [`classify`] matches a URL against it,
//! `content` scores page text and search terms with weighted phrase lists,
//! [`policy`] decides what a user may do, [`export`] writes a bundle and a
//! policy as other engines' rules, [`incident`] assesses what to do when
//! something goes wrong, and [`record`] keeps who asked for what, when, and
//! why it was decided so. [`file`](mod@file) is the one place core opens a file a
//! caller names (regular files only, under a size limit).
//!
//! # Features
//!
//! All on by default; a face that needs less turns the default off and
//! names what it keeps (the WebAssembly extension build keeps none: it
//! loads bundles, classifies and decides with JSON policies).
//!
//! | feature | adds |
//! |---|---|
//! | `compile` | the list parsers ([`lists::parse`]), the bundle builder ([`bundle::BundleBuilder`]), regex syntax and the DFA builder, the built-in sample bundle ([`sample`]) |
//! | `toml` | TOML documents (policies, incident files, escalation profiles) through the `toml` crate; without it documents are JSON |
//! | `lint` | the policy linter ([`policy::lint()`]) |
//! | `incident` | the incident model ([`incident`]; needs `toml` for its escalation profiles) |
//! | `schema` | the policy's JSON Schema ([`policy::json_schema`], through `schemars`) |
//! | `report` | filtering and monitoring reports from decision records ([`report`]; needs `incident`) |
//! | `fuzzing` | test hooks for the fuzz targets, tests and benches; never for production |
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bundle;
pub mod classify;
pub mod content;
pub mod datetime;
mod document;
mod error_code;
pub mod export;
pub mod file;
mod ident;
#[cfg(feature = "incident")]
pub mod incident;
#[cfg(any(feature = "compile", feature = "content"))]
mod include_path;
pub mod limits;
pub mod lists;
pub mod policy;
#[cfg(feature = "incident")]
pub mod record;
#[cfg(feature = "report")]
pub mod report;
#[cfg(feature = "compile")]
pub mod sample;
#[cfg(feature = "signing")]
pub mod signing;
mod sorted;
pub mod taxonomy;
pub mod tzdb;
pub mod url;

pub use error_code::ErrorCode;
#[cfg(feature = "incident")]
pub use incident::{Assessment, EscalationProfile, Incident, assess};
pub use limits::Limits;
pub use policy::{Action, Decision, Engine, Policy, PolicyError, Request};
pub use taxonomy::{Category, CategorySet};
pub use url::{CanonicalUrl, UrlError};
