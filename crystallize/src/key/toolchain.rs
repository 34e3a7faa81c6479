//! The toolchain and build settings a binary was built with: recorded with every run, and part
//! of the keys only in strict mode.

use serde::{Deserialize, Serialize};

/// The toolchain and the build settings results can depend on (floating-point code generation
/// differs between targets, optimisation levels and target features). Recorded with every run;
/// part of the keys only with `#[experiment(strict_env)]` or `--strict-env`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Toolchain {
    /// `rustc --version`.
    pub rustc: String,
    /// Target triple.
    pub target: String,
    /// Optimisation level of the profile.
    pub opt_level: String,
    /// Whether debug assertions are on.
    pub debug_assertions: bool,
    /// Enabled target features (comma-separated).
    pub target_features: String,
}

impl Toolchain {
    /// The toolchain and settings this binary was built with.
    pub(crate) fn current() -> Toolchain {
        Toolchain {
            rustc: env!("CRYSTALLIZE_RUSTC_VERSION").to_string(),
            target: env!("CRYSTALLIZE_TARGET").to_string(),
            opt_level: env!("CRYSTALLIZE_OPT_LEVEL").to_string(),
            debug_assertions: cfg!(debug_assertions),
            target_features: env!("CRYSTALLIZE_TARGET_FEATURES").to_string(),
        }
    }

    /// What differs from `other`, field by field: `rustc 1.95 -> 1.96`.
    pub(crate) fn differences(&self, other: &Toolchain) -> Vec<String> {
        let mut found = Vec::new();
        differs(&mut found, "rustc", &other.rustc, &self.rustc);
        differs(&mut found, "target", &other.target, &self.target);
        differs(&mut found, "opt-level", &other.opt_level, &self.opt_level);
        differs(
            &mut found,
            "debug-assertions",
            &other.debug_assertions,
            &self.debug_assertions,
        );
        differs(
            &mut found,
            "target features",
            &other.target_features,
            &self.target_features,
        );
        found
    }
}

/// Adds `name old -> new` to `found` when the two differ (equal fields, the usual case, format
/// nothing).
fn differs<T: PartialEq + std::fmt::Display + ?Sized>(
    found: &mut Vec<String>,
    name: &str,
    old: &T,
    new: &T,
) {
    if old != new {
        found.push(format!("{name} {old} -> {new}"));
    }
}
