//! Alerts: each decision that raises one is written to standard error
//! (Squid's cache.log) and, with `--alert-webhook URL`, POSTed as its JSON
//! record to that URL by a background thread, so a slow or absent receiver
//! never holds up a request. The record is already in the decision log
//! whatever happens to the POST.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::Duration;

/// How many alerts may wait for the webhook.
const QUEUE: usize = 1024;
/// Tries per alert.
const TRIES: u32 = 3;

pub(crate) struct Alerts {
    webhook: Option<SyncSender<String>>,
}

impl Alerts {
    pub(crate) fn new(webhook: Option<String>) -> Alerts {
        let webhook = webhook.map(|url| {
            let (tx, rx) = sync_channel(QUEUE);
            std::thread::spawn(move || post_all(&url, &rx));
            tx
        });
        Alerts { webhook }
    }

    /// Raises the alert of `record` (its JSON line is `line`).
    pub(crate) fn raise(&self, record: &esafety::record::DecisionRecord, line: &str) {
        let Some(alert) = &record.alert else { return };
        // The record's url is the digest id for a statutory block: this line
        // never names a listed URL.
        eprintln!(
            "esafety: ALERT ({}): {}; rule `{}`, url {}, user {}, group {}, site {}",
            alert.urgency,
            alert.reason,
            record.rule,
            record.url.as_deref().unwrap_or("-"),
            record.user.as_deref().unwrap_or("-"),
            record.group.as_deref().unwrap_or("-"),
            record.site.as_deref().unwrap_or("-"),
        );
        if let Some(tx) = &self.webhook {
            match tx.try_send(line.to_owned()) {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => eprintln!(
                    "esafety: the alert webhook is {QUEUE} alerts behind; this alert is in the decision log only"
                ),
                Err(TrySendError::Disconnected(_)) => {
                    eprintln!(
                        "esafety: the alert webhook sender has stopped; this alert is in the decision log only"
                    );
                }
            }
        }
    }
}

fn post_all(url: &str, rx: &Receiver<String>) {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(true)
        .build();
    let agent: ureq::Agent = config.into();
    for body in rx {
        let mut last = String::new();
        let mut sent = false;
        for attempt in 0..TRIES {
            match agent
                .post(url)
                .header("Content-Type", "application/json")
                .send(body.as_bytes())
            {
                Ok(_) => {
                    sent = true;
                    break;
                }
                Err(e) => {
                    last = e.to_string();
                    std::thread::sleep(Duration::from_millis(200 << attempt));
                }
            }
        }
        if !sent {
            eprintln!(
                "esafety: cannot POST an alert to the webhook after {TRIES} tries ({last}); it is in the decision log"
            );
        }
    }
}
