//! The bench report: sections of metrics, each metric the samples of several runs summed
//! up as median and spread (min–max), with an optional goal and its verdict. Rendered as
//! `report.md` for people and `report.json` for comparing runs and versions.
//!
//! Programs the bench runs (node scripts, the server load generator, the wasm device
//! bench) speak one line protocol on stdout: `BENCH {json}`, where the JSON is a metric
//! (`name`, `unit`, `samples`, optional `goal`, `better`, `note`), a metric that could not
//! be measured (`name`, `unavailable`), or a free `note`. See [`Section::absorb`].

use std::fmt::Write as _;

use anyhow::{Context, Result};
use serde_json::{json, Value};

/// The prefix of a protocol line.
pub(crate) const LINE_PREFIX: &str = "BENCH ";

/// Which direction is better, for the verdict against a goal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Better {
    Lower,
    Higher,
}

#[derive(Debug, Clone)]
pub(crate) struct Metric {
    pub(crate) name: String,
    pub(crate) unit: String,
    pub(crate) samples: Vec<f64>,
    pub(crate) better: Better,
    pub(crate) goal: Option<f64>,
    /// Why there are no samples ("not available yet: …"), when there are none.
    pub(crate) unavailable: Option<String>,
    pub(crate) note: Option<String>,
    /// A stable name other sections look the metric up by (the comparison).
    pub(crate) key: Option<String>,
}

impl Metric {
    pub(crate) fn new(name: &str, unit: &str, samples: Vec<f64>) -> Metric {
        Metric {
            name: name.into(),
            unit: unit.into(),
            samples,
            better: Better::Lower,
            goal: None,
            unavailable: None,
            note: None,
            key: None,
        }
    }

