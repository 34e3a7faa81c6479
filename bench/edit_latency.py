#!/usr/bin/env python3
"""Edit -> result latency: a one-line edit of a step, then `cargo run` until the result is printed,
in a fresh user crate, on this machine; and what the macros cost at compile time.

    python3 bench/edit_latency.py                  # release and debug, the anchor; 7 edits each
    python3 bench/edit_latency.py --repeat 11      # more edits per series (median, min, max)
    python3 bench/edit_latency.py --no-anchor      # crystallize only
    python3 bench/edit_latency.py --macro-cost     # also the macros' share of the rebuild, for
                                                   # the README crate and a generated larger one
    python3 bench/edit_latency.py --macro-cost --large 200 --series none   # the compile-time
                                                   # cost only, with 200 generated steps
    python3 bench/edit_latency.py --profile 'codegen-units=256' --profile 'lto="off"'
                                                   # the release series again with a user's
                                                   # [profile.release] settings, one per series
    python3 bench/edit_latency.py --keep DIR       # build in DIR and keep it (a later run with
                                                   # the same DIR reuses the compiled dependencies)
    python3 bench/edit_latency.py --crystallize ../old/crystallize --keep DIR2   # before/after
    python3 bench/edit_latency.py --check          # only check the edits (no build)

The user crate is made in a scratch directory outside this workspace, as a user makes one: its own
`Cargo.toml` with `crystallize = { path = "<repo>/crystallize" }` and an empty `[workspace]`, this
workspace's `Cargo.lock` (the same dependency versions; every build is `--offline`), its own
target directory inside the scratch directory, and as `src/main.rs` the README's "A first
experiment", verbatim. It is built once in release and once in debug, untimed (the dependencies).
Then every repetition of a series edits one line of the step `scale` (`x * factor` becomes
`x * factor + 0.0 * <i>.0`: the same numbers, a new step key each time, so all 20 units rerun;
each result is checked for "20 units run") and times, from the write of the edit until the
process exits with the result printed:

    release          cargo run --release (wall time)
    release build    the same edit, `cargo build --release` alone ...
    release run      ... then the built binary run directly ...
    release synced   ... then, after an untimed `sync`, the binary again (`run --strategy
                     rerun`): a run ends with one `syncfs`, which also writes back what the build
                     just wrote, and this shows what that costs
    debug            cargo run
    debug build      cargo build ...
    debug run        ... then the binary (and after a sync)
    release no edit  cargo run --release without an edit (cargo's up-to-date check and a resume)

The anchor is crystallize-ml 0.27, in the venv bench/run.py provisions (or the Python given by
`--python`): the same experiment (bench/anchors/quickstart.py) copied to the scratch directory,
the same one-line edit of its `scale`, then `python quickstart.py`; and `python -c 'import
crystallize'` alone. Ratios are ours over crystallize-ml's edit -> result.

With --macro-cost, a release rebuild after an edit is compiled with
`RUSTC_BOOTSTRAP=1 cargo rustc --release -- -Z time-passes`, whose report gives, per pass,
rustc's wall time. The table shows macro expansion (`expand_crate`: every macro of the crate,
crystallize's attributes and `params!`, including their reading and parsing of the crate's module
tree once per compilation, and the std macros and derives), analysis (name resolution, type and
borrow checking), code generation (monomorphisation, LLVM, its ThinLTO) and linking, in seconds
and as shares of the total, medians over the repetitions. The same for a generated crate of
--large N steps (default 200): N/5 modules, each with a source, 5 steps calling a helper of their
module through `uses(..)`, a summary step and an experiment chaining them; the edit is a
one-line change of one step body. These builds have their own target directory (`-Z` needs
`RUSTC_BOOTSTRAP=1`, which cargo fingerprints), built once untimed.

The growth of `expand_crate` from the README crate to the large one is what the macros cost per
annotated item.

With --profile KEY=VALUE (repeatable), the release series run again with that line in the
crate's `[profile.release]` (the dependencies it affects are rebuilt first, untimed). With
--crystallize DIR the user crates depend on another checkout of crystallize (a before/after
comparison: run both, one after the other). --check makes each edit once in a scratch copy and
only checks that its anchor is found exactly once (the README program, the anchor script, the
generated crate).

Timed processes run one at a time; other load on the machine slows them (compare runs made at a
low `uptime` load).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import run as bench_run  # noqa: E402  (bench/run.py: the crystallize-ml venv)

# The edited line of the README's `scale`: `x * factor` becomes `x * factor + 0.0 * <i>.0`.
# The same edit in crystallize-ml's quickstart (bench/anchors/quickstart.py).
ANCHOR_EDIT = ("x * factor for", "x * factor + 0.0 * {i} for")
# Where the user crates build: set by main() to the README crate's target/ (the generated crate
# shares it, and so its compiled dependencies).
USER_TARGET = None
EDIT = ("x * factor)", "x * factor + 0.0 * {i}.0)")
SERIES = ["release", "split-release", "debug", "split-debug", "no-edit"]


def readme_program():
    """The README's "A first experiment" program, verbatim."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## A first experiment", 1)[1]
    return section.split("```rust\n", 1)[1].split("```", 1)[0]


