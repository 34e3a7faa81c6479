//! `report EXPERIMENT [--version N] [-o FILE]`: the HTML report of a stored run of the
//! `sweeps` fixture (`src/bin/sweeps.rs`), with the verdicts of a `hypotheses.json` placed in
//! the version directory as a run with hypotheses writes it; bad arguments exit 2; and the page
//! rendered by headless Chromium, its SVG plots present and drawn.

use std::path::Path;
use std::process::Command;

use crate::common::{Run, require, run_bin, tool_runs};

const SWEEPS: &str = env!("CARGO_BIN_EXE_sweeps");

/// Verdicts of one hypothesis on `loss` for the four treatments of `gridded`, as a run with
/// hypotheses stores them in `v<N>/hypotheses.json`; one is undefined, with a note to escape.
const HYPOTHESES: &str = r#"{"correction": "holm",
 "hypotheses": [
  {"name": "deeper & slower lowers loss", "metric": "loss", "direction": "less", "test": "paired-t",
   "alpha": 0.05, "verifier": null,
   "results": [
     {"treatment": "depth=2,lr=0.1", "test": "paired-t", "n_baseline": 3, "n_treatment": 3,
      "statistic": -12.3, "p_value": 0.003, "p_adjusted": 0.009, "effect": -0.5,
      "ci": {"low": -0.55, "high": -0.45, "level": 0.95, "method": "analytic"},
      "effects": {"mean_difference": -0.5}, "verdict": "supported", "notes": []},
     {"treatment": "depth=2,lr=0.01", "test": "paired-t", "n_baseline": 3, "n_treatment": 3,
      "statistic": -20.1, "p_value": 0.001, "p_adjusted": 0.004, "effect": -0.93,
      "ci": {"low": -1.0, "high": -0.86, "level": 0.95, "method": "analytic"},
      "effects": {}, "verdict": "supported", "notes": []},
     {"treatment": "depth=4,lr=0.1", "test": "paired-t", "n_baseline": 3, "n_treatment": 3,
      "statistic": -3.0, "p_value": 0.04, "p_adjusted": 0.08, "effect": -0.75,
      "ci": {"low": -1.6, "high": 0.1, "level": 0.95, "method": "analytic"},
      "effects": {}, "verdict": "not-supported", "notes": []},
     {"treatment": "depth=4,lr=0.01", "test": "paired-t", "n_baseline": 3, "n_treatment": 3,
      "statistic": null, "p_value": null, "p_adjusted": null, "effect": null, "ci": null,
      "effects": {}, "verdict": "inconclusive", "notes": ["zero variance <in both samples>"]}
   ],
   "ranking": ["depth=2,lr=0.01", "depth=2,lr=0.1", "depth=4,lr=0.1", "depth=4,lr=0.01"]}
 ]}"#;

/// Runs `sweeps` with `args` over `data`.
fn sweeps(data: &Path, args: &[&str]) -> Run {
    run_bin(SWEEPS, data, args)
}

