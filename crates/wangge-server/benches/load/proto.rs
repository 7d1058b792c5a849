//! The load generator's output and its small statistics, shared by every scenario:
//! `BENCH {json}` lines on stdout (read by `xtask/src/bench/report.rs`), progress on
//! stderr, percentiles and medians over latencies, and the samples of several runs.

use std::collections::HashMap;

use serde_json::{json, Value};

pub(crate) fn emit(v: Value) {
    println!("BENCH {v}");
}

pub(crate) fn metric(name: &str, unit: &str, samples: &[f64]) -> Value {
    json!({"name": name, "unit": unit, "samples": samples})
}

/// A metric with a goal: `better` is "higher" or "lower" (the report's verdict).
pub(crate) fn goal_metric(name: &str, unit: &str, samples: &[f64], goal: f64, better: &str) -> Value {
    let mut m = metric(name, unit, samples);
    if let Some(fields) = m.as_object_mut() {
        fields.insert("goal".into(), json!(goal));
        fields.insert("better".into(), json!(better));
    }
    m
}

/// A throughput measure with the server's goal (5,000 mutations/s, higher is better).
pub(crate) fn throughput_metric(name: &str, samples: &[f64]) -> Value {
    goal_metric(name, "mutations/s", samples, 5000.0, "higher")
}

pub(crate) fn note(text: impl Into<String>) {
    emit(json!({"note": text.into()}));
}

pub(crate) fn say(msg: &str) {
    eprintln!("load: {msg}");
}

/// The value at percentile `p` of already sorted samples (nearest rank).
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub(crate) fn median(v: &[f64]) -> Option<f64> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    (!s.is_empty()).then(|| if s.len() % 2 == 1 { s[s.len() / 2] } else { (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2.0 })
}

/// Least squares y = a + b·x; None with fewer than two distinct x.
pub(crate) fn fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    let (sx, sy) = points.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let b = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / sxx;
    Some((my - b * mx, b))
}

/// One measurement's samples, one per run, by key.
#[derive(Default)]
pub(crate) struct Series {
    values: HashMap<String, Vec<f64>>,
}

impl Series {
    pub(crate) fn add(&mut self, key: impl Into<String>, v: f64) {
        self.values.entry(key.into()).or_default().push(v);
    }
    pub(crate) fn get(&self, key: &str) -> Vec<f64> {
        self.values.get(key).cloned().unwrap_or_default()
    }
}
