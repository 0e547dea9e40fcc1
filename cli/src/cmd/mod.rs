//! One module per subcommand.

pub(crate) mod aup;
pub(crate) mod canonicalize;
pub(crate) mod check;
pub(crate) mod classify;
pub(crate) mod compile;
pub(crate) mod compile_policy;
pub(crate) mod dnr;
pub(crate) mod incident;
pub(crate) mod lint;
pub(crate) mod phrases;
pub(crate) mod report;
pub(crate) mod scan;
pub(crate) mod sign;
pub(crate) mod site;
pub(crate) mod squid_helper;
