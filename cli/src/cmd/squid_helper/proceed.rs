//! Warn and proceed through a `url-rewrite` helper (core
//! `esafety::record::{ProceedKey, ProceedLink, ProceedPasses}`).
//!
//! A warned request is redirected to the block page with `action=warn` and
//! `proceed=ADDRESS`: the page's "continue" link. That address is on the
//! reserved host `proceed.esafety.invalid`, so the browser's request for it
//! comes back through Squid to this helper, which checks its token (made
//! with a key drawn at start-up, for this user or client address and this
//! URL), decides the URL again and, if it is still only a warning, grants
//! one pass and redirects to the URL. The next request for it from the same
//! person goes ahead, recorded as `proceeded`. A forged, expired or
//! malformed address is blocked (fail closed); a URL that is blocked by now
//! stays blocked.

use esafety::CanonicalUrl;
use esafety::policy::{Action, DecisionReport};
use esafety::record::{Checked, Identity, ProceedKey, ProceedLink, ProceedPasses};

/// The key and the waiting passes of one helper process.
pub(crate) struct Proceeding {
    key: ProceedKey,
    passes: ProceedPasses,
}

/// What a proceed address asks of the helper.
pub(crate) enum Step {
    /// Not a proceed address: decide it as any request.
    NotProceed,
    /// Checked, and the URL is still only warned: redirect to it, as it
    /// was requested (one pass is granted for its canonical form).
    Continue(String),
    /// Refused (forged, expired, malformed) or no longer a warning: answer
    /// this report (a block, or the URL's own decision).
    Answer(Box<DecisionReport>),
}

impl Proceeding {
    /// A helper's proceeding with a fresh random key.
    pub(crate) fn new() -> anyhow::Result<Proceeding> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)
            .map_err(|e| anyhow::anyhow!("cannot draw the proceed key: {e}"))?;
        Ok(Proceeding {
            key: ProceedKey::new(&key)?,
            passes: ProceedPasses::new(),
        })
    }

    /// Who a pass or token is for: the user name, else the client address,
    /// else nobody in particular.
    fn who(identity: &Identity<'_>) -> String {
        match (identity.user, identity.client_ip) {
            (Some(user), _) => format!("user:{user}"),
            (None, Some(ip)) => format!("ip:{ip}"),
            (None, None) => String::new(),
        }
    }

    /// The proceed address to offer on the page of a warned report.
    pub(crate) fn link(
        &self,
        report: &DecisionReport,
        identity: &Identity<'_>,
        now: jiff::Timestamp,
    ) -> Option<String> {
        if report.action != Action::Warn {
            return None;
        }
        self.key.link(&Self::who(identity), &report.url, now)
    }

    /// Reads `input` as a proceed address; `decide` decides a URL for the
    /// same person (with a record, which is not logged: the address is not
    /// a request for a page).
    pub(crate) fn step(
        &mut self,
        input: &str,
        identity: &Identity<'_>,
        now: jiff::Timestamp,
        decide: impl FnOnce(&str) -> Checked,
    ) -> Step {
        let (url, token) = match ProceedLink::parse(input) {
            ProceedLink::NotProceed => return Step::NotProceed,
            ProceedLink::Proceed { url, token } => (url, token),
            _ => {
                return Step::Answer(Box::new(DecisionReport::error(
                    "",
                    "the proceed address is malformed; use the link of the warning page",
                )));
            }
        };
        let canonical = match CanonicalUrl::parse(&url) {
            Ok(canonical) => canonical,
            Err(e) => return Step::Answer(Box::new(DecisionReport::error("", e))),
        };
        if let Err(e) = self
            .key
            .check(&token, &Self::who(identity), &canonical, now)
        {
            return Step::Answer(Box::new(DecisionReport::error("", e)));
        }
        match decide(&url).outcome {
            Ok(report) if report.action == Action::Warn => {
                self.passes.grant(&Self::who(identity), &canonical, now);
                // To the URL as it was requested (the canonical form drops
                // the port, for one).
                Step::Continue(url)
            }
            Ok(report) => Step::Answer(Box::new(report)),
            Err(e) => Step::Answer(Box::new(DecisionReport::error("", e))),
        }
    }

    /// Uses a pass for a warned request: the record is marked `proceeded`
    /// and the report becomes the allow it now is. Whether a pass was used.
    pub(crate) fn take(
        &mut self,
        checked: &mut Checked,
        identity: &Identity<'_>,
        now: jiff::Timestamp,
    ) -> bool {
        if self.passes.is_empty() {
            return false;
        }
        let Ok(report) = &mut checked.outcome else {
            return false;
        };
        if report.action != Action::Warn {
            return false;
        }
        let Ok(url) = CanonicalUrl::parse(&report.canonical) else {
            return false;
        };
        if !self.passes.take(&Self::who(identity), &url, now) {
            return false;
        }
        checked.record.mark_proceeded();
        report.action = Action::Allow;
        report.message = None;
        report
            .reasons
            .push("the user chose to continue past the warning".to_owned());
        true
    }
}
