//! A small crate that uses crystallize, built from a source template in a temporary directory,
//! so tests can edit its source, rebuild and run it again. Builds share
//! `target/tests/edit-fixture`, so dependencies compile once and rebuilds only recompile the
//! fixture; they take turns there ([`super::edit_fixture_builds`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime};

fn workspace_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|meta| meta.modified()).ok()
}

/// The crate, its source as last written, a data directory, and its build timings.
pub struct FixtureCrate {
    package: &'static str,
    crate_dir: tempfile::TempDir,
    data_dir: tempfile::TempDir,
    target_dir: PathBuf,
    source: String,
    /// Label and duration of every build so far.
    pub builds: Vec<(String, Duration)>,
}

impl FixtureCrate {
    /// A crate named `package` whose `src/main.rs` is `template`, depending on this workspace's
    /// crystallize, with the workspace's `Cargo.lock` (same dependency versions, offline).
    pub fn new(package: &'static str, template: &str) -> FixtureCrate {
        let crate_dir = tempfile::tempdir().expect("temp dir for the fixture crate");
        let data_dir = tempfile::tempdir().expect("temp dir for the data");
        let crystallize = workspace_dir().join("crystallize");
        assert!(
            crystallize.join("Cargo.toml").is_file(),
            "no crystallize crate at {}",
            crystallize.display()
        );
        let manifest = format!(
            "[package]\n\
             name = \"{package}\"\n\
             version = \"0.0.0\"\n\
             edition = \"2024\"\n\
             publish = false\n\
             \n\
             [dependencies]\n\
             crystallize = {{ path = '{}' }}\n\
             \n\
             [workspace]\n",
            crystallize.display()
        );
        fs::write(crate_dir.path().join("Cargo.toml"), manifest).expect("write Cargo.toml");
        fs::copy(
            workspace_dir().join("Cargo.lock"),
            crate_dir.path().join("Cargo.lock"),
        )
        .expect("copy the workspace's Cargo.lock");
        fs::create_dir(crate_dir.path().join("src")).expect("create src/");
        FixtureCrate {
            package,
            crate_dir,
            data_dir,
            target_dir: workspace_dir().join("target/tests/edit-fixture"),
            source: template.to_string(),
            builds: Vec::new(),
        }
    }

    /// The data directory the binary runs with.
    pub fn data(&self) -> &Path {
        self.data_dir.path()
    }

    /// The source as last edited.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Adds `lines` (TOML) to the crate's `[dependencies]`.
    pub fn add_dependencies(&self, lines: &str) {
        let path = self.crate_dir.path().join("Cargo.toml");
        let manifest = fs::read_to_string(&path).expect("read Cargo.toml");
        let updated =
            manifest.replacen("[dependencies]\n", &format!("[dependencies]\n{lines}\n"), 1);
        fs::write(&path, updated).expect("write Cargo.toml");
    }

    /// Writes `content` to `relative` below the crate's directory (an extra module, a path
    /// dependency's files, a changed `Cargo.toml`), creating directories.
    pub fn write(&self, relative: &str, content: &str) {
        let path = self.crate_dir.path().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create the file's directory");
        }
        fs::write(&path, content)
            .unwrap_or_else(|error| panic!("write {}: {error}", path.display()));
    }

    /// Replaces `from` by `to` in the file `relative` below the crate's directory; `from` must
    /// occur exactly once.
    pub fn edit_file(&self, relative: &str, from: &str, to: &str) {
        let path = self.crate_dir.path().join(relative);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit of {relative}: `{from}` must occur exactly once in:\n{text}"
        );
        fs::write(&path, text.replacen(from, to, 1))
            .unwrap_or_else(|error| panic!("write {}: {error}", path.display()));
    }

    /// The built binary.
    pub fn binary(&self) -> PathBuf {
        self.target_dir.join("debug").join(format!(
            "{}{}",
            self.package,
            std::env::consts::EXE_SUFFIX
        ))
    }

    /// Replaces `from` by `to` in the source; `from` must occur exactly once, so a changed
    /// template cannot make a scenario silently test nothing.
    pub fn edit(&mut self, from: &str, to: &str) {
        let found = self.source.matches(from).count();
        assert_eq!(
            found, 1,
            "edit `{from}` -> `{to}`: expected exactly one match in the fixture source, found \
             {found}:\n{}",
            self.source
        );
        self.source = self.source.replacen(from, to, 1);
    }

    /// Writes the source and runs `cargo build`, whatever the outcome (for sources that must
    /// not compile).
    pub fn try_build(&self) -> Output {
        self.timed_build().0
    }

    /// [`FixtureCrate::try_build`], with how long cargo took. Waits (untimed) while another
    /// test builds in the shared target directory.
    fn timed_build(&self) -> (Output, Duration) {
        fs::write(self.crate_dir.path().join("src/main.rs"), &self.source)
            .expect("write src/main.rs");
        let _turn = super::edit_fixture_builds();
        let started = Instant::now();
        let output = Command::new(env!("CARGO"))
            .args(["build", "--offline", "--quiet", "--manifest-path"])
            .arg(self.crate_dir.path().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .output()
            .expect("cargo runs");
        (output, started.elapsed())
    }

    /// Writes the source and builds it; after the first build, the binary must be rewritten
    /// (a build that left it alone would make a scenario vacuous).
    pub fn build(&mut self, label: &str) {
        let before = modified(&self.binary());
        let (output, took) = self.timed_build();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "building {} ({label}) failed:\n{stderr}\nsource:\n{}",
            self.package,
            self.source
        );
        let after = modified(&self.binary());
        assert!(after.is_some(), "no binary at {}", self.binary().display());
        if !self.builds.is_empty() {
            assert_ne!(
                before,
                after,
                "the build ({label}) did not rewrite {}",
                self.binary().display()
            );
        }
        eprintln!(
            "[{}] build ({label}): {:.1}s",
            self.package,
            took.as_secs_f64()
        );
        self.builds.push((label.to_string(), took));
    }

    /// Runs the binary with `args` and `--data-dir <data>`.
    pub fn invoke(&self, args: &[&str]) -> Output {
        let started = Instant::now();
        let output = Command::new(self.binary())
            .args(args)
            .arg("--data-dir")
            .arg(self.data())
            .env_remove("CRYSTALLIZE_DATA_DIR")
            .output()
            .expect("the fixture binary runs");
        eprintln!(
            "[{}]   {}: {:.2}s",
            self.package,
            args.join(" "),
            started.elapsed().as_secs_f64()
        );
        output
    }

    /// Runs the binary with `args` plus `--json`, asserts success and parses the report.
    pub fn report(&self, args: &[&str]) -> serde_json::Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let output = self.invoke(&with_json);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "`{args:?}` failed ({}):\nstdout:\n{stdout}\nstderr:\n{stderr}",
            output.status
        );
        serde_json::from_str(&stdout).unwrap_or_else(|error| {
            panic!("`{args:?}` did not print a JSON report ({error}):\n{stdout}\n{stderr}")
        })
    }
}
