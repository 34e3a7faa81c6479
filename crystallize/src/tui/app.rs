//! What each key does, on the screen's state alone (no terminal): the terminal loop carries out
//! the [`Effect`] a key asks for (plan again, run, cancel, open an editor, quit).

use std::collections::VecDeque;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::decide::report::Report;
use crate::define::experiment::BASELINE;
use crate::define::registration::Strategy;

use super::model::{self, Live, Node, NodeKind};
use super::planner::Planned;
use super::state::{Toggles, flip};

/// Lines the log pane keeps.
const LOG_LINES: usize = 500;

/// What the screen shows besides the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The tree, the details, the log.
    Normal,
    /// Typing a filter (`/`).
    Filter,
    /// The keys (`?`).
    Help,
    /// The summary table (`s`).
    Summary,
}

/// What the terminal loop does after a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Nothing more.
    None,
    /// Keep the toggles and plan again (the locks follow).
    Replan,
    /// Run with the toggles.
    Run,
    /// Cancel the run between units.
    Cancel,
    /// Open `file` at `line` in the user's editor.
    Edit {
        /// The file.
        file: String,
        /// The line.
        line: u32,
    },
    /// Quit (cancelling a run first).
    Quit,
}

/// The screen's state.
#[derive(Debug)]
pub(crate) struct App {
    /// The plan with the current toggles (none when planning failed).
    pub planned: Option<Planned>,
    /// The toggles.
    pub toggles: Toggles,
    /// The current or last run.
    pub live: Live,
    /// The last run's report.
    pub last_report: Option<Report>,
    /// The selected line among the visible nodes.
    pub selected: usize,
    /// The filter (`/`): nodes whose name contains it, with their experiment.
    pub filter: String,
    /// What is shown.
    pub mode: Mode,
    /// The log pane, oldest first.
    pub log: VecDeque<String>,
    /// A cancel was asked for and the run has not ended yet.
    pub cancelling: bool,
}

impl App {
    /// A screen with `toggles` and nothing planned yet.
    pub(crate) fn new(toggles: Toggles) -> App {
        App {
            planned: None,
            toggles,
            live: Live::default(),
            last_report: None,
            selected: 0,
            filter: String::new(),
            mode: Mode::Normal,
            log: VecDeque::new(),
            cancelling: false,
        }
    }

    /// Adds a line to the log pane.
    pub(crate) fn log(&mut self, line: impl Into<String>) {
        for line in line.into().lines() {
            if self.log.len() == LOG_LINES {
                self.log.pop_front();
            }
            self.log.push_back(line.to_string());
        }
    }

    /// Whether a run is going on.
    pub(crate) fn running(&self) -> bool {
        self.live.running
    }

    /// The nodes the tree shows, filtered.
    pub(crate) fn visible(&self) -> Vec<Node> {
        let Some(planned) = &self.planned else {
            return Vec::new();
        };
        let nodes = model::nodes(planned, &self.live);
        if self.filter.is_empty() {
            return nodes;
        }
        let wanted = self.filter.to_lowercase();
        let matches = |node: &Node| model::label(planned, node).to_lowercase().contains(&wanted);
        let experiment_matches = |index: usize| {
            planned.info[index].name.to_lowercase().contains(&wanted)
                || nodes
                    .iter()
                    .any(|node| node.experiment == index && matches(node))
        };
        nodes
            .iter()
            .filter(|node| match node.kind {
                NodeKind::Experiment => experiment_matches(node.experiment),
                _ => {
                    matches(node)
                        || planned.info[node.experiment]
                            .name
                            .to_lowercase()
                            .contains(&wanted)
                }
            })
            .cloned()
            .collect()
    }

    /// The selected node.
    pub(crate) fn selected_node(&self) -> Option<Node> {
        self.visible().get(self.selected).cloned()
    }

    /// Keeps the selection on a visible line.
    pub(crate) fn clamp(&mut self) {
        let count = self.visible().len();
        self.selected = self.selected.min(count.saturating_sub(1));
    }

