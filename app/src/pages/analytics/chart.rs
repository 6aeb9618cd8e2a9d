//! One chart as a card: an SVG drawn on the server (no chart library, readable without any
//! script: every point has a native tooltip), a table of the same numbers, and the CSV link.
//! After hydration the legend toggles series and hovering shows the values in a readout.

use leptos::prelude::*;
use types::analytics::{Chart, ChartKind, format_value};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
const BAR_ROW: f64 = 24.0;
const BAR_LABEL: f64 = 180.0;

/// A chart card; `export_href` downloads its CSV.
#[component]
pub fn ChartCard(chart: Chart, export_href: String) -> impl IntoView {
    let hidden = RwSignal::new(vec![false; chart.series.len()]);
    let readout = RwSignal::new(None::<String>);
    let body = if chart.labels.is_empty() {
        view! { <p class="analytics-empty">"Nothing in this range."</p> }.into_any()
    } else {
        match chart.kind {
            ChartKind::Time => view! { <TimeSvg chart=chart.clone() hidden readout /> }.into_any(),
            ChartKind::Ranking => view! { <RankingSvg chart=chart.clone() readout /> }.into_any(),
        }
    };
    let legend = (chart.kind == ChartKind::Time && chart.series.len() > 1).then(|| {
        let toggles = chart
            .series
            .iter()
            .enumerate()
            .map(|(index, series)| {
                let swatch = format!("analytics-swatch analytics-series-{index}");
                view! {
                    <label class="analytics-toggle">
                        <input
                            type="checkbox"
                            checked=true
                            data-series=series.name.clone()
                            on:change=move |_| hidden.update(|h| if let Some(flag) = h.get_mut(index) { *flag = !*flag })
                        />
                        <span class=swatch aria-hidden="true"></span>
                        {series.name.clone()}
                    </label>
                }
            })
            .collect_view();
        view! { <fieldset class="analytics-legend"><legend class="visually-hidden">"Series shown"</legend>{toggles}</fieldset> }
    });
    let title = chart.title.clone();
    let (element_id, chart_id, definition) =
        (format!("chart-{}", chart.id), chart.id.clone(), chart.definition.clone());
    view! {
        <article class="analytics-chart" id=element_id data-chart=chart_id>
            <header class="analytics-chart__header">
                <h2>{title}</h2>
                <a class="button button--quiet" rel="external" download="" href=export_href>"Export CSV"</a>
            </header>
            <p class="analytics-definition">{definition}</p>
            {legend}
            {body}
            <p class="analytics-readout" aria-live="polite">{move || readout.get().unwrap_or_default()}</p>
            <details class="analytics-data">
                <summary>"Numbers"</summary>
                <DataTable chart />
            </details>
        </article>
    }
}

