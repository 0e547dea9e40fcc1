//! The report's charts: SVG bar charts drawn by `plotters`' SVG backend.
//! Every bar carries its value as text, so colour is never the only
//! signal; the page puts a table of the same figures behind each chart.

use plotters::prelude::*;

/// The blue of the bars (WCAG AA against white).
const BAR: RGBColor = RGBColor(0x1d, 0x4e, 0x89);

/// Bars over time or over a few named columns: `(label, value)` left to
/// right, the label under each bar (at most `max_labels` labels shown).
pub(super) fn columns(
    data: &[(String, u64)],
    y_label: &str,
    max_labels: usize,
) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 300)).into_drawing_area();
        root.fill(&WHITE)?;
        let n = data.len().max(1);
        let top = headroom(data);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d((0..n).into_segmented(), 0u64..top)?;
        let label = |x: &SegmentValue<usize>| match x {
            SegmentValue::CenterOf(i) => data.get(*i).map(|(k, _)| k.clone()).unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(max_labels))
            .x_label_formatter(&label)
            .y_desc(y_label)
            .label_style(("sans-serif", 13))
            .draw()?;
        chart.draw_series(data.iter().enumerate().map(|(i, (_, v))| {
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0),
                    (SegmentValue::Exact(i + 1), *v),
                ],
                BAR.filled(),
            );
            bar.set_margin(0, 0, 2, 2);
            bar
        }))?;
        if data.len() <= 40 {
            chart.draw_series(data.iter().enumerate().map(|(i, (_, v))| {
                Text::new(
                    v.to_string(),
                    (SegmentValue::CenterOf(i), *v),
                    ("sans-serif", 12).into_font().color(&BLACK),
                )
            }))?;
        }
        root.present()?;
    }
    Ok(svg)
}

/// Horizontal bars, one row per `(label, value)` top to bottom, the value
/// written after each bar.
pub(super) fn rows(data: &[(String, u64)], x_label: &str) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let n = data.len().max(1);
        let height = u32::try_from(60 + 26 * n).unwrap_or(u32::MAX).min(2000);
        let root = SVGBackend::with_string(&mut svg, (720, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let top = headroom(data);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(170)
            .build_cartesian_2d(0u64..top, (0..n).into_segmented())?;
        let label = |y: &SegmentValue<usize>| match y {
            // Row 0 at the top.
            SegmentValue::CenterOf(i) => n
                .checked_sub(i + 1)
                .and_then(|row| data.get(row))
                .map(|(k, _)| k.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&label)
            .x_desc(x_label)
            .label_style(("sans-serif", 13))
            .draw()?;
        let at = |row: usize| n.saturating_sub(row + 1);
        chart.draw_series(data.iter().enumerate().map(|(row, (_, v))| {
            let mut bar = Rectangle::new(
                [
                    (0, SegmentValue::Exact(at(row))),
                    (*v, SegmentValue::Exact(at(row) + 1)),
                ],
                BAR.filled(),
            );
            bar.set_margin(3, 3, 0, 0);
            bar
        }))?;
        chart.draw_series(data.iter().enumerate().map(|(row, (_, v))| {
            Text::new(
                format!(" {v}"),
                (*v, SegmentValue::CenterOf(at(row))),
                ("sans-serif", 12).into_font().color(&BLACK),
            )
        }))?;
        root.present()?;
    }
    Ok(svg)
}

/// The value axis' end: a little above the largest value, at least 1.
fn headroom(data: &[(String, u64)]) -> u64 {
    let max = data.iter().map(|(_, v)| *v).max().unwrap_or(0);
    max.saturating_add(max / 8).saturating_add(1)
}
