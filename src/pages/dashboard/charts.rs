//! Small charts drawn by hand in SVG (no chart library: every byte reaches a phone over a
//! slow link). Each is an image with a spoken summary, and the numbers are also a table
//! one tap away, so nothing is only in colour or only in a picture.

use leptos::prelude::*;

/// One bar of a stacked bar chart: a label and two counts (open, closed).
#[derive(Clone)]
pub struct Bar {
    pub label: String,
    pub open: u32,
    pub closed: u32,
}

const WIDTH: f64 = 320.0;
const ROW: f64 = 40.0;
const OPEN_COLOUR: &str = "#c62828";
const CLOSED_COLOUR: &str = "#2e7d32";

/// Horizontal stacked bars (open red, closed green), each with its label above it, so
/// long category names fit a 360 px screen.
#[component]
pub fn StackedBars(bars: Vec<Bar>, #[prop(into)] summary: Signal<String>) -> impl IntoView {
    let max = bars.iter().map(|b| b.open + b.closed).max().unwrap_or(0).max(1);
    let height = ROW * bars.len() as f64 + 4.0;
    let scale = (WIDTH - 48.0) / f64::from(max);
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=summary
            preserveAspectRatio="xMinYMin meet">
            {bars.into_iter().enumerate().map(|(i, b)| {
                let y = ROW * i as f64;
                let (wo, wc) = (f64::from(b.open) * scale, f64::from(b.closed) * scale);
                view! {
                    <g>
                        <text x="0" y=y + 13.0 class="chart-label">{b.label}</text>
                        <rect x="0" y=y + 18.0 width=wo height="14" fill=OPEN_COLOUR rx="2"/>
                        <rect x=wo y=y + 18.0 width=wc height="14" fill=CLOSED_COLOUR rx="2"/>
                        <text x=wo + wc + 6.0 y=y + 30.0 class="chart-value">{format!("{} / {}", b.open, b.closed)}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// A ring filled to `share` (0..=1) with the percentage in the middle.
#[component]
pub fn Donut(share: f64, colour: &'static str, #[prop(into)] summary: Signal<String>) -> impl IntoView {
    let r = 42.0_f64;
    let circumference = 2.0 * std::f64::consts::PI * r;
    let filled = circumference * share.clamp(0.0, 1.0);
    view! {
        <svg class="donut" viewBox="0 0 110 110" role="img" aria-label=summary>
            <circle cx="55" cy="55" r=r fill="none" stroke="#e0e0e0" stroke-width="14"/>
            <circle cx="55" cy="55" r=r fill="none" stroke=colour stroke-width="14"
                stroke-dasharray=format!("{filled:.1} {circumference:.1}") transform="rotate(-90 55 55)"/>
            <text x="55" y="62" text-anchor="middle" class="donut-value">{format!("{:.0}%", share * 100.0)}</text>
        </svg>
    }
}

/// One bar split into coloured parts (e.g. closed issues per level), with a legend.
#[component]
pub fn SplitBar(parts: Vec<(String, u32, &'static str)>, #[prop(into)] summary: Signal<String>) -> impl IntoView {
    let total: u32 = parts.iter().map(|p| p.1).sum::<u32>().max(1);
    let mut x = 0.0;
    let rects: Vec<_> = parts
        .iter()
        .map(|(_, n, colour)| {
            let w = WIDTH * f64::from(*n) / f64::from(total);
            let at = x;
            x += w;
            view! { <rect x=at y="0" width=w height="22" fill=*colour/> }
        })
        .collect();
    view! {
        <svg class="chart split" viewBox=format!("0 0 {WIDTH} 22") role="img" aria-label=summary
            preserveAspectRatio="none">{rects}</svg>
        <ul class="legend">
            // `style:` sets the property through the CSSOM: a `style="…"` attribute would be
            // refused by the server's CSP (`style-src 'self'`, no 'unsafe-inline').
            {parts.into_iter().map(|(label, n, colour)| view! {
                <li><span class="swatch" style:background=colour></span>{label} " " {n}</li>
            }).collect_view()}
        </ul>
    }
}
