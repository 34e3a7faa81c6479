//! Render tests of the run screen on ratatui's `TestBackend`, one per screen state, and tests
//! of the keys and the toggles.

use std::collections::BTreeMap;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use crate::decide::report::{
    Action, ConditionReport, ExperimentReport, Reason, ReasonKind, Report, UnitErrorReport,
};
use crate::define::registration::Strategy;
use crate::output::events::{Event, UnitOutcome};

use super::app::{App, Effect, Mode};
use super::model::{Live, LiveExperiment};
use super::planner::{ConditionInfo, ExperimentInfo, Planned, StepInfo};
use super::state::Toggles;

fn reason(kind: ReasonKind, detail: &str) -> Reason {
    Reason::new(kind, detail)
}

/// A condition's report: `run` units run and `loaded` loaded, for `why`.
fn condition(run: u32, loaded: u32, why: Reason) -> ConditionReport {
    ConditionReport {
        action: if run > 0 { Action::Ran } else { Action::Loaded },
        units_run: run,
        units_loaded: loaded,
        units_pending: 0,
        metrics: BTreeMap::from([(
            "mean".to_string(),
            (0..run + loaded).map(|r| Some(f64::from(r))).collect(),
        )]),
        errors: Vec::new(),
        reasons: vec![why],
        cache_hits: 0,
        inputs: Vec::new(),
        inherited_from: Vec::new(),
    }
}

fn entry(name: &str, conditions: Vec<(&str, ConditionReport)>) -> ExperimentReport {
    let reasons = conditions
        .iter()
        .flat_map(|(_, c)| c.reasons.clone())
        .collect();
    let run: u32 = conditions.iter().map(|(_, c)| c.units_run).sum();
    ExperimentReport {
        name: name.to_string(),
        action: if run > 0 { Action::Ran } else { Action::Loaded },
        version: 0,
        replicates: 3,
        reasons,
        conditions: conditions
            .into_iter()
            .map(|(name, c)| (name.to_string(), c))
            .collect(),
        artifacts: BTreeMap::new(),
        warnings: Vec::new(),
        pruned: Vec::new(),
        diffs: Vec::new(),
        explain: None,
        hypotheses: Vec::new(),
        correction: None,
    }
}

fn step(name: &str, cached: bool) -> StepInfo {
    StepInfo {
        name: name.to_string(),
        kind: "step".to_string(),
        code: Some("1f3a9b20".to_string()),
        cached,
        location: Some(("src/main.rs".to_string(), 12)),
    }
}

fn info(name: &str, conditions: &[(&str, bool)], steps: Vec<StepInfo>) -> ExperimentInfo {
    ExperimentInfo {
        name: name.to_string(),
        id: "4323ccad".to_string(),
        strategy: Strategy::Resume,
        replicates: 3,
        location: ("src/main.rs".to_string(), 30),
        conditions: conditions
            .iter()
            .map(|(name, active)| ConditionInfo {
                name: name.to_string(),
                params: if *active {
                    json!({"factor": 2.0})
                } else {
                    serde_json::Value::Null
                },
                active: *active,
            })
            .collect(),
        steps,
    }
}

/// `alpha` (baseline, double; steps scale, mean) and `beta` (baseline; cached step total),
/// every unit running for `alpha_why` / `beta_why`, or loading when `None`.
fn planned(alpha: Option<Reason>, beta: Option<Reason>) -> Planned {
    let unchanged = || reason(ReasonKind::SignatureUnchanged, "loaded from v0");
    let units = |why: &Option<Reason>| match why {
        Some(why) => condition(3, 0, why.clone()),
        None => condition(0, 3, unchanged()),
    };
    Planned {
        report: Report {
            experiments: vec![
                entry(
                    "alpha",
                    vec![("baseline", units(&alpha)), ("double", units(&alpha))],
                ),
                entry("beta", vec![("baseline", units(&beta))]),
            ],
        },
        info: vec![
            info(
                "alpha",
                &[("baseline", true), ("double", true)],
                vec![step("scale", false), step("mean", false)],
            ),
            info("beta", &[("baseline", true)], vec![step("total", true)]),
        ],
        no_cache: Vec::new(),
    }
}