# The crystallize crate the user crates depend on (--crystallize).
CRYSTALLIZE = ROOT / "crystallize"


def cargo_toml(name, profile_lines=()):
    """A user's manifest depending on crystallize by path."""
    profile = ""
    if profile_lines:
        profile = "\n[profile.release]\n" + "".join(f"{line}\n" for line in profile_lines)
    return (
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f"[dependencies]\ncrystallize = {{ path = '{CRYSTALLIZE}' }}\n\n[workspace]\n"
        f"{profile}"
    )


def make_crate(directory, name, files):
    """Writes a user crate at `directory` (manifest, this workspace's Cargo.lock, `files`)."""
    (directory / "src").mkdir(parents=True, exist_ok=True)
    (directory / "Cargo.toml").write_text(cargo_toml(name))
    shutil.copy(ROOT / "Cargo.lock", directory / "Cargo.lock")
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


def large_program(steps):
    """A crate of `steps` steps: modules of 5 steps, a source and an experiment each."""
    modules = max(1, steps // 5)
    files = {}
    main = []
    for m in range(modules):
        main.append(f"mod m{m};")
        lines = [
            f"//! Module {m}: a source, five steps and an experiment.",
            "use crystallize::prelude::*;",
            "",
            "#[crystallize::code]",
            f"fn helper{m}(values: &[f64], k: f64) -> Vec<f64> {{",
            "    values.iter().map(|x| x * k + 1.0).collect()",
            "}",
            "",
            "#[source]",
            f"fn input{m}(ctx: &Ctx) -> Vec<f64> {{",
            "    let mut rng = ctx.rng();",
            "    (0..16).map(|_| rng.random()).collect()",
            "}",
            "",
        ]
        for s in range(5):
            lines += [
                f"#[step(uses(helper{m}))]",
                f"fn s{m}_{s}(data: Vec<f64>, factor: f64) -> Vec<f64> {{",
                f"    helper{m}(&data, factor + {s}.0)",
                "}",
                "",
            ]
        lines += [
            f"#[step]",
            f"fn summary{m}(data: Vec<f64>, ctx: &mut Ctx) -> f64 {{",
            "    let m = data.iter().sum::<f64>() / data.len() as f64;",
            '    ctx.record("mean", m);',
            "    m",
            "}",
            "",
            "#[experiment(replicates = 2)]",
            f"fn e{m}() -> Experiment {{",
            f'    Experiment::from(input{m})',
            '        .param("factor", 1.0)',
        ]
        lines += [f"        .step(s{m}_{s})" for s in range(5)]
        lines += [f"        .step(summary{m})", "}", ""]
        files[f"src/m{m}.rs"] = "\n".join(lines)
    main += ["", "fn main() {", "    crystallize::main()", "}", ""]
    files["src/main.rs"] = "\n".join(main)
    # The edited line: the body of the first module's first step.
    return files, "src/m0.rs", ("factor + 0.0)", "factor + 0.0 * {i}.0)")


class Edits:
    """One-line edits of a file: `anchor` becomes `template` with `{i}` the edit's number (a new
    step key each time)."""

    def __init__(self, path, anchor, template):
        self.path = path
        self.original = path.read_text()
        if self.original.count(anchor) != 1:
            sys.exit(f"{path}: `{anchor}` must occur exactly once")
        self.anchor = anchor
        self.template = template
        self.count = 0

    def next(self):
        """Writes the next edit."""
        self.count += 1
        edited = self.template.replace("{i}", str(self.count))
        self.path.write_text(self.original.replace(self.anchor, edited, 1))

    def __enter__(self):
        return self

    def __exit__(self, *_):
        """Puts the file back as it was (the next series edits it again)."""
        self.path.write_text(self.original)


def cargo_env(target):
    """The environment of a user crate's cargo: its own target directory, whatever the caller's
    `CARGO_TARGET_DIR` (which is this workspace's)."""
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    env.pop("CARGO_BUILD_TARGET_DIR", None)
    return env


def run(command, cwd, env=None):
    """Runs `command` in `cwd`; returns (wall seconds, stdout, stderr); exits on failure."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(map(str, command))}\n"
                 f"{done.stderr.decode(errors='replace')}")
    return elapsed, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")


def passes_env():
    """The environment of the -Z time-passes builds: `RUSTC_BOOTSTRAP` is part of what cargo
    fingerprints, so these build in their own target directory (not to rebuild the series'
    dependencies each time)."""
    return dict(cargo_env(USER_TARGET.parent / "target-passes"), RUSTC_BOOTSTRAP="1")


def cargo(args, cwd, env=None):
    """`cargo ARGS` in `cwd`, with the user crates' target directory unless `env` is given."""
    return run(["cargo", *args], cwd, env or cargo_env(USER_TARGET))


def check_reran(stdout, command):
    """The edit must rerun every unit; a result that loaded them would time nothing."""
    if "20 units run, 0 loaded" not in stdout:
        sys.exit(f"{' '.join(command)}: expected 20 units run after the edit, got:\n{stdout}")


def user_series(crate, repeat, series):
    """The crystallize series on the README crate; {label: [seconds]}."""
    with Edits(crate / "src" / "main.rs", *EDIT) as edits:
        return edited_series(crate, repeat, series, edits)


def edited_series(crate, repeat, series, edits):
    """The series of `user_series`, editing with `edits`."""
    binary = {"release": crate / "target" / "release" / "edit-latency",
              "debug": crate / "target" / "debug" / "edit-latency"}
    results = {}
    for mode in ["release", "debug"]:
        flags = ["--release"] if mode == "release" else []
        if mode in series:
            times = []
            for _ in range(repeat):
                command = ["run", "--offline", "--quiet", *flags]
                edits.next()
                elapsed, stdout, _ = cargo(command, crate)
                check_reran(stdout, ["cargo", *command])
                times.append(elapsed)
            results[f"{mode}: cargo run"] = times
        if f"split-{mode}" in series:
            builds, runs, synced = [], [], []
            for _ in range(repeat):
                edits.next()
                builds.append(cargo(["build", "--offline", "--quiet", *flags], crate)[0])
                elapsed, stdout, _ = run([str(binary[mode])], crate)
                check_reran(stdout, [str(binary[mode])])
                runs.append(elapsed)
                # The run ends with one syncfs, which also writes back what the build just
                # wrote; the same run after a sync shows what that costs.
                os.sync()
                rerun = [str(binary[mode]), "run", "--strategy", "rerun"]
                elapsed, stdout, _ = run(rerun, crate)
                check_reran(stdout, rerun)
                synced.append(elapsed)
            results[f"{mode}: cargo build"] = builds
            results[f"{mode}: the binary"] = runs
            results[f"{mode}: the binary, after a sync"] = synced
    if "no-edit" in series:
        cargo(["run", "--offline", "--quiet", "--release"], crate)
        results["release: cargo run, no edit"] = [
            cargo(["run", "--offline", "--quiet", "--release"], crate)[0]
            for _ in range(repeat)
        ]
    return results


def anchor_series(scratch, python, repeat):
    """crystallize-ml: the same edit of the same experiment, then `python quickstart.py`."""
    directory = scratch / "anchor"
    directory.mkdir(exist_ok=True)
    script = directory / "quickstart.py"
    shutil.copy(ROOT / "bench" / "anchors" / "quickstart.py", script)
    run([str(python), "quickstart.py"], directory)
    runs = []
    with Edits(script, *ANCHOR_EDIT) as edits:
        for _ in range(repeat):
            edits.next()
            runs.append(run([str(python), "quickstart.py"], directory)[0])
    imports = [run([str(python), "-c", "import crystallize"], directory)[0] for _ in range(repeat)]
    return {"crystallize-ml: python quickstart.py": runs,
            "crystallize-ml: import crystallize": imports}


PASSES = {
    "expansion": ["expand_crate"],
    "analysis": ["resolve_crate", "misc_checking_1", "type_check_crate", "MIR_borrow_checking",
                 "MIR_effect_checking", "misc_checking_3", "lint_checking"],
    "codegen": ["codegen_crate", "LLVM_passes", "finish_ongoing_codegen"],
    "link": ["link"],
    "total": ["total"],
}


def time_passes(crate, edits, repeat):
    """Medians of rustc's passes over `repeat` release rebuilds after an edit; {group: s}."""
    env = passes_env()
    samples = {group: [] for group in PASSES}
    with edits:
        return passes_of(crate, edits, repeat, env, samples)


def passes_of(crate, edits, repeat, env, samples):
    """The body of `time_passes`."""
    for _ in range(repeat):
        edits.next()
        _, _, stderr = cargo(["rustc", "--offline", "--quiet", "--release", "--",
                            "-Z", "time-passes"], crate, env)
        passes = {}
        for line in stderr.splitlines():
            match = re.match(r"time:\s+([\d.]+);.*\t(\S+)$", line)
            if match:
                passes[match.group(2)] = float(match.group(1))
        if "total" not in passes or "expand_crate" not in passes:
            sys.exit(f"no -Z time-passes report in:\n{stderr}")
        # `codegen_crate` covers LLVM's work done on the main thread; the rest is waited for in
        # `finish_ongoing_codegen`. `LLVM_passes` runs on worker threads, overlapping both.
        codegen = passes.get("codegen_crate", 0) + passes.get("finish_ongoing_codegen", 0)
        samples["expansion"].append(passes["expand_crate"])
        samples["analysis"].append(sum(passes.get(p, 0) for p in PASSES["analysis"]))
        samples["codegen"].append(codegen)
        samples["link"].append(passes.get("link", 0))
        samples["total"].append(passes["total"])
    return {group: statistics.median(values) for group, values in samples.items()}


def print_passes(label, passes):
    total = passes["total"]
    cells = "".join(f"{passes[g]:>9.3f} s {100 * passes[g] / total:>3.0f}%"
                    for g in ["expansion", "analysis", "codegen", "link"])
    print(f"{label:<34}{cells}{total:>9.3f} s")


def summary(label, times, anchor=None):
    median = statistics.median(times)
    ratio = f"{median / anchor:>7.2f}x" if anchor else ""
    print(f"{label:<40}{median:>9.3f}{min(times):>9.3f}{max(times):>9.3f}{ratio}")


def check_sources():
    """Every edit the benchmark makes, made once in a scratch copy: each anchor must occur exactly
    once and the edit must change the file."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        files, edited, large_edit = large_program(10)
        make_crate(scratch / "user", "edit-latency", {"src/main.rs": readme_program()})
        make_crate(scratch / "large", "edit-latency-large", files)
        shutil.copy(ROOT / "bench" / "anchors" / "quickstart.py", scratch / "quickstart.py")
        for path, edit in [(scratch / "user" / "src" / "main.rs", EDIT),
                           (scratch / "quickstart.py", ANCHOR_EDIT),
                           (scratch / "large" / edited, large_edit)]:
            before = path.read_text()
            Edits(path, *edit).next()
            if path.read_text() == before:
                sys.exit(f"{path.name}: the edit changed nothing")
    print("ok: the README program, bench/anchors/quickstart.py and the generated crate each "
          "have their edit anchor once")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="edits per series (median)")
    parser.add_argument("--series", default=",".join(SERIES),
                        help=f"comma-separated, of {', '.join(SERIES)}, or none")
    parser.add_argument("--no-anchor", action="store_true", help="skip crystallize-ml")
    parser.add_argument("--python", help="a Python with crystallize-ml 0.27 (default: the venv "
                        "bench/run.py provisions)")
    parser.add_argument("--macro-cost", action="store_true",
                        help="rustc's passes of a release rebuild (-Z time-passes)")
    parser.add_argument("--large", type=int, default=200,
                        help="steps of the generated crate for --macro-cost (0: none)")
    parser.add_argument("--profile", action="append", default=[],
                        help="a [profile.release] line (KEY=VALUE) for one more release series")
    parser.add_argument("--keep", help="the scratch directory to use and keep")
    parser.add_argument("--crystallize", default=str(ROOT / "crystallize"),
                        help="the crystallize crate the user crates depend on (default: this "
                        "repository's; another checkout's for a before/after comparison)")
    parser.add_argument("--check", action="store_true",
                        help="only check that every edited file has its edit anchor exactly "
                        "once (the README program, the anchor script, the generated crate)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    series = [] if args.series == "none" else args.series.split(",")
    unknown = [name for name in series if name not in SERIES]
    if unknown:
        parser.error(f"unknown series {', '.join(unknown)}; known: {', '.join(SERIES)}")
    for line in args.profile:
        if "=" not in line:
            parser.error(f"--profile {line!r}: expected KEY=VALUE, e.g. codegen-units=256")

    global CRYSTALLIZE
    CRYSTALLIZE = Path(args.crystallize).resolve()
    if not (CRYSTALLIZE / "Cargo.toml").is_file():
        parser.error(f"--crystallize {args.crystallize}: no Cargo.toml there")
    if args.check:
        check_sources()
        return
    if args.keep:
        scratch = Path(args.keep).resolve()
        scratch.mkdir(parents=True, exist_ok=True)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="edit-latency-"))
    try:
        crate = scratch / "user"
        global USER_TARGET
        USER_TARGET = crate / "target"
        make_crate(crate, "edit-latency", {"src/main.rs": readme_program()})
        print(f"user crate: {crate}; building its dependencies (release and debug, untimed)",
              file=sys.stderr)
        cargo(["build", "--offline", "--quiet", "--release"], crate)
        if any(name.endswith("debug") for name in series):
            cargo(["build", "--offline", "--quiet"], crate)
        shutil.rmtree(crate / "data", ignore_errors=True)
        cargo(["run", "--offline", "--quiet", "--release"], crate)

        results = user_series(crate, args.repeat, series)
        for line in args.profile:
            (crate / "Cargo.toml").write_text(cargo_toml("edit-latency", [line.replace("=", " = ", 1)]))
            cargo(["build", "--offline", "--quiet", "--release"], crate)
            results.update({f"release [{line}]: cargo run": value
                            for value in user_series(crate, args.repeat, ["release"]).values()})
            if "split-release" in series:
                split = user_series(crate, args.repeat, ["split-release"])
                results.update({f"release [{line}]: {key.split(': ', 1)[1]}": value
                                for key, value in split.items()})
        (crate / "Cargo.toml").write_text(cargo_toml("edit-latency"))
        (crate / "src" / "main.rs").write_text(readme_program())

        anchor = None
        if not args.no_anchor and series:
            python = Path(args.python) if args.python else bench_run.provision_anchor()
            results.update(anchor_series(scratch, python, args.repeat))
            anchor = statistics.median(results["crystallize-ml: python quickstart.py"])

        if results:
            print(f"edit -> result, {args.repeat} edits per series, wall seconds "
                  f"(ratio: median over crystallize-ml's python quickstart.py)")
            print(f"{'series':<40}{'median':>9}{'min':>9}{'max':>9}{'ratio':>8}")
            for label, times in results.items():
                summary(label, times, anchor)

        if args.macro_cost:
            print(f"\nrustc's passes of a release rebuild after a one-line edit "
                  f"(-Z time-passes, medians of {args.repeat})")
            print(f"{'crate':<34}{'expansion':>15}{'analysis':>15}{'codegen':>15}{'link':>15}"
                  f"{'total':>11}")
            cargo(["build", "--offline", "--quiet", "--release"], crate, passes_env())
            print_passes("README example (3 annotated items)",
                         time_passes(crate, Edits(crate / "src" / "main.rs", *EDIT),
                                     args.repeat))
            if args.large > 0:
                large = scratch / "large"
                files, edited, anchor_text = large_program(args.large)
                make_crate(large, "edit-latency-large", files)
                cargo(["build", "--offline", "--quiet", "--release"], large, passes_env())
                items = max(1, args.large // 5) * 9
                print_passes(f"generated ({args.large} steps, {items} items)",
                             time_passes(large, Edits(large / edited, *anchor_text), args.repeat))
                (large / edited).write_text(files[edited])
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
