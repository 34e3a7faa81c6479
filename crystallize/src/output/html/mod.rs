//! The HTML report of a stored run: one self-contained page (inline CSS and inline SVG, no
//! script, nothing fetched) with the conditions and their metrics, per metric a plot of every
//! condition's replicates and a forest plot of each hypothesis's effects, the hypothesis table,
//! and the provenance of the run.
//!
//! The page shows what the run stored: the metrics of `results.json`, the verdicts of
//! `hypotheses.json` (when the run has one) and `metadata.json`. It computes no statistic
//! beyond the quartiles a box is drawn from.

pub(crate) mod hypotheses;
pub(crate) mod plot;

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::output::stats::{format_number, summarize};
use crate::store::records::Metadata;
use crate::unit::names::BASELINE;

use hypotheses::{HypothesesFile, Hypothesis};

/// One stored condition's metrics: values per metric, in replicate order (`None` where a
/// replicate failed or did not record it).
pub(crate) struct ConditionMetrics {
    /// The condition name.
    pub name: String,
    /// Values per metric.
    pub metrics: BTreeMap<String, Vec<Option<f64>>>,
}

/// What the run's `hypotheses.json` held.
pub(crate) enum Verdicts {
    /// The run has no `hypotheses.json`: the experiment declares no hypotheses.
    Absent,
    /// The verdicts.
    Read(HypothesesFile),
    /// The file exists but cannot be read (why).
    Unreadable(String),
}

/// Everything a page shows.
pub(crate) struct Page<'a> {
    /// The experiment name.
    pub experiment: &'a str,
    /// The version shown.
    pub version: u32,
    /// Its `metadata.json`.
    pub metadata: &'a Metadata,
    /// Its conditions, baseline first, in definition order.
    pub conditions: Vec<ConditionMetrics>,
    /// Its verdicts.
    pub verdicts: Verdicts,
}