fn first_run() -> Option<Reason> {
    Some(reason(ReasonKind::FirstRun, "no previous run in data/x"))
}

/// The screen drawn at `width` × `height`, as lines of text.
fn render(app: &App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| super::view::draw(frame, app, Instant::now()))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

fn screen(app: &App) -> String {
    render(app, 80, 24).join("\n")
}

/// The tree line of `name` (the first one).
fn tree_line(text: &str, name: &str) -> String {
    text.lines()
        .map(|line| line.split("││").next().unwrap_or(line).to_string())
        .find(|line| line.contains(&format!(" {name}")))
        .unwrap_or_else(|| panic!("no line for {name} in\n{text}"))
}

fn press(app: &mut App, code: KeyCode) -> Effect {
    app.key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn app_with(planned: Planned) -> App {
    let mut app = App::new(Toggles::default());
    app.planned = Some(planned);
    app
}

#[test]
fn before_a_run_every_item_is_pending_and_unlocked() {
    let app = app_with(planned(first_run(), first_run()));
    let text = screen(&app);
    assert!(!text.contains('🔒'), "{text}");
    assert!(tree_line(&text, "alpha").contains("○ alpha"), "{text}");
    assert!(tree_line(&text, "total").contains("○ step total (cache)"));
    assert!(text.contains("first-run: no previous run"), "{text}");
    assert!(text.contains("crystallize · ready"));
}

#[test]
fn after_a_run_what_loads_wears_a_lock() {
    let mut app = app_with(planned(None, None));
    app.live = finished_live(&["alpha", "beta"]);
    let text = screen(&app);
    for name in ["alpha", "double", "scale", "mean", "beta", "total"] {
        let line = tree_line(&text, name);
        assert!(line.contains('🔒'), "{name}: {line}\n{text}");
        assert!(line.contains('✔'), "{name}: {line}");
    }
    assert!(
        text.contains("signature-unchanged: loaded from v0"),
        "{text}"
    );
}

/// Both experiments ran, each unit of them.
fn finished_live(names: &[&str]) -> Live {
    let now = Instant::now();
    let mut live = Live::default();
    for name in names {
        live.experiments.insert(
            name.to_string(),
            LiveExperiment {
                total: 3,
                ..LiveExperiment::default()
            },
        );
        for condition in ["baseline", "double"] {
            for replicate in 0..3 {
                for event in [
                    Event::UnitStarted {
                        experiment: name.to_string(),
                        condition: condition.into(),
                        replicate,
                    },
                    unit_finished(name, condition, replicate, UnitOutcome::Ran),
                ] {
                    live.apply(&event, now);
                }
            }
        }
    }
    live.apply(
        &Event::RunFinished {
            ok: true,
            failed_units: 0,
            error: None,
            detached: false,
        },
        now,
    );
    live
}

fn unit_finished(experiment: &str, condition: &str, replicate: u32, outcome: UnitOutcome) -> Event {
    Event::UnitFinished {
        experiment: experiment.into(),
        condition: condition.into(),
        replicate,
        outcome,
        duration_ms: 1.0,
        error: (outcome == UnitOutcome::Failed).then(|| "boom".to_string()),
        failed_in: (outcome == UnitOutcome::Failed).then(|| "panic in `scale`".to_string()),
        metrics: match outcome {
            UnitOutcome::Failed => BTreeMap::new(),
            _ => BTreeMap::from([("mean".to_string(), Some(7.0 + f64::from(replicate)))]),
        },
    }
}

#[test]
fn a_toggled_lock_replans_and_the_lock_goes() {
    let mut app = app_with(planned(None, None));
    // `l` on the step `scale` of alpha (line 4: alpha, baseline, double, scale).
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(press(&mut app, KeyCode::Char('l')), Effect::Replan);
    assert!(
        app.toggles
            .steps
            .contains(&("alpha".to_string(), "scale".to_string()))
    );
    // What the plan says with the toggle: alpha's units run, forced; beta still loads.
    app.planned = Some(planned(
        Some(reason(ReasonKind::Forced, "recompute requested")),
        None,
    ));
    let text = screen(&app);
    for name in ["alpha", "double", "scale"] {
        assert!(!tree_line(&text, name).contains('🔒'), "{name}\n{text}");
    }
    for name in ["beta", "total"] {
        assert!(tree_line(&text, name).contains('🔒'), "{name}\n{text}");
    }
    assert!(text.contains("recompute"), "{text}");
    // `l` again: back to reuse.
    assert_eq!(press(&mut app, KeyCode::Char('l')), Effect::Replan);
    assert!(app.toggles.steps.is_empty());
}

#[test]
fn running_shows_progress_in_place_and_r_cancels() {
    let mut app = app_with(planned(first_run(), None));
    app.live = Live::starting(app.planned.as_ref().unwrap());
    let now = Instant::now();
    for replicate in 0..2 {
        app.live.apply(
            &Event::UnitStarted {
                experiment: "alpha".into(),
                condition: "baseline".into(),
                replicate,
            },
            now,
        );
    }
    app.live.apply(
        &unit_finished("alpha", "baseline", 0, UnitOutcome::Ran),
        now,
    );
    let text = screen(&app);
    let alpha = tree_line(&text, "alpha");
    assert!(alpha.contains("◐ alpha"), "{alpha}");
    assert!(alpha.contains("1/6 units"), "{alpha}");
    assert!(text.contains("crystallize · running"), "{text}");
    // The condition's details show the metrics of the units finished so far, not the plan's.
    press(&mut app, KeyCode::Down);
    let text = screen(&app);
    assert!(text.contains("metrics so far:"), "{text}");
    assert!(text.contains("mean: mean 7.000 (n 1)"), "{text}");
    assert_eq!(press(&mut app, KeyCode::Char('r')), Effect::Cancel);
    assert!(screen(&app).contains("cancelling"));
}

#[test]
fn a_failed_unit_shows_in_place_and_in_the_log() {
    let mut app = app_with(planned(first_run(), first_run()));
    app.live = Live::starting(app.planned.as_ref().unwrap());
    let now = Instant::now();
    app.live.apply(
        &Event::UnitStarted {
            experiment: "alpha".into(),
            condition: "double".into(),
            replicate: 1,
        },
        now,
    );
    let failed = unit_finished("alpha", "double", 1, UnitOutcome::Failed);
    if let Some(line) = app.live.apply(&failed, now) {
        app.log(line);
    }
    let text = screen(&app);
    assert!(tree_line(&text, "alpha").contains("✘ alpha"), "{text}");
    assert!(tree_line(&text, "double").contains("✘ double"), "{text}");
    assert!(tree_line(&text, "scale").contains("✘ step scale"), "{text}");
    assert!(tree_line(&text, "mean").contains("◐ step mean"), "{text}");
    assert!(text.contains("✘ alpha double replicate 1"), "{text}");
    // The condition's failed units, once reported.
    let mut planned = planned(first_run(), first_run());
    planned.report.experiments[0]
        .conditions
        .get_mut("double")
        .unwrap()
        .errors
        .push(UnitErrorReport {
            replicate: 1,
            stage: "scale".into(),
            message: "boom".into(),
            panicked: true,
        });
    app.planned = Some(planned);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    assert!(
        screen(&app).contains("✘ replicate 1: boom"),
        "{}",
        screen(&app)
    );
}

#[test]
fn a_stages_details_show_its_code_diff() {
    let mut planned = planned(
        Some(reason(
            ReasonKind::CodeChanged,
            "step `scale`: code hash 1f3a -> 9b20",
        )),
        None,
    );
    planned.report.experiments[0]
        .diffs
        .push(crate::decide::report::CodeDiff {
            item: "step `scale`".into(),
            old: Some("1f3a".into()),
            new: Some("9b20".into()),
            diff: "-    x * factor\n+    x * factor * 2.0\n".into(),
            note: String::new(),
        });
    let mut app = app_with(planned);
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    let text = render(&app, 120, 30).join("\n");
    assert!(text.contains("code of step `scale`: 1f3a → 9b20"), "{text}");
    assert!(text.contains("+    x * factor * 2.0"), "{text}");
    assert!(text.contains("code-changed: step `scale`"), "{text}");
}

#[test]
fn the_summary_shows_the_table() {
    let mut app = app_with(planned(None, None));
    assert_eq!(press(&mut app, KeyCode::Char('s')), Effect::None);
    assert_eq!(app.mode, Mode::Summary);
    // Before a run: what `plan` prints.
    let text = screen(&app);
    assert!(text.contains("summary"), "{text}");
    assert!(
        text.contains("alpha: would run 0 units and load 6"),
        "{text}"
    );
    // After a run: the run's table, metrics per condition.
    app.last_report = Some(app.planned.as_ref().unwrap().report.clone());
    let text = screen(&app);
    assert!(text.contains("mean: mean ± sd (n)"), "{text}");
    assert!(text.contains("double"), "{text}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn help_lists_every_key() {
    let mut app = app_with(planned(None, None));
    press(&mut app, KeyCode::Char('?'));
    let text = render(&app, 120, 30).join("\n");
    for key in ["l", "x", "r", "s", "e", "/", "?", "q"] {
        assert!(
            text.lines()
                .any(|line| line.contains(&format!("       {key}  "))),
            "{key}\n{text}"
        );
    }
}

#[test]
fn x_toggles_treatments_but_not_the_baseline() {
    let mut app = app_with(planned(None, None));
    press(&mut app, KeyCode::Down);
    assert_eq!(press(&mut app, KeyCode::Char('x')), Effect::None);
    assert!(app.log.back().unwrap().contains("baseline always runs"));
    press(&mut app, KeyCode::Down);
    assert_eq!(press(&mut app, KeyCode::Char('x')), Effect::Replan);
    assert!(
        app.toggles
            .excluded
            .contains(&("alpha".to_string(), "double".to_string()))
    );
    let mut excluded = planned(None, None);
    excluded.info[0].conditions[1].active = false;
    excluded.report.experiments[0]
        .conditions
        .shift_remove("double");
    app.planned = Some(excluded);
    let text = screen(&app);
    let line = tree_line(&text, "double");
    assert!(
        line.contains("double (excluded)") && !line.contains('🔒'),
        "{line}"
    );
}

#[test]
fn the_filter_keeps_matches_with_their_experiment() {
    let mut app = app_with(planned(None, None));
    press(&mut app, KeyCode::Char('/'));
    for c in "tot".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    // beta (whose step matches) and its step `total`.
    let visible = app.visible();
    assert_eq!(visible.len(), 2, "{visible:?}");
    let text = screen(&app);
    assert!(!text.contains(" alpha"), "{text}");
    assert!(text.contains("filter: tot"), "{text}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.visible().len(), 8);
}

#[test]
fn e_opens_the_selected_steps_line() {
    let mut app = app_with(planned(None, None));
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(
        press(&mut app, KeyCode::Char('e')),
        Effect::Edit {
            file: "src/main.rs".into(),
            line: 12
        }
    );
    assert_eq!(
        super::editor::command("vim", "src/main.rs", 12),
        Some(("vim".into(), vec!["+12".into(), "src/main.rs".into()]))
    );
    assert_eq!(
        super::editor::command("code -w", "a.rs", 3),
        Some((
            "code".into(),
            vec!["-w".into(), "-g".into(), "a.rs:3".into()]
        ))
    );
}

#[test]
fn many_experiments_scroll_and_fit_80_by_24_and_any_size() {
    let mut report = Report::default();
    let mut infos = Vec::new();
    for index in 0..200 {
        let name = format!("exp{index:03}");
        report.experiments.push(entry(
            &name,
            vec![(
                "baseline",
                condition(0, 5, reason(ReasonKind::SignatureUnchanged, "v0")),
            )],
        ));
        infos.push(info(&name, &[("baseline", true)], vec![step("s", false)]));
    }
    let mut app = app_with(Planned {
        report,
        info: infos,
        no_cache: Vec::new(),
    });
    press(&mut app, KeyCode::End);
    let text = screen(&app);
    assert!(text.contains("exp199 🔒"), "{text}");
    assert!(text.contains("600/600"), "{text}");
    // Tiny and huge terminals draw without panicking.
    for (width, height) in [(10, 4), (1, 1), (300, 100)] {
        render(&app, width, height);
    }
}

#[test]
fn toggles_become_overrides() {
    let toggles = Toggles {
        rerun: ["a".to_string()].into(),
        recompute: [("b".to_string(), "baseline".to_string())].into(),
        excluded: [("b".to_string(), "t".to_string())].into(),
        ..Toggles::default()
    };
    let overrides = toggles.overrides(&Default::default(), &[]);
    assert_eq!(
        overrides.experiment_strategy.get("a"),
        Some(&Strategy::Rerun)
    );
    assert!(
        overrides
            .recompute
            .contains(&("b".to_string(), "baseline".to_string()))
    );
    assert!(
        overrides
            .excluded
            .contains(&("b".to_string(), "t".to_string()))
    );
}

#[test]
fn the_state_file_round_trips_and_a_corrupt_one_is_reported_and_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join(super::STATE_FILE);
    let (toggles, warning) = Toggles::load(&path);
    assert_eq!((toggles, warning), (Toggles::default(), None));
    let toggles = Toggles {
        steps: [("a".to_string(), "scale".to_string())].into(),
        ..Toggles::default()
    };
    toggles.save(&path).unwrap();
    assert_eq!(Toggles::load(&path), (toggles, None));
    std::fs::write(&path, b"{not json").unwrap();
    let (toggles, warning) = Toggles::load(&path);
    assert_eq!(toggles, Toggles::default());
    assert!(warning.unwrap().contains("ignored"));
}

#[test]
fn the_summary_shows_the_verdicts_of_a_run() {
    use crate::decide::verdicts::{HypothesisReport, TreatmentResult, Verdict};
    use crate::stats::{Correction, Direction, Effects, Test};
    let mut app = app_with(planned(None, None));
    press(&mut app, KeyCode::Char('s'));
    let mut report = app.planned.as_ref().unwrap().report.clone();
    report.experiments[0].correction = Some(Correction::Holm);
    report.experiments[0].hypotheses = vec![HypothesisReport {
        name: "double wins".into(),
        metric: "mean".into(),
        direction: Direction::Greater,
        test: Some(Test::PairedT),
        alpha: 0.05,
        verifier: None,
        results: vec![TreatmentResult {
            treatment: "double".into(),
            test: Some(Test::PairedT),
            n_baseline: 3,
            n_treatment: 3,
            statistic: Some(9.0),
            p_value: Some(0.006),
            p_adjusted: Some(0.006),
            effect: Some(0.5),
            ci: None,
            effects: Effects::default(),
            verdict: Verdict::Supported,
            notes: Vec::new(),
        }],
        ranking: vec!["double".into()],
    }];
    app.last_report = Some(report);
    let text = render(&app, 160, 40).join("\n");
    assert!(
        text.contains("hypotheses (p adjusted across 1 comparison(s), Holm):"),
        "{text}"
    );
    assert!(text.contains("double wins"), "{text}");
    assert!(text.contains("supported"), "{text}");
}