    pub(crate) fn goal(mut self, better: Better, value: f64) -> Metric {
        self.better = better;
        self.goal = Some(value);
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Metric {
        self.note = Some(note.into());
        self
    }

    pub(crate) fn median(&self) -> Option<f64> {
        median(&self.samples)
    }

    /// `Some(true)` when the median meets the goal.
    pub(crate) fn meets_goal(&self) -> Option<bool> {
        let (goal, m) = (self.goal?, self.median()?);
        Some(match self.better {
            Better::Lower => m <= goal,
            Better::Higher => m >= goal,
        })
    }

    fn to_json(&self) -> Value {
        let min = self.samples.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        json!({
            "name": self.name,
            "unit": self.unit,
            "median": self.median(),
            "min": if self.samples.is_empty() { None } else { Some(min) },
            "max": if self.samples.is_empty() { None } else { Some(max) },
            "samples": self.samples,
            "goal": self.goal.map(|g| json!({
                "value": g,
                "better": if self.better == Better::Lower { "lower" } else { "higher" },
                "met": self.meets_goal(),
            })),
            "unavailable": self.unavailable,
            "note": self.note,
            "key": self.key,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Status {
    Ok,
    Failed(String),
    Skipped(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) status: Status,
    pub(crate) metrics: Vec<Metric>,
    pub(crate) notes: Vec<String>,
    pub(crate) seconds: f64,
}

impl Section {
    pub(crate) fn new(id: &'static str, title: &'static str) -> Section {
        Section { id, title, status: Status::Ok, metrics: Vec::new(), notes: Vec::new(), seconds: 0.0 }
    }

    pub(crate) fn push(&mut self, metric: Metric) {
        self.metrics.push(metric);
    }

    pub(crate) fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// Reads every `BENCH {json}` line of a program's stdout into this section; other
    /// lines are ignored. Returns how many protocol lines were read.
    pub(crate) fn absorb(&mut self, stdout: &str) -> Result<usize> {
        let mut n = 0;
        for line in stdout.lines() {
            // wasm-bindgen-test-runner may indent console output.
            let Some(at) = line.find(LINE_PREFIX) else { continue };
            let text = &line[at + LINE_PREFIX.len()..];
            let v: Value = serde_json::from_str(text).with_context(|| format!("bad bench line: {text}"))?;
            n += 1;
            if let Some(note) = v.get("note").and_then(Value::as_str).filter(|_| v.get("name").is_none()) {
                self.note(note);
                continue;
            }
            let name = v["name"].as_str().context("bench line without a name")?;
            let unit = v["unit"].as_str().unwrap_or("");
            let samples: Vec<f64> =
                v["samples"].as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
            let mut m = Metric::new(name, unit, samples);
            if let Some(goal) = v["goal"].as_f64() {
                let better = if v["better"].as_str() == Some("higher") { Better::Higher } else { Better::Lower };
                m = m.goal(better, goal);
            }
            m.unavailable = v["unavailable"].as_str().map(String::from);
            m.note = v["note"].as_str().map(String::from);
            m.key = v["key"].as_str().map(String::from);
            self.push(m);
        }
        Ok(n)
    }

    fn to_json(&self) -> Value {
        let (status, reason) = match &self.status {
            Status::Ok => ("ok", None),
            Status::Failed(r) => ("failed", Some(r.clone())),
            Status::Skipped(r) => ("skipped", Some(r.clone())),
        };
        json!({
            "id": self.id,
            "title": self.title,
            "status": status,
            "reason": reason,
            "seconds": (self.seconds * 10.0).round() / 10.0,
            "metrics": self.metrics.iter().map(Metric::to_json).collect::<Vec<_>>(),
            "notes": self.notes,
        })
    }
}

pub(crate) struct Report {
    pub(crate) date: String,
    pub(crate) machine: String,
    pub(crate) commit: String,
    pub(crate) runs: usize,
    pub(crate) sections: Vec<Section>,
}

impl Report {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "date": self.date,
            "machine": self.machine,
            "commit": self.commit,
            "runs": self.runs,
            "sections": self.sections.iter().map(Section::to_json).collect::<Vec<_>>(),
        })
    }

    pub(crate) fn to_markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# Wangge bench report\n");
        let _ = writeln!(md, "- date: {}\n- machine: {}\n- commit: {}", self.date, self.machine, self.commit);
        let _ = writeln!(md, "- figures: median of the runs, spread min–max (`n` = samples)\n");
        for s in &self.sections {
            let _ = writeln!(md, "## {}\n", s.title);
            match &s.status {
                Status::Ok => {}
                Status::Failed(r) => {
                    let _ = writeln!(md, "**failed**: {}\n", r.replace('\n', " "));
                }
                Status::Skipped(r) => {
                    let _ = writeln!(md, "skipped: {r}\n");
                }
            }
            if !s.metrics.is_empty() {
                let _ = writeln!(md, "| measure | median | spread (min–max) | n | goal |");
                let _ = writeln!(md, "| --- | ---: | --- | ---: | --- |");
                for m in &s.metrics {
                    let _ = writeln!(md, "{}", metric_row(m));
                }
                md.push('\n');
            }
            for n in &s.notes {
                let _ = writeln!(md, "- {n}");
            }
            let _ = writeln!(md, "\n_section time: {:.0} s_\n", s.seconds);
        }
        md
    }
}

fn metric_row(m: &Metric) -> String {
    let name = match &m.note {
        Some(n) => format!("{} ({n})", m.name),
        None => m.name.clone(),
    };
    if m.samples.is_empty() {
        let why = m.unavailable.as_deref().unwrap_or("no samples");
        return format!("| {name} | — | {why} | 0 | {} |", goal_text(m));
    }
    let min = m.samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = m.samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let med = m.median().unwrap_or(f64::NAN);
    let spread = if m.samples.len() == 1 { "—".to_string() } else { format!("{}–{}", fmt(min), fmt(max)) };
    format!("| {name} | {} {} | {spread} | {} | {} |", fmt(med), m.unit, m.samples.len(), goal_text(m))
}

fn goal_text(m: &Metric) -> String {
    let Some(goal) = m.goal else { return String::new() };
    let op = if m.better == Better::Lower { "≤" } else { "≥" };
    let verdict = match m.meets_goal() {
        Some(true) => "**pass**",
        Some(false) => "**MISS**",
        None => "not measured",
    };
    format!("{op} {} {}: {verdict}", fmt(goal), m.unit)
}

/// Three significant figures at most, without trailing noise.
pub(crate) fn fmt(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

pub(crate) fn median(samples: &[f64]) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    Some(if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_goal_verdicts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        let m = Metric::new("x", "ms", vec![10.0, 30.0, 20.0]).goal(Better::Lower, 20.0);
        assert_eq!(m.meets_goal(), Some(true));
        let m = Metric::new("x", "ops/s", vec![10.0]).goal(Better::Higher, 20.0);
        assert_eq!(m.meets_goal(), Some(false));
    }

    #[test]
    fn protocol_lines_become_metrics_notes_and_gaps() {
        let mut s = Section::new("t", "T");
        let out = "noise\nBENCH {\"name\":\"a\",\"unit\":\"ms\",\"samples\":[1,2,3],\"goal\":2,\"better\":\"lower\"}\n  BENCH {\"note\":\"hello\"}\nBENCH {\"name\":\"b\",\"unavailable\":\"not available yet\"}\n";
        assert_eq!(s.absorb(out).unwrap(), 3);
        assert_eq!(s.metrics.len(), 2);
        assert_eq!(s.metrics[0].meets_goal(), Some(true));
        assert_eq!(s.metrics[1].unavailable.as_deref(), Some("not available yet"));
        assert_eq!(s.notes, vec!["hello".to_string()]);
        let md = Report { date: "d".into(), machine: "m".into(), commit: "c".into(), runs: 3, sections: vec![s] }
            .to_markdown();
        assert!(md.contains("| a | 2 ms | 1–3 | 3 | ≤ 2 ms: **pass** |"), "{md}");
        assert!(md.contains("not available yet"), "{md}");
    }
}
