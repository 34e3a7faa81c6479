//! Records the compiler version for run provenance (`metadata.json`).

use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=CRYSTALLIZE_RUSTC_VERSION={version}");
    println!("cargo:rerun-if-env-changed=RUSTC");
    // The settings floating-point results can depend on, recorded with every run.
    let env = |name: &str| std::env::var(name).unwrap_or_default();
    println!("cargo:rustc-env=CRYSTALLIZE_TARGET={}", env("TARGET"));
    println!("cargo:rustc-env=CRYSTALLIZE_OPT_LEVEL={}", env("OPT_LEVEL"));
    println!(
        "cargo:rustc-env=CRYSTALLIZE_TARGET_FEATURES={}",
        env("CARGO_CFG_TARGET_FEATURE")
    );
}
