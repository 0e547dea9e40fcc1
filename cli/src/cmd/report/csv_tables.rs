//! `esafety report --csv`: every table of the report in one CSV stream,
//! one row per figure: `table,key,detail,value`.
//!
//! A cell a spreadsheet would run as a formula (it starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return: search terms and group names are
//! what users typed) is written with a leading `'`.

use std::io::Write;

use esafety::report::Summary;

/// Writes the tables of `summary` to `out`.
pub(super) fn write<W: Write>(out: W, summary: &Summary) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(["table", "key", "detail", "value"])?;
    let mut row = |table: &str, key: &str, detail: &str, value: String| {
        csv.write_record([table, &cell(key), &cell(detail), &value])
    };
    for (key, value) in [
        ("records", summary.records),
        ("blocked", summary.blocked),
        ("warned", summary.warned),
        ("allowed", summary.allowed),
        ("monitored", summary.monitored),
        ("fail_closed", summary.fail_closed),
        ("alerts", summary.alerts),
        ("bad_records", summary.bad_records),
        ("outside", summary.outside),
    ] {
        row("totals", key, "", value.to_string())?;
    }
    for (category, n) in &summary.by_category {
        row("blocked_by_category", category, "", n.to_string())?;
    }
    for (group, n) in &summary.by_group {
        row("blocked_by_group", group, "", n.to_string())?;
    }
    for (site, c) in &summary.by_site {
        for (detail, n) in [
            ("records", c.records),
            ("blocked", c.blocked),
            ("warned", c.warned),
            ("alerts", c.alerts),
        ] {
            row("by_site", site, detail, n.to_string())?;
        }
    }
    for (day, c) in &summary.daily {
        for (detail, n) in [
            ("records", c.records),
            ("blocked", c.blocked),
            ("warned", c.warned),
            ("alerts", c.alerts),
        ] {
            row("daily", day, detail, n.to_string())?;
        }
        for (category, n) in &c.by_category {
            row("daily_blocked_by_category", day, category, n.to_string())?;
        }
        for (group, n) in &c.by_group {
            row("daily_blocked_by_group", day, group, n.to_string())?;
        }
    }
    for site in &summary.top_blocked_sites {
        row(
            "top_blocked_sites",
            &site.site,
            &site.categories.join(" "),
            site.blocked.to_string(),
        )?;
    }
    for term in &summary.flagged_search_terms {
        row(
            "flagged_search_terms",
            &term.terms,
            "",
            term.count.to_string(),
        )?;
    }
    for alert in &summary.alert_details {
        let routes: Vec<&str> = alert.routes.iter().map(|r| r.route.id()).collect();
        row(
            "alerts",
            &alert.time,
            &format!(
                "{} {}",
                alert.target.as_deref().unwrap_or("-"),
                alert.urgency.as_str()
            ),
            routes.join(" "),
        )?;
    }
    row(
        "warn_rates",
        "rate",
        "",
        format!("{:.6}", summary.warn_rates.rate),
    )?;
    for (category, n) in &summary.warn_rates.by_category {
        row("warned_by_category", category, "", n.to_string())?;
    }
    row(
        "warn_rates",
        "proceeded",
        "",
        summary.warn_rates.proceeded.to_string(),
    )?;
    row(
        "warn_rates",
        "proceed_rate",
        "",
        format!("{:.6}", summary.warn_rates.proceed_rate),
    )?;
    for (category, n) in &summary.warn_rates.proceeded_by_category {
        row("proceeded_by_category", category, "", n.to_string())?;
    }
    let signals = &summary.over_blocking;
    row(
        "over_blocking",
        "service_blocks_in_lessons",
        &signals.lesson_times,
        signals.service_blocks_in_lessons.to_string(),
    )?;
    for (category, n) in &signals.service_blocks_by_category {
        row("service_blocks_in_lessons", category, "", n.to_string())?;
    }
    for site in &signals.blocked_then_allowed {
        row(
            "blocked_then_allowed",
            &site.site,
            &format!("allowed after: {}", site.allowed_after),
            site.blocked.to_string(),
        )?;
    }
    if let Some(previous) = &summary.previous {
        let period = format!("{} to {}", previous.from, previous.to);
        for (key, n) in [
            ("records", previous.records),
            ("blocked", previous.blocked),
            ("warned", previous.warned),
            ("alerts", previous.alerts),
        ] {
            row("previous", key, &period, n.to_string())?;
        }
        for (category, n) in &previous.by_category {
            row(
                "previous_blocked_by_category",
                category,
                &period,
                n.to_string(),
            )?;
        }
    }
    csv.flush()?;
    Ok(())
}

/// A cell a spreadsheet will not run as a formula.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}