/// The chart's numbers as a table, formatted exactly as in the CSV.
#[component]
fn DataTable(chart: Chart) -> impl IntoView {
    let rows = chart
        .labels
        .iter()
        .enumerate()
        .map(|(row, label)| {
            let cells = chart
                .series
                .iter()
                .map(|s| view! { <td class="numeric">{format_value(s.values.get(row).copied().flatten())}</td> })
                .collect_view();
            view! { <tr><th scope="row">{label.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table analytics-table">
                <thead>
                    <tr>
                        <th scope="col">{chart.label_heading.clone()}</th>
                        {chart.series.iter().map(|s| view! { <th scope="col" class="numeric">{s.name.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A round number at or above `max` (1, 2 or 5 × 10ⁿ), so the axis reads well.
pub fn nice_ceiling(max: f64) -> f64 {
    if max <= 1.0 {
        return 1.0;
    }
    let magnitude = 10_f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|step| step * magnitude).find(|top| *top >= max).unwrap_or(max)
}

/// `label — name value, name value` for a row.
fn row_text(chart: &Chart, row: usize) -> String {
    let label = chart.labels.get(row).cloned().unwrap_or_default();
    let values: Vec<String> = chart
        .series
        .iter()
        .map(|s| {
            let value = format_value(s.values.get(row).copied().flatten());
            format!("{} {}", s.name, if value.is_empty() { "–".to_owned() } else { value })
        })
        .collect();
    format!("{label} — {}", values.join(", "))
}

#[component]
fn TimeSvg(chart: Chart, hidden: RwSignal<Vec<bool>>, readout: RwSignal<Option<String>>) -> impl IntoView {
    let top = nice_ceiling(chart.max_value());
    let rows = chart.labels.len();
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = if rows > 1 { plot_w / (rows - 1) as f64 } else { 0.0 };
    let x = move |row: usize| if rows > 1 { LEFT + row as f64 * step } else { LEFT + plot_w / 2.0 };
    let y = move |value: f64| TOP + plot_h - value / top * plot_h;
    let lines = chart
        .series
        .iter()
        .enumerate()
        .map(|(index, series)| {
            let points: Vec<String> = series
                .values
                .iter()
                .enumerate()
                .filter_map(|(row, v)| v.map(|v| format!("{:.1},{:.1}", x(row), y(v))))
                .collect();
            let class = move || {
                let off = hidden.with(|h| h.get(index).copied().unwrap_or(false));
                format!("analytics-line analytics-series-{index}{}", if off { " is-hidden" } else { "" })
            };
            let dots = series
                .values
                .iter()
                .enumerate()
                .filter_map(|(row, v)| v.map(|v| (row, v)))
                .filter(|_| rows <= 120)
                .map(|(row, v)| view! { <circle cx=format!("{:.1}", x(row)) cy=format!("{:.1}", y(v)) r="2.5" /> })
                .collect_view();
            view! {
                <g class=class data-series=series.name.clone()>
                    <polyline points=points.join(" ") fill="none" />
                    {dots}
                </g>
            }
        })
        .collect_view();
    let hits = (0..rows)
        .map(|row| {
            let text = row_text(&chart, row);
            let width = if rows > 1 { step } else { plot_w };
            let left = (x(row) - width / 2.0).max(LEFT - 6.0);
            let on_enter = {
                let text = text.clone();
                move |_| readout.set(Some(text.clone()))
            };
            view! {
                <rect class="analytics-hit" x=format!("{left:.1}") y=TOP width=format!("{width:.1}") height=plot_h
                    data-row=row on:mouseenter=on_enter>
                    <title>{text}</title>
                </rect>
            }
        })
        .collect_view();
    let first = chart.labels.first().cloned().unwrap_or_default();
    let last = chart.labels.last().cloned().unwrap_or_default();
    let summary = format!("{} from {first} to {last}; the table below has every value.", chart.title);
    view! {
        <svg class="analytics-svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary
            on:mouseleave=move |_| readout.set(None)>
            <line class="analytics-axis" x1=LEFT y1=TOP + plot_h x2=WIDTH - RIGHT y2=TOP + plot_h />
            <line class="analytics-gridline" x1=LEFT y1=TOP x2=WIDTH - RIGHT y2=TOP />
            <line class="analytics-gridline" x1=LEFT y1=TOP + plot_h / 2.0 x2=WIDTH - RIGHT y2=TOP + plot_h / 2.0 />
            <text class="analytics-tick" x=LEFT - 6.0 y=TOP + 4.0 text-anchor="end">{format_value(Some(top))}</text>
            <text class="analytics-tick" x=LEFT - 6.0 y=TOP + plot_h / 2.0 + 4.0 text-anchor="end">{format_value(Some(top / 2.0))}</text>
            <text class="analytics-tick" x=LEFT - 6.0 y=TOP + plot_h + 4.0 text-anchor="end">"0"</text>
            <text class="analytics-tick" x=LEFT y=HEIGHT - 8.0 text-anchor="start">{first}</text>
            <text class="analytics-tick" x=WIDTH - RIGHT y=HEIGHT - 8.0 text-anchor="end">{last}</text>
            {lines}
            {hits}
        </svg>
    }
}

#[component]
fn RankingSvg(chart: Chart, readout: RwSignal<Option<String>>) -> impl IntoView {
    let top = chart.max_value();
    let rows = chart.labels.len();
    let height = rows as f64 * BAR_ROW + 8.0;
    let bar_space = WIDTH - BAR_LABEL - 60.0;
    let values = chart.series.first().map(|s| s.values.clone()).unwrap_or_default();
    let bars = (0..rows)
        .map(|row| {
            let label = chart.labels.get(row).cloned().unwrap_or_default();
            let short: String =
                if label.chars().count() > 26 { label.chars().take(25).chain(['…']).collect() } else { label.clone() };
            let value = values.get(row).copied().flatten().unwrap_or(0.0);
            let y = 4.0 + row as f64 * BAR_ROW;
            let text = row_text(&chart, row);
            let on_enter = {
                let text = text.clone();
                move |_| readout.set(Some(text.clone()))
            };
            view! {
                <g class="analytics-bar" data-row=row on:mouseenter=on_enter>
                    <title>{text}</title>
                    <text class="analytics-tick" x=BAR_LABEL - 8.0 y=y + 15.0 text-anchor="end">{short}</text>
                    <rect class="analytics-series-0" x=BAR_LABEL y=y + 3.0 height=BAR_ROW - 8.0
                        width=format!("{:.1}", (value / top * bar_space).max(1.0)) />
                    <text class="analytics-tick" x=format!("{:.1}", BAR_LABEL + value / top * bar_space + 6.0) y=y + 15.0>
                        {format_value(Some(value))}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="analytics-svg analytics-svg--bars" viewBox=format!("0 0 {WIDTH} {height:.0}") role="img"
            aria-label=format!("{}: {rows} ranked; the table below has every value.", chart.title)
            on:mouseleave=move |_| readout.set(None)>
            {bars}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_numbers_at_or_above_the_maximum() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(1.5), 2.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(20.0), 20.0);
        assert_eq!(nice_ceiling(430.0), 500.0);
    }
}
