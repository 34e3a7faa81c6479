//! Drawing the screen: the tree on the left, the details and the log on the right, a key line
//! at the top, and the help or the summary over them. Fits 80×24; the tree scrolls.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::app::{App, Mode};
use super::model::{self, LOCK, NodeKind, State};

/// The keys, for `?`.
pub(crate) const HELP: &[(&str, &str)] = &[
    ("↑/↓ j/k", "move (PgUp/PgDn, g/G: page, first, last)"),
    (
        "l",
        "toggle caching of the selected item: experiment resume ↔ rerun, condition reuse ↔ recompute, step cache on ↔ off",
    ),
    (
        "x",
        "toggle the selected treatment (excluded ones do not run)",
    ),
    (
        "r",
        "run; while running: cancel between units (finished units are kept)",
    ),
    ("s", "summary table"),
    (
        "e",
        "open the selected step's source in $EDITOR at its line",
    ),
    ("/", "filter the tree (Enter keeps it, Esc clears it)"),
    ("?", "this help"),
    ("q", "quit"),
];

/// Draws `app` on `frame`.
pub(crate) fn draw(frame: &mut Frame<'_>, app: &App, now: Instant) {
    let area = frame.area();
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .split(area);
    frame.render_widget(Paragraph::new(header(app)), rows[0]);
    let columns = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(45), Constraint::Percentage(55)])
        .split(rows[1]);
    draw_tree(frame, app, columns[0], now);
    let right = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Percentage(60), Constraint::Percentage(40)])
        .split(columns[1]);
    let details = match (&app.planned, app.selected_node()) {
        (Some(planned), Some(node)) => model::details(planned, &app.live, &node, now),
        _ => vec!["nothing to show".to_string()],
    };
    frame.render_widget(
        Paragraph::new(details.into_iter().map(Line::from).collect::<Vec<_>>())
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(" details ")),
        right[0],
    );
    let log_height = right[1].height.saturating_sub(2) as usize;
    let log: Vec<Line<'_>> = app
        .log
        .iter()
        .skip(app.log.len().saturating_sub(log_height))
        .map(|line| Line::from(line.as_str()))
        .collect();
    frame.render_widget(
        Paragraph::new(log).block(Block::default().borders(Borders::ALL).title(" log ")),
        right[1],
    );
    frame.render_widget(Paragraph::new(footer(app)), rows[2]);
    match app.mode {
        Mode::Help => {
            let lines: Vec<Line<'_>> = HELP
                .iter()
                .map(|(key, what)| {
                    Line::from(vec![
                        Span::styled(format!("{key:>8}  "), Style::default().fg(Color::Yellow)),
                        Span::raw(*what),
                    ])
                })
                .collect();
            overlay(frame, area, " keys (? or Esc closes) ", lines);
        }
        Mode::Summary => {
            let text = model::summary(app.planned.as_ref(), app.last_report.as_ref());
            let lines = text
                .lines()
                .map(|line| Line::from(line.to_string()))
                .collect();
            overlay(frame, area, " summary (s or Esc closes) ", lines);
        }
        Mode::Normal | Mode::Filter => {}
    }
}

/// The top line: the keys, and what the screen is doing.
fn header(app: &App) -> Line<'static> {
    let status = if app.cancelling {
        "cancelling…"
    } else if app.running() {
        "running"
    } else {
        "ready"
    };
    Line::from(vec![
        Span::styled(
            format!(" crystallize · {status} "),
            Style::default().add_modifier(Modifier::REVERSED),
        ),
        Span::raw(" r run  l lock  x treatment  s summary  e edit  / filter  ? help  q quit"),
    ])
}

/// The bottom line: the filter, or the selection.
fn footer(app: &App) -> Line<'static> {
    if app.mode == Mode::Filter {
        return Line::from(format!("/{}▏", app.filter));
    }
    let count = app.visible().len();
    let mut text = format!(" {}/{count}", (app.selected + 1).min(count));
    if !app.filter.is_empty() {
        text.push_str(&format!("  filter: {} (Esc clears)", app.filter));
    }
    Line::from(text)
}

/// The tree, scrolled to keep the selection in view.
fn draw_tree(frame: &mut Frame<'_>, app: &App, area: Rect, now: Instant) {
    let Some(planned) = &app.planned else {
        frame.render_widget(
            Paragraph::new("no plan (see the log)").block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" experiments "),
            ),
            area,
        );
        return;
    };
    let items: Vec<ListItem<'_>> = app
        .visible()
        .iter()
        .map(|node| {
            let indent = match node.kind {
                NodeKind::Experiment => "",
                _ => "  ",
            };
            let mut spans = vec![
                Span::raw(format!("{indent}{} ", node.state.icon())),
                Span::styled(
                    model::label(planned, node),
                    match node.kind {
                        NodeKind::Experiment => Style::default().add_modifier(Modifier::BOLD),
                        _ if !node.active => Style::default().fg(Color::DarkGray),
                        _ => Style::default(),
                    },
                ),
            ];
            if node.locked {
                spans.push(Span::raw(format!(" {LOCK}")));
            }
            if node.kind == NodeKind::Experiment
                && let Some(live) = app
                    .live
                    .experiments
                    .get(&planned.info[node.experiment].name)
                && (live.started.is_some() || node.state == State::Running)
            {
                spans.push(Span::styled(
                    format!("  {}", live.progress(now)),
                    Style::default().fg(Color::Cyan),
                ));
            }
            let style = if node.state == State::Failed {
                Style::default().fg(Color::Red)
            } else {
                Style::default()
            };
            ListItem::new(Line::from(spans)).style(style)
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" experiments "),
        )
        .highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = ListState::default().with_selected(Some(app.selected));
    frame.render_stateful_widget(list, area, &mut state);
}

/// A box over the middle of the screen.
fn overlay(frame: &mut Frame<'_>, area: Rect, title: &str, lines: Vec<Line<'_>>) {
    let width = area.width.saturating_sub(4).max(10);
    let height = area.height.saturating_sub(2).max(3);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width: width.min(area.width),
        height: height.min(area.height),
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(title.to_string()),
        ),
        rect,
    );
}
