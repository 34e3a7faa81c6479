//! `e`: the editor command that opens a file at a line, for the editors people use.

use std::path::Path;

/// The editor the user set: `$CRYSTALLIZE_EDITOR`, `$EDITOR` or `$VISUAL`.
pub(crate) fn configured() -> Option<String> {
    ["CRYSTALLIZE_EDITOR", "EDITOR", "VISUAL"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
}

/// The program and arguments that open `file` at `line` with `editor` (which may carry its own
/// arguments, as in `code -w`).
pub(crate) fn command(editor: &str, file: &str, line: u32) -> Option<(String, Vec<String>)> {
    let mut words = editor.split_whitespace().map(str::to_string);
    let program = words.next()?;
    let mut args: Vec<String> = words.collect();
    let name = Path::new(&program)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.as_str() {
        "code" | "code-insiders" | "codium" | "cursor" => {
            args.extend(["-g".to_string(), format!("{file}:{line}")]);
        }
        "subl" | "zed" => args.push(format!("{file}:{line}")),
        "idea" | "clion" | "rustrover" | "pycharm" | "webstorm" => {
            args.extend(["--line".to_string(), line.to_string(), file.to_string()]);
        }
        "vi" | "vim" | "nvim" | "nano" | "emacs" | "emacsclient" | "hx" | "helix" | "kak"
        | "micro" | "joe" | "mg" => {
            args.extend([format!("+{line}"), file.to_string()]);
        }
        _ => args.push(file.to_string()),
    }
    Some((program, args))
}