/// A stored run of `gridded` with the verdicts above, and the page `report` wrote of it.
fn report_of_a_run(dir: &Path) -> String {
    let data = dir.join("data");
    let run = sweeps(&data, &["run", "gridded"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(data.join("gridded/v0/hypotheses.json"), HYPOTHESES).unwrap();
    let page = dir.join("page.html");
    let report = sweeps(&data, &["report", "gridded", "-o", page.to_str().unwrap()]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(report.stderr.contains("gridded v0"), "{}", report.stderr);
    std::fs::read_to_string(page).unwrap()
}

#[test]
fn report_writes_a_page_with_plots_verdicts_and_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let html = report_of_a_run(dir.path());
    // Two metrics (`depth`, `loss`): two replicate plots; one hypothesis on `loss`: one forest
    // plot.
    assert_eq!(html.matches("<svg").count(), 3, "{html}");
    assert_eq!(html.matches("</svg>").count(), 3);
    // Every replicate of every condition is a point: 5 conditions × 3 replicates × 2 metrics,
    // and one effect per treatment with a defined effect.
    assert_eq!(html.matches("<circle").count(), 5 * 3 * 2 + 3, "{html}");
    for condition in [
        "depth=2,lr=0.1",
        "depth=2,lr=0.01",
        "depth=4,lr=0.1",
        "depth=4,lr=0.01",
    ] {
        assert!(html.contains(condition), "{condition}");
    }
    assert!(html.contains("deeper &amp; slower lowers loss"));
    assert!(html.contains("zero variance &lt;in both samples&gt;"));
    assert!(html.contains("<span class=\"verdict supported\">supported</span>"));
    assert!(html.contains("<span class=\"verdict not-supported\">not-supported</span>"));
    assert!(html.contains("<span class=\"verdict inconclusive\">inconclusive</span>"));
    assert!(html.contains("[-0.5500, -0.4500] 95%"), "{html}");
    assert!(
        html.contains("Without a defined effect (see the notes in the table): depth=4,lr=0.01.")
    );
    // Provenance: the code hashes of the stages as stored.
    let metadata = crate::common::read_json(dir.path().join("data/gridded/v0/metadata.json"));
    for stage in metadata["stages"].as_array().unwrap() {
        assert!(html.contains(stage["code"].as_str().unwrap()), "{stage}");
    }
    assert!(html.contains(metadata["provenance"]["rustc"].as_str().unwrap()));
    // Self-contained: nothing to fetch.
    let references = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for fetched in [
        "<script", "http://", "https://", "<link", "url(", "@import", "src=",
    ] {
        assert!(!references.contains(fetched), "`{fetched}` in the page");
    }
}

#[test]
fn the_page_shows_the_verdicts_a_run_stored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = sweeps(&data, &["run", "gridded", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stored = crate::common::read_json(data.join("gridded/v0/hypotheses.json"));
    let page = dir.path().join("page.html");
    let report = sweeps(&data, &["report", "gridded", "-o", page.to_str().unwrap()]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let html = std::fs::read_to_string(page).unwrap();
    // Two replicate plots and the forest plot of `lower loss`.
    assert_eq!(html.matches("<svg").count(), 3, "{html}");
    assert!(html.contains("lower loss"));
    let results = stored["hypotheses"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    for result in results {
        let verdict = result["verdict"].as_str().unwrap();
        assert!(
            html.contains(&format!(
                "<span class=\"verdict {verdict}\">{verdict}</span>"
            )),
            "{verdict}"
        );
    }
    // `loss` falls in every treatment here, so every verdict is `supported`.
    assert!(
        results
            .iter()
            .all(|result| result["verdict"] == "supported"),
        "{stored}"
    );
}

#[test]
fn without_hypotheses_the_page_says_so_and_the_default_file_is_report_html() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert_eq!(sweeps(&data, &["run", "swept"]).code, 0);
    let output = Command::new(SWEEPS)
        .args(["report", "swept", "--version", "0", "--data-dir"])
        .arg(&data)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert_eq!(
        html.matches("<svg").count(),
        1,
        "one metric, no forest plot"
    );
    assert!(
        html.contains("the experiment declares no hypotheses"),
        "{html}"
    );
    assert!(html.contains("so no forest plot is shown"));
}

#[test]
fn bad_arguments_exit_2_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let page = dir.path().join("page.html");
    let page = page.to_str().unwrap();
    let never_ran = sweeps(&data, &["report", "swept", "-o", page]);
    assert_eq!(never_ran.code, 2, "{}", never_ran.stderr);
    assert!(
        never_ran.stderr.contains("`swept` has no stored run"),
        "{}",
        never_ran.stderr
    );
    assert_eq!(sweeps(&data, &["run", "swept"]).code, 0);
    let unknown = sweeps(&data, &["report", "nope", "-o", page]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("unknown experiment `nope`; known experiments: "),
        "{}",
        unknown.stderr
    );
    let version = sweeps(&data, &["report", "swept", "--version", "7", "-o", page]);
    assert_eq!(version.code, 2);
    assert!(
        version.stderr.contains("`swept` has no version 7"),
        "{}",
        version.stderr
    );
    let missing = sweeps(&data, &["report"]);
    assert_eq!(missing.code, 2);
    assert!(!Path::new(page).exists(), "nothing is written");
    // An unreadable hypotheses.json is said, and the page is still written.
    std::fs::write(data.join("swept/v0/hypotheses.json"), "{ not json").unwrap();
    let corrupt = sweeps(&data, &["report", "swept", "-o", page]);
    assert_eq!(corrupt.code, 0, "{}", corrupt.stderr);
    assert!(
        corrupt.stderr.contains("hypotheses.json is unreadable"),
        "{}",
        corrupt.stderr
    );
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains("cannot be read"), "{html}");
}

/// The Chromium binary, if one is installed.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|program| tool_runs(program, &["--version"]))
}

#[test]
fn headless_chromium_renders_the_page_with_its_plots() {
    let browser = chromium();
    if !require(browser.is_some(), "Chromium", "apt-get install -y chromium") {
        return;
    }
    let browser = browser.unwrap();
    let dir = tempfile::tempdir().unwrap();
    report_of_a_run(dir.path());
    let url = format!("file://{}", dir.path().join("page.html").display());
    let headless = |extra: &[&str]| {
        Command::new(browser)
            .args([
                "--headless",
                "--disable-gpu",
                "--no-sandbox",
                "--window-size=1200,2000",
            ])
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join("profile").display()
            ))
            .args(extra)
            .arg(&url)
            .output()
            .expect("chromium runs")
    };
    let shot = dir.path().join("page.png");
    let screenshot = headless(&[&format!("--screenshot={}", shot.display())]);
    assert!(
        screenshot.status.success(),
        "{}",
        String::from_utf8_lossy(&screenshot.stderr)
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(
        png.len() > 20_000,
        "a page with plots, not a blank one: {} bytes",
        png.len()
    );
    // The DOM after rendering: the SVG plots were parsed as SVG elements with their shapes.
    let dom = headless(&["--dump-dom"]);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    let plots: Vec<&str> = dom.split("<svg").skip(1).collect();
    assert_eq!(plots.len(), 3, "{dom}");
    for plot in plots {
        let plot = &plot[..plot.find("</svg>").expect("a closed svg")];
        assert!(
            plot.contains("width=\"") && plot.contains("viewBox"),
            "{plot}"
        );
        assert!(plot.matches("<circle").count() >= 3, "{plot}");
        assert!(
            plot.contains("<polyline") || plot.contains("<line"),
            "{plot}"
        );
        assert!(plot.contains("<text"), "{plot}");
    }
}
