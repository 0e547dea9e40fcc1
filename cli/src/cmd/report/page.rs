//! `esafety report -o REPORT.html`: the summary as one self-contained HTML
//! page (no network: styles inline, charts inline SVG), from the template
//! `cli/templates/report.html` through `minijinja` (auto-escaped).

use std::collections::BTreeMap;

use esafety::report::Summary;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::chart;

/// The page template.
const TEMPLATE: &str = include_str!("../../../templates/report.html");

/// Days shown by name under the daily chart, at most.
const MAX_DAY_LABELS: usize = 12;

/// One row of a table that sets this period beside the previous one.
#[derive(Serialize)]
struct Compared {
    key: String,
    now: u64,
    previous: Option<u64>,
}

/// The page for `summary`.
pub(super) fn render(summary: &Summary) -> anyhow::Result<String> {
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)?;
    let daily: Vec<(String, u64)> = summary
        .daily
        .iter()
        .map(|(day, c)| (day.get(5..).unwrap_or(day).to_owned(), c.blocked))
        .collect();
    let by_category = sorted(&summary.by_category);
    let by_group = sorted(&summary.by_group);
    let by_site: Vec<(String, u64)> = summary
        .by_site
        .iter()
        .map(|(site, c)| (site.clone(), c.blocked))
        .collect();
    let previous_categories = summary.previous.as_ref().map(|p| &p.by_category);
    let category_rows: Vec<Compared> = by_category
        .iter()
        .map(|(key, now)| Compared {
            key: key.clone(),
            now: *now,
            previous: previous_categories.map(|p| p.get(key).copied().unwrap_or(0)),
        })
        .collect();
    let previous = summary.previous.as_ref();
    let totals = [
        (
            "Decisions recorded",
            summary.records,
            previous.map(|p| p.records),
        ),
        (
            "Blocked attempts",
            summary.blocked,
            previous.map(|p| p.blocked),
        ),
        ("Warnings shown", summary.warned, previous.map(|p| p.warned)),
        ("Alerts raised", summary.alerts, previous.map(|p| p.alerts)),
    ]
    .map(|(key, now, previous)| Compared {
        key: key.to_owned(),
        now,
        previous,
    });
    let charts = context! {
        daily => labelled(chart::columns(&daily, "blocked", MAX_DAY_LABELS)?, "chart-daily"),
        by_category => labelled(chart::rows(&by_category, "blocked")?, "chart-category"),
        by_group => labelled(chart::rows(&by_group, "blocked")?, "chart-group"),
        by_site => labelled(chart::rows(&by_site, "blocked")?, "chart-site"),
    };
    let page = env.get_template("report.html")?.render(context! {
        s => Value::from(Serde(summary)),
        totals => Value::from(Serde(&totals)),
        category_rows => Value::from(Serde(&category_rows)),
        group_rows => Value::from(Serde(&by_group)),
        charts => charts,
        warn_percent => format!("{:.1}", summary.warn_rates.rate * 100.0),
        proceed_percent => format!("{:.1}", summary.warn_rates.proceed_rate * 100.0),
        several_sites => summary.by_site.len() > 1,
    })?;
    Ok(page)
}

/// `(key, count)` most first, then by key.
fn sorted(map: &BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = map.iter().map(|(k, v)| (k.clone(), *v)).collect();
    rows.sort_by(|a, b| (b.1, &a.0).cmp(&(a.1, &b.0)));
    rows
}

/// The chart's SVG as an image labelled by the caption with id `caption`.
fn labelled(svg: String, caption: &str) -> Value {
    let svg = svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-labelledby=\"{caption}\" "),
        1,
    );
    Value::from_safe_string(svg)
}
