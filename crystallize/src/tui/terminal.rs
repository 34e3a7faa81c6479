//! The terminal: raw mode and the alternate screen for as long as the screen runs, restored on
//! quit, on an error, and on a panic of the screen itself (a panic in a step is the unit's
//! error and leaves the screen alone); the loop over keys, resizes and run events.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, OnceLock};
use std::thread::{Scope, ScopedJoinHandle, ThreadId};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event as TermEvent, KeyEventKind};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use super::app::{App, Effect};
use super::capture::Out;
use super::model::Live;
use super::planner;
use super::runner::{self, Message};
use super::state::Toggles;
use super::{Launch, ScreenError};

/// The thread drawing the screen: only its panics restore the terminal.
static SCREEN_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// Gives back the standard output and error, leaves raw mode and the alternate screen, and
/// shows the cursor.
fn restore() {
    super::capture::stop();
    let _ = disable_raw_mode();
    let _ = execute!(std::io::stdout(), LeaveAlternateScreen, cursor::Show);
}

/// Enters raw mode and the alternate screen.
fn enter() -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen, cursor::Hide)
}

/// Sends what the process writes to its standard output and error to the log pane (through
/// `sender`). Whatever asks the terminal something on the standard output (ratatui's `clear`
/// asks where the cursor is) must come before.
fn capture(sender: &Sender<Message>) -> std::io::Result<()> {
    let sender = sender.clone();
    super::capture::start(move |line| {
        let _ = sender.send(Message::Output(line));
    })
}

/// Restores the terminal when dropped: on quit, on an error, and while a panic unwinds.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// A panic of the screen thread restores the terminal before its message is printed, so the
/// message is readable and the shell usable.
fn install_panic_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let screen = SCREEN_THREAD.get() == Some(&std::thread::current().id());
            if screen && !crate::unit::panic::capturing() {
                restore();
            }
            previous(info);
        }));
    });
}

/// Runs the screen until `q`.
pub(super) fn run(launch: &Launch<'_>) -> Result<(), ScreenError> {
    let _ = SCREEN_THREAD.set(std::thread::current().id());
    install_panic_hook();
    let failed = |error: std::io::Error| ScreenError::Failed(format!("terminal: {error}"));
    let out = super::capture::terminal().map_err(failed)?;
    let (sender, receiver) = mpsc::channel();
    let _restore = Restore;
    enter().map_err(failed)?;
    capture(&sender).map_err(failed)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(out)).map_err(failed)?;
    std::thread::scope(|scope| screen(scope, launch, &mut terminal, (sender, receiver)))
        .map_err(failed)
}

/// Plans again with the app's toggles, keeping them in the state file.
fn replan(app: &mut App, launch: &Launch<'_>, save: bool) {
    if save {
        let path = super::state_path(&launch.root);
        if let Err(error) = app.toggles.save(&path) {
            app.log(format!(
                "cannot keep the toggles in {}: {error}",
                path.display()
            ));
        }
    }
    match planner::plan_with(launch, &app.toggles) {
        Ok(planned) => app.planned = Some(planned),
        Err(message) => {
            app.planned = None;
            app.log(format!("cannot plan: {message}"));
        }
    }
    app.clamp();
}

/// The loop: draw, take run events, take keys and resizes.
fn screen<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    launch: &'env Launch<'env>,
    terminal: &mut Terminal<CrosstermBackend<Out>>,
    (sender, receiver): (Sender<Message>, Receiver<Message>),
) -> std::io::Result<()> {
    let (toggles, warning) = Toggles::load(&super::state_path(&launch.root));
    let mut app = App::new(toggles);
    if let Some(warning) = warning {
        app.log(warning);
    }
    replan(&mut app, launch, false);
    let mut run: Option<(ScopedJoinHandle<'scope, ()>, Arc<AtomicBool>)> = None;
    let mut quitting = false;
    let mut replan_after_run = false;
    loop {
        while let Ok(message) = receiver.try_recv() {
            match message {
                Message::Output(line) => app.log(line),
                Message::Event(event) => {
                    if let Some(line) = app.live.apply(&event, Instant::now()) {
                        app.log(line);
                    }
                }
                Message::Finished(result) => {
                    if let Some((handle, _)) = run.take() {
                        let _ = handle.join();
                    }
                    app.live.running = false;
                    app.cancelling = false;
                    match result {
                        Ok(report) => {
                            let failed = report.failed_units();
                            app.log(if failed > 0 {
                                format!("run finished: {failed} unit(s) failed")
                            } else {
                                "run finished".to_string()
                            });
                            app.last_report = Some(report);
                        }
                        Err(message) => app.log(format!("run stopped: {message}")),
                    }
                    if quitting {
                        return Ok(());
                    }
                    replan(&mut app, launch, replan_after_run);
                    replan_after_run = false;
                }
            }
        }
        terminal.draw(|frame| super::view::draw(frame, &app, Instant::now()))?;
        if !event::poll(Duration::from_millis(100))? {
            continue;
        }
        match event::read()? {
            TermEvent::Key(key) if key.kind != KeyEventKind::Release => match app.key(key) {
                Effect::None => {}
                Effect::Quit => {
                    if let Some((_, cancel)) = &run {
                        cancel.store(true, Ordering::Relaxed);
                        quitting = true;
                        app.log("quitting once the units running now finish…");
                    } else {
                        return Ok(());
                    }
                }
                Effect::Replan if app.running() => {
                    replan_after_run = true;
                    app.log("(applies to the next run)");
                }
                Effect::Replan => replan(&mut app, launch, true),
                Effect::Cancel => {
                    if let Some((_, cancel)) = &run {
                        cancel.store(true, Ordering::Relaxed);
                    }
                }
                Effect::Run => {
                    if let Some(planned) = &app.planned {
                        app.live = Live::starting(planned);
                        app.log("run started");
                        let cancel = Arc::new(AtomicBool::new(false));
                        let handle = runner::spawn(
                            scope,
                            launch,
                            app.toggles.clone(),
                            sender.clone(),
                            cancel.clone(),
                        );
                        run = Some((handle, cancel));
                    }
                }
                Effect::Edit { file, line } => {
                    edit(terminal, &mut app, &file, line, &sender)?;
                }
            },
            TermEvent::Resize(..) => terminal.autoresize()?,
            _ => {}
        }
    }
}

/// Opens `file` at `line` in the user's editor, with the screen suspended.
fn edit(
    terminal: &mut Terminal<CrosstermBackend<Out>>,
    app: &mut App,
    file: &str,
    line: u32,
    sender: &Sender<Message>,
) -> std::io::Result<()> {
    let Some(editor) = super::editor::configured() else {
        app.log(format!(
            "set $EDITOR (e.g. export EDITOR=vim) to open {file}:{line} with e"
        ));
        return Ok(());
    };
    if !std::path::Path::new(file).is_file() {
        app.log(format!(
            "{file} is not here: run the screen from the directory the binary was built in"
        ));
        return Ok(());
    }
    let Some((program, args)) = super::editor::command(&editor, file, line) else {
        return Ok(());
    };
    restore();
    let status = std::process::Command::new(&program).args(&args).status();
    enter()?;
    terminal.clear()?;
    capture(sender)?;
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => app.log(format!("{program} exited with {status}")),
        Err(error) => app.log(format!("cannot start {program}: {error}")),
    }
    Ok(())
}