/// `text` escaped for HTML text and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The page's style sheet.
const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0; color: #222; background: #f6f7f9; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h2 { margin-top: 36px; border-bottom: 2px solid #dde1e6; padding-bottom: 4px; }
h3 { margin: 20px 0 8px; font-size: 17px; }
.sub { color: #666; margin: 0 0 16px; }
section.card { overflow-x: auto; background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; padding: 12px 18px; margin: 14px 0; }
table { border-collapse: collapse; font-size: 13.5px; margin: 6px 0 10px; }
th, td { padding: 5px 8px; border-bottom: 1px solid #eceef1; text-align: left; vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
td.note { min-width: 120px; max-width: 280px; }
td.ci { white-space: normal; min-width: 120px; }
td.test { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
.verdict { padding: 2px 8px; border-radius: 10px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.supported { background: #d9f2d9; color: #1d6b1d; }
.not-supported { background: #f3e0e0; color: #8a2222; }
.inconclusive { background: #eee; color: #555; }
.note { color: #666; font-size: 13.5px; }
.plot svg { max-width: 100%; height: auto; display: block; }
.baseline-tag { color: #6e6e6e; font-weight: 600; }
";

/// The page as one HTML document, or the message of a plot that could not be drawn.
pub(crate) fn render(page: &Page<'_>) -> Result<String, String> {
    let mut html = String::new();
    let title = format!("{} v{}", page.experiment, page.version);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&title)
    );
    let metadata = page.metadata;
    let _ = write!(
        html,
        "<h1>{}</h1>\n<p class=\"sub\">version {} · {} · {} replicate{} per condition · seed {} · \
         {} · {}</p>\n",
        escape(page.experiment),
        page.version,
        escape(&metadata.status),
        metadata.replicates,
        if metadata.replicates == 1 { "" } else { "s" },
        metadata.seed,
        escape(&metadata.strategy),
        escape(&metadata.provenance.finished),
    );
    let metrics = metric_names(&page.conditions);
    conditions_section(&mut html, page, &metrics);
    hypotheses_section(&mut html, &page.verdicts);
    for metric in &metrics {
        metric_section(&mut html, page, metric)?;
    }
    provenance_section(&mut html, page);
    html.push_str("</main>\n</body>\n</html>\n");
    Ok(html)
}

/// Every metric some condition recorded, by name.
fn metric_names(conditions: &[ConditionMetrics]) -> Vec<String> {
    let mut names: Vec<String> = conditions
        .iter()
        .flat_map(|condition| condition.metrics.keys().cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The conditions, their params and each metric's mean ± sd (n).
fn conditions_section(html: &mut String, page: &Page<'_>, metrics: &[String]) {
    html.push_str("<h2>Conditions</h2>\n<section class=\"card\">\n<table>\n<tr><th>condition</th><th>params</th>");
    for metric in metrics {
        let _ = write!(html, "<th>{}: mean ± sd (n)</th>", escape(metric));
    }
    html.push_str("</tr>\n");
    for condition in &page.conditions {
        let params = page
            .metadata
            .conditions
            .get(&condition.name)
            .map(|stored| stored.params.to_string())
            .unwrap_or_default();
        let _ = write!(
            html,
            "<tr><td>{}</td><td><code>{}</code></td>",
            condition_label(&condition.name),
            escape(&params)
        );
        for metric in metrics {
            let values = condition
                .metrics
                .get(metric)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let summary = summarize(values);
            let _ = write!(
                html,
                "<td class=\"num\">{} ± {} ({})</td>",
                format_number(summary.mean),
                format_number(summary.sd),
                summary.n
            );
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n</section>\n");
}

/// A condition's name, the baseline tagged.
fn condition_label(name: &str) -> String {
    if name == BASELINE {
        format!(
            "<span class=\"baseline-tag\">{}</span> (reference)",
            escape(name)
        )
    } else {
        escape(name)
    }
}

/// A p-value or other optional number as the tables show it.
fn optional(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), format_number)
}

/// The hypothesis table: per hypothesis and treatment, the effect with its interval, p, the
/// adjusted p and the verdict.
fn hypotheses_section(html: &mut String, verdicts: &Verdicts) {
    html.push_str("<h2>Hypotheses</h2>\n<section class=\"card\">\n");
    let file = match verdicts {
        Verdicts::Absent => {
            html.push_str(
                "<p class=\"note\">This run has no <code>hypotheses.json</code>: the experiment \
                 declares no hypotheses, so no verdicts or effect sizes are shown. Declare one \
                 with <code>.hypothesis(..)</code> to compare treatments with the baseline.</p>\n\
                 </section>\n",
            );
            return;
        }
        Verdicts::Unreadable(why) => {
            let _ = write!(
                html,
                "<p class=\"note\">This run's <code>hypotheses.json</code> cannot be read ({}); \
                 no verdicts or effect sizes are shown.</p>\n</section>\n",
                escape(why)
            );
            return;
        }
        Verdicts::Read(file) => file,
    };
    if file.hypotheses.is_empty() {
        html.push_str("<p class=\"note\">The experiment declares no hypotheses.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        html,
        "<p class=\"note\">p-values adjusted across all hypotheses × treatments: {}.</p>",
        escape(file.correction.as_deref().unwrap_or("-"))
    );
    html.push_str(
        "<table>\n<tr><th>hypothesis</th><th>metric</th><th>test</th><th>treatment</th>\
         <th>effect</th><th>interval</th><th>statistic</th><th>p</th><th>p adjusted</th><th>verdict</th></tr>\n",
    );
    for hypothesis in &file.hypotheses {
        let test = match &hypothesis.verifier {
            Some(verifier) => format!(
                "verifier <code>{}</code>{}",
                escape(&verifier.name),
                verifier
                    .code
                    .as_deref()
                    .map(|code| format!(
                        " <code>{}</code>",
                        escape(&code.chars().take(12).collect::<String>())
                    ))
                    .unwrap_or_default()
            ),
            None => format!(
                "{}<br><span class=\"note\">{}, α = {}</span>",
                escape(hypothesis.test.as_deref().unwrap_or("-")),
                escape(hypothesis.direction.as_deref().unwrap_or("-")),
                hypothesis
                    .alpha
                    .map_or_else(|| "-".to_string(), |alpha| alpha.to_string())
            ),
        };
        if hypothesis.results.is_empty() {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{test}</td><td colspan=\"7\" class=\"note\">no treatment to compare</td></tr>",
                escape(&hypothesis.name),
                escape(&hypothesis.metric)
            );
        }
        for (index, result) in hypothesis.results.iter().enumerate() {
            // The hypothesis's own cells span its rows.
            let lead = if index == 0 {
                let rows = hypothesis.results.len();
                format!(
                    "<td rowspan=\"{rows}\"><b>{}</b></td><td rowspan=\"{rows}\">{}</td>\
                     <td rowspan=\"{rows}\" class=\"test\">{test}</td>",
                    escape(&hypothesis.name),
                    escape(&hypothesis.metric)
                )
            } else {
                String::new()
            };
            let verdict = result.verdict.as_deref().unwrap_or("inconclusive");
            let class = match verdict {
                "supported" => "supported",
                "not-supported" => "not-supported",
                _ => "inconclusive",
            };
            let interval = result.ci.as_ref().map_or_else(
                || "-".to_string(),
                |ci| {
                    format!(
                        "[{}, {}]{}{}",
                        format_number(ci.low),
                        format_number(ci.high),
                        ci.level
                            .map(|level| format!(" {}%", (level * 10000.0).round() / 100.0))
                            .unwrap_or_default(),
                        ci.method
                            .as_deref()
                            .map(|method| format!(
                                "<br><span class=\"note\">{}</span>",
                                escape(method)
                            ))
                            .unwrap_or_default()
                    )
                },
            );
            let _ = writeln!(
                html,
                "<tr>{lead}<td>{}</td><td class=\"num\">{}</td>\
                 <td class=\"num ci\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"note\"><span class=\"verdict {class}\">{}</span>{}</td></tr>",
                escape(&result.treatment),
                optional(result.effect),
                interval,
                optional(result.statistic),
                optional(result.p_value),
                optional(result.p_adjusted),
                escape(verdict),
                result
                    .notes
                    .iter()
                    .map(|note| format!("<br>{}", escape(note)))
                    .collect::<String>(),
            );
        }
    }
    html.push_str("</table>\n");
    for hypothesis in file.hypotheses.iter().filter(|h| !h.ranking.is_empty()) {
        let _ = writeln!(
            html,
            "<p>Ranking for <b>{}</b>, best first: {}</p>",
            escape(&hypothesis.name),
            hypothesis
                .ranking
                .iter()
                .map(|name| escape(name))
                .collect::<Vec<_>>()
                .join(" › ")
        );
    }
    html.push_str("</section>\n");
}

/// One metric: the replicates plot, then a forest plot per hypothesis on it.
fn metric_section(html: &mut String, page: &Page<'_>, metric: &str) -> Result<(), String> {
    let _ = writeln!(
        html,
        "<h2>Metric <code>{}</code></h2>\n<section class=\"card\">",
        escape(metric)
    );
    let strips: Vec<plot::Strip<'_>> = page
        .conditions
        .iter()
        .map(|condition| plot::Strip {
            name: &condition.name,
            baseline: condition.name == BASELINE,
            values: condition
                .metrics
                .get(metric)
                .map(|values| {
                    values
                        .iter()
                        .flatten()
                        .copied()
                        .filter(|v| v.is_finite())
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    html.push_str(
        "<h3>Replicates per condition</h3>\n<p class=\"note\">Each point is one replicate; the \
         box spans the first to the third quartile with the median, whiskers reach the extremes. \
         The baseline is grey, its median the dashed line.</p>\n",
    );
    let missing: usize = page
        .conditions
        .iter()
        .map(|condition| {
            condition.metrics.get(metric).map_or(0, |values| {
                values
                    .iter()
                    .filter(|v| v.is_none_or(|v| !v.is_finite()))
                    .count()
            })
        })
        .sum();
    if missing > 0 {
        let _ = writeln!(
            html,
            "<p class=\"note\">{missing} replicate value{} without a value (failed or not recorded) \
             {} not shown.</p>",
            if missing == 1 { "" } else { "s" },
            if missing == 1 { "is" } else { "are" }
        );
    }
    let _ = writeln!(
        html,
        "<div class=\"plot\">{}</div>",
        plot::replicates(metric, &strips)?
    );
    match &page.verdicts {
        Verdicts::Read(file) => {
            let on_metric: Vec<&Hypothesis> = file
                .hypotheses
                .iter()
                .filter(|h| h.metric == metric)
                .collect();
            if on_metric.is_empty() {
                html.push_str("<p class=\"note\">No hypothesis tests this metric, so no effect sizes are shown.</p>\n");
            }
            for hypothesis in on_metric {
                forest_plot(html, hypothesis)?;
            }
        }
        Verdicts::Absent | Verdicts::Unreadable(_) => html.push_str(
            "<p class=\"note\">Effect sizes: no verdicts are stored for this run (see \
             Hypotheses), so no forest plot is shown.</p>\n",
        ),
    }
    html.push_str("</section>\n");
    Ok(())
}

/// The forest plot of one hypothesis: each treatment's effect with its interval.
fn forest_plot(html: &mut String, hypothesis: &Hypothesis) -> Result<(), String> {
    let rows: Vec<plot::ForestRow<'_>> = hypothesis
        .results
        .iter()
        .filter_map(|result| {
            Some(plot::ForestRow {
                name: &result.treatment,
                effect: result.effect.filter(|e| e.is_finite())?,
                interval: result
                    .ci
                    .as_ref()
                    .filter(|ci| ci.low.is_finite() && ci.high.is_finite())
                    .map(|ci| (ci.low, ci.high)),
                supported: result.verdict.as_deref() == Some("supported"),
            })
        })
        .collect();
    let _ = writeln!(
        html,
        "<h3>Effects: {}</h3>\n<p class=\"note\">Effect (treatment − baseline) per treatment with its \
         interval; green where the hypothesis is supported. The dashed line is no effect.</p>",
        escape(&hypothesis.name)
    );
    let left_out: Vec<&str> = hypothesis
        .results
        .iter()
        .filter(|result| result.effect.is_none_or(|e| !e.is_finite()))
        .map(|result| result.treatment.as_str())
        .collect();
    if !left_out.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"note\">Without a defined effect (see the notes in the table): {}.</p>",
            escape(&left_out.join(", "))
        );
    }
    if !rows.is_empty() {
        let title = format!("{} ({})", hypothesis.name, hypothesis.metric);
        let _ = writeln!(
            html,
            "<div class=\"plot\">{}</div>",
            plot::forest(&title, &rows)?
        );
    }
    Ok(())
}

/// The provenance: versions, git state, host and times, and each stage's code hash and
/// dependencies.
fn provenance_section(html: &mut String, page: &Page<'_>) {
    let metadata = page.metadata;
    let provenance = &metadata.provenance;
    html.push_str("<h2>Provenance</h2>\n<section class=\"card\">\n<table>\n");
    let git = provenance.git.as_ref().map_or_else(
        || "not a git repository".to_string(),
        |git| {
            format!(
                "<code>{}</code>{}",
                escape(&git.commit),
                if git.dirty {
                    " (uncommitted changes)"
                } else {
                    " (clean)"
                }
            )
        },
    );
    let rows: [(&str, String); 8] = [
        (
            "crystallize",
            format!("<code>{}</code>", escape(&provenance.crystallize)),
        ),
        (
            "rustc",
            format!("<code>{}</code>", escape(&provenance.rustc)),
        ),
        ("git commit", git),
        ("host", escape(provenance.host.as_deref().unwrap_or("-"))),
        ("started", escape(&provenance.started)),
        ("finished", escape(&provenance.finished)),
        (
            "duration",
            format!("{} s", format_number(provenance.duration_s)),
        ),
        (
            "experiment code",
            format!("<code>{}</code>", escape(&metadata.id)),
        ),
    ];
    for (name, value) in rows {
        let _ = writeln!(html, "<tr><th>{name}</th><td>{value}</td></tr>");
    }
    html.push_str("</table>\n<h3>Stages</h3>\n<table>\n<tr><th>stage</th><th>kind</th><th>code hash</th><th>helpers</th><th>dependencies</th></tr>\n");
    for stage in &metadata.stages {
        let helpers = stage
            .uses
            .iter()
            .map(|helper| format!("<code>{}</code>", escape(&helper.name)))
            .collect::<Vec<_>>()
            .join(", ");
        let dependencies = stage
            .dependencies
            .iter()
            .map(|dependency| escape(&format!("{} {}", dependency.name, dependency.version)))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{helpers}</td><td>{dependencies}</td></tr>",
            escape(&stage.name),
            escape(&stage.kind),
            escape(&stage.code.hex()),
        );
    }
    html.push_str(
        "</table>\n<h3>Condition keys</h3>\n<table>\n<tr><th>condition</th><th>key</th></tr>\n",
    );
    for condition in &page.conditions {
        if let Some(stored) = metadata.conditions.get(&condition.name) {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td><code>{}</code></td></tr>",
                escape(&condition.name),
                escape(&stored.key.hex())
            );
        }
    }
    html.push_str("</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata() -> Metadata {
        let hash = "6a64f4c3205aced53e4dd43b83808b03ac0bb4fb9fd937d6b5c86fb0d5c51fe7";
        serde_json::from_value(serde_json::json!({
            "replicates": 3, "id": hash, "name": "tuning<x>", "version": 2, "format": 1,
            "status": "complete", "strategy": "rerun", "seed": 7, "seed_scheme": 1, "key_scheme": 2,
            "stages": [{"name": "numbers", "kind": "source", "code": hash,
                        "dependencies": [{"name": "rand", "version": "0.10.4"}]}],
            "conditions": {
                "baseline": {"params": {"lr": 0.1}, "payload": {}, "key": hash},
                "lr=0.01": {"params": {"lr": 0.01}, "payload": {"lr": 0.01}, "key": hash}
            },
            "provenance": {"crystallize": "0.1.0", "rustc": "rustc 1.95.0", "host": "vm",
                           "git": {"commit": "abc123", "dirty": true},
                           "started": "s", "finished": "f", "duration_s": 1.5}
        }))
        .unwrap()
    }

    fn conditions() -> Vec<ConditionMetrics> {
        let metrics = |a: Vec<Option<f64>>, b: Vec<Option<f64>>| {
            BTreeMap::from([("loss".to_string(), a), ("a<b".to_string(), b)])
        };
        vec![
            ConditionMetrics {
                name: "baseline".into(),
                metrics: metrics(vec![Some(1.0), Some(2.0), None], vec![Some(0.0); 3]),
            },
            ConditionMetrics {
                name: "lr=0.01".into(),
                metrics: metrics(vec![Some(0.5), Some(0.7), Some(0.6)], vec![Some(1.0); 3]),
            },
        ]
    }

    fn verdicts() -> Verdicts {
        Verdicts::Read(
            serde_json::from_value(serde_json::json!({
                "correction": "holm",
                "hypotheses": [{
                    "name": "lower <loss> & co", "metric": "loss", "direction": "less",
                    "test": "paired-t", "alpha": 0.05, "verifier": null,
                    "results": [{"treatment": "lr=0.01", "statistic": -3.1, "p_value": 0.02,
                                 "p_adjusted": 0.04, "effect": -0.9,
                                 "ci": {"low": -1.2, "high": -0.6, "level": 0.95, "method": "analytic"},
                                 "verdict": "supported", "notes": ["1 replicate <left out>"],
                                 "unknown_field": 1}],
                    "ranking": ["lr=0.01"]
                }]
            }))
            .unwrap(),
        )
    }

    /// The `<tag` openings and `</tag>` closings of `html` outside inline SVG balance for the
    /// elements that must be closed.
    fn assert_balanced(html: &str) {
        for tag in [
            "html", "head", "body", "main", "section", "table", "tr", "td", "th", "svg", "p", "h2",
            "div", "code", "span",
        ] {
            let opened = html.matches(&format!("<{tag}>")).count()
                + html.matches(&format!("<{tag} ")).count();
            let closed = html.matches(&format!("</{tag}>")).count();
            assert_eq!(
                opened, closed,
                "<{tag}> opened {opened} times, closed {closed}"
            );
        }
    }

    #[test]
    fn a_page_has_one_svg_per_plot_and_escapes_every_text() {
        let metadata = metadata();
        let page = Page {
            experiment: "tuning<x>",
            version: 2,
            metadata: &metadata,
            conditions: conditions(),
            verdicts: verdicts(),
        };
        let html = render(&page).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_balanced(&html);
        // Two metrics: two replicate plots; one hypothesis on `loss`: one forest plot.
        assert_eq!(html.matches("<svg").count(), 3);
        assert!(html.contains("<title>tuning&lt;x&gt; v2</title>"));
        assert!(html.contains("lower &lt;loss&gt; &amp; co"));
        assert!(html.contains("1 replicate &lt;left out&gt;"));
        assert!(html.contains("a&lt;b"));
        assert!(!html.contains("<loss>") && !html.contains("a<b") && !html.contains("<x>"));
        assert!(html.contains("<span class=\"verdict supported\">supported</span>"));
        assert!(html.contains("[-1.200, -0.6000] 95%"), "{html}");
        assert!(html.contains("1 replicate value without a value"));
        assert!(html.contains("<code>abc123</code> (uncommitted changes)"));
        assert!(html.contains("rand 0.10.4"));
        // Nothing is fetched: no script, no external reference (the SVG namespace is a name,
        // never fetched).
        let references = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for fetched in [
            "<script", "http://", "https://", "<link", "url(", "@import", "src=",
        ] {
            assert!(!references.contains(fetched), "`{fetched}` in the page");
        }
    }

    #[test]
    fn without_verdicts_the_page_says_so_and_draws_no_forest_plot() {
        let metadata = metadata();
        for (verdicts, says) in [
            (Verdicts::Absent, "declares no hypotheses"),
            (
                Verdicts::Unreadable("bad <json>".into()),
                "cannot be read (bad &lt;json&gt;)",
            ),
        ] {
            let page = Page {
                experiment: "e",
                version: 0,
                metadata: &metadata,
                conditions: conditions(),
                verdicts,
            };
            let html = render(&page).unwrap();
            assert_balanced(&html);
            assert_eq!(html.matches("<svg").count(), 2);
            assert!(html.contains(says), "{html}");
            assert!(html.contains("so no forest plot is shown"));
        }
    }
}