    /// Handles a key.
    pub(crate) fn key(&mut self, key: KeyEvent) -> Effect {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Effect::Quit;
        }
        match self.mode {
            Mode::Filter => {
                match key.code {
                    KeyCode::Enter => self.mode = Mode::Normal,
                    KeyCode::Esc => {
                        self.filter.clear();
                        self.mode = Mode::Normal;
                    }
                    KeyCode::Backspace => {
                        self.filter.pop();
                    }
                    KeyCode::Char(c) => self.filter.push(c),
                    _ => {}
                }
                self.selected = 0;
                return Effect::None;
            }
            Mode::Help | Mode::Summary if key.code != KeyCode::Char('q') => {
                let same = matches!(
                    (self.mode, key.code),
                    (Mode::Help, KeyCode::Char('?')) | (Mode::Summary, KeyCode::Char('s'))
                );
                if same || key.code == KeyCode::Esc || key.code == KeyCode::Enter {
                    self.mode = Mode::Normal;
                    return Effect::None;
                }
                if key.code == KeyCode::Char('s') {
                    self.mode = Mode::Summary;
                    return Effect::None;
                }
                if key.code == KeyCode::Char('?') {
                    self.mode = Mode::Help;
                    return Effect::None;
                }
            }
            _ => {}
        }
        let count = self.visible().len();
        match key.code {
            KeyCode::Char('q') => Effect::Quit,
            KeyCode::Up | KeyCode::Char('k') => {
                self.selected = self.selected.saturating_sub(1);
                Effect::None
            }
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1));
                Effect::None
            }
            KeyCode::PageUp => {
                self.selected = self.selected.saturating_sub(10);
                Effect::None
            }
            KeyCode::PageDown => {
                self.selected = (self.selected + 10).min(count.saturating_sub(1));
                Effect::None
            }
            KeyCode::Home | KeyCode::Char('g') => {
                self.selected = 0;
                Effect::None
            }
            KeyCode::End | KeyCode::Char('G') => {
                self.selected = count.saturating_sub(1);
                Effect::None
            }
            KeyCode::Char('l') => self.toggle_lock(),
            KeyCode::Char('x') => self.toggle_treatment(),
            KeyCode::Char('r') if self.running() => {
                if !self.cancelling {
                    self.cancelling = true;
                    self.log("cancelling: units running now finish and are kept, no other starts");
                }
                Effect::Cancel
            }
            KeyCode::Char('r') => {
                if self.planned.is_some() {
                    Effect::Run
                } else {
                    self.log("nothing to run: the plan failed (see above)");
                    Effect::None
                }
            }
            KeyCode::Char('s') => {
                self.mode = Mode::Summary;
                Effect::None
            }
            KeyCode::Char('?') => {
                self.mode = Mode::Help;
                Effect::None
            }
            KeyCode::Char('/') => {
                self.mode = Mode::Filter;
                self.filter.clear();
                Effect::None
            }
            KeyCode::Esc => {
                self.filter.clear();
                Effect::None
            }
            KeyCode::Char('e') => self.edit(),
            _ => Effect::None,
        }
    }

    /// `l`: experiment resume ↔ rerun, condition reuse ↔ recompute, step cache on ↔ off.
    fn toggle_lock(&mut self) -> Effect {
        let (Some(node), Some(planned)) = (self.selected_node(), &self.planned) else {
            return Effect::None;
        };
        let experiment = planned.info[node.experiment].name.clone();
        let line = match &node.kind {
            NodeKind::Experiment => {
                let toggled = self.toggles.rerun.remove(&experiment)
                    || self.toggles.resume.remove(&experiment);
                let now = if toggled {
                    // Back to the strategy of the flags and the definition.
                    None
                } else if planned.info[node.experiment].strategy == Strategy::Rerun {
                    self.toggles.resume.insert(experiment.clone());
                    Some(Strategy::Resume)
                } else {
                    self.toggles.rerun.insert(experiment.clone());
                    Some(Strategy::Rerun)
                };
                match now {
                    Some(Strategy::Rerun) => format!("{experiment}: rerun (every unit runs)"),
                    Some(Strategy::Resume) => {
                        format!("{experiment}: resume (loads what did not change)")
                    }
                    None => format!("{experiment}: its own strategy again"),
                }
            }
            NodeKind::Condition(condition) => {
                if !node.active {
                    self.log(format!(
                        "{experiment} {condition} is excluded; x includes it first"
                    ));
                    return Effect::None;
                }
                if flip(
                    &mut self.toggles.recompute,
                    (experiment.clone(), condition.clone()),
                ) {
                    format!("{experiment} {condition}: recompute (forced)")
                } else {
                    format!("{experiment} {condition}: reuse what did not change")
                }
            }
            NodeKind::Step(step) => {
                if flip(&mut self.toggles.steps, (experiment.clone(), step.clone())) {
                    format!("{experiment} {step}: recompute (its units run, its step cache is off)")
                } else {
                    format!("{experiment} {step}: reuse (step cache on)")
                }
            }
        };
        self.log(line);
        Effect::Replan
    }

    /// `x`: a treatment runs ↔ does not.
    fn toggle_treatment(&mut self) -> Effect {
        let (Some(node), Some(planned)) = (self.selected_node(), &self.planned) else {
            return Effect::None;
        };
        let experiment = planned.info[node.experiment].name.clone();
        match &node.kind {
            NodeKind::Condition(condition) if condition == BASELINE => {
                self.log("the baseline always runs; x toggles treatments");
                Effect::None
            }
            NodeKind::Condition(condition) => {
                let line = if flip(
                    &mut self.toggles.excluded,
                    (experiment.clone(), condition.clone()),
                ) {
                    format!("{experiment} {condition}: excluded (does not run)")
                } else {
                    format!("{experiment} {condition}: included")
                };
                self.log(line);
                Effect::Replan
            }
            _ => {
                self.log("select a treatment (a condition) to toggle it with x");
                Effect::None
            }
        }
    }

    /// `e`: the selected stage's source at its line (an experiment's or condition's: the
    /// experiment's definition).
    fn edit(&mut self) -> Effect {
        let (Some(node), Some(planned)) = (self.selected_node(), &self.planned) else {
            return Effect::None;
        };
        let info = model::info_of(planned, &node);
        let location = match &node.kind {
            NodeKind::Step(name) => info
                .steps
                .iter()
                .find(|step| &step.name == name)
                .and_then(|step| step.location.clone()),
            _ => Some(info.location.clone()),
        };
        match location {
            Some((file, line)) => Effect::Edit { file, line },
            None => {
                self.log("this stage reads an upstream artifact: it has no source of its own");
                Effect::None
            }
        }
    }
}
