#!/usr/bin/env python3
"""Benchmarks: crystallize against crystallize-ml 0.27 on the same workloads, as whole processes,
on this machine, in one run (compare the ratios, not absolute times across machines or days).

    python3 bench/run.py                 # build, provision the Python anchor, run, print a table
    python3 bench/run.py --no-anchor     # crystallize only
    python3 bench/run.py --repeat 7      # more repetitions per measurement (median is reported)
    python3 bench/run.py --scale         # also the scale rows: single at 3k, 30k and 300k units,
                                         # chains of 200 and 1000 experiments
    python3 bench/run.py --big 256M,2G   # also the big-artifact rows (bench/big_artifact.py)

Workloads (the anchor scripts are in bench/anchors/, copied from the crystallize-ml benchmarks):

    single rerun    1 experiment, 2 steps, 3 conditions x 1000 replicates, executed
    single resume   the same, after a run: deciding nothing changed and loading it
    chain rerun     20 experiments e0 -> ... -> e19 passing a JSON artifact, 2 conditions x 10 replicates
    chain resume    the same, after a run

With --scale, the single workload again at 3 conditions x 1000, 10000 and 100000 replicates
(3k, 30k and 300k units), rerun and resume: wall time and peak RSS, side by side with
crystallize-ml. The 300k rerun is measured once per side (crystallize-ml's alone takes minutes).
Also with --scale, the chain workload at 200 and 1000 experiments (2 conditions x 10 replicates
each; ours is bench/src/bin/chain.rs), the reruns measured once per side, and `plan` of each whole
chain after a run (every experiment decided, nothing run; crystallize-ml has no such command).
The resumes and plans of these long workloads are prepared once per side (one rerun each) and
then run --repeat times in that same directory, the two sides alternating.

The floor of a resume: after the chain resume row, `floor --resume` reads what a resume that
finds nothing changed must read of the same data root (a lock, a listing, metadata, each marker
and results file, and one never-follow check per artifact; also with a plain lstat instead), timed
inside its process, and the chain resume is compared with it plus a small process's start.

The file-system floor: after the chain rerun rows, bench/src/bin/floor.rs recreates the tree a
chain rerun wrote (its data/ directory) with one mkdir per directory, one create and write per
file and one fdatasync, and the ratio of the chain rerun's time to that floor is printed. The
floor is timed inside its process; since ours is a whole process, the next row adds what starting
and ending a small Rust program costs (`floor --start`) and prints the ratio to that sum too.

Each measurement runs in a fresh scratch directory; resume measurements first do one untimed run.
Where crystallize-ml has the workload, the two sides alternate, one run each, so that a slower
spell of a shared machine weighs on both alike; the medians of each side are compared.
Wall time is measured around the whole process; peak RSS comes from the OS (wait4). Before each
process starts, an untimed `sync` writes back what the commands before it left unwritten, so that
a run's final `syncfs` writes its own files only.
The binary is built in $CARGO_TARGET_DIR when it is set, else in target/.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANCHORS = ROOT / "bench" / "anchors"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
VENV = ROOT / "target" / "bench" / "crystallize-ml-0.27.0-venv"


def run_timed(command, cwd, env=None):
    """Runs `command` in `cwd`; returns (wall seconds, peak RSS in MiB, stdout).

    Untimed, it first writes back what earlier commands left unwritten (`sync`): a run ends with
    one `syncfs` of its data's file system, which would otherwise also write back the previous
    command's files (the other side's run, the scratch directory just removed), and the anchor,
    which does not sync, would never pay for ours."""
    os.sync()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            sys.exit(f"failed: {' '.join(map(str, command))}\n{err.read().decode(errors='replace')}")
        return elapsed, usage.ru_maxrss / 1024, out.read()


def build(scale):
    """The release binaries: the workloads, the floor program, and (for --scale) the long chain."""
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "-p", "crystallize-examples", "--bin", "bench"],
        cwd=ROOT,
        check=True,
    )
    bins = ["--bin", "floor"] + (["--bin", "chain"] if scale else [])
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "-p", "crystallize-bench", *bins],
        cwd=ROOT,
        check=True,
    )
    release = TARGET / "release"
    return release / "bench", release / "floor", release / "chain"


def floor_of(prepare, floor, repeat, env):
    """The floor program's median on the data/ tree that `prepare` leaves, in seconds (timed
    inside its process), its report, and the median wall time of starting and ending it as a
    whole process that does nothing (`floor --start`), in seconds."""
    with tempfile.TemporaryDirectory() as scratch:
        run_timed(prepare, scratch, env)
        target = Path(scratch) / "floor"
        target.mkdir()
        _, _, out = run_timed([str(floor), str(Path(scratch) / "data"), str(target), str(repeat)],
                              scratch, env)
        starts = [run_timed([str(floor), "--start"], scratch, env)[0] for _ in range(max(repeat, 5))]
        return float(out.decode().split()[0]) / 1000, out.decode().strip(), statistics.median(starts)


def resume_floor_of(prepare, floor, repeat, env):
    """`floor --resume` on the data root that `prepare` leaves: (median with the never-follow
    check, median with lstat) in seconds (timed inside its process), and its report."""
    with tempfile.TemporaryDirectory() as scratch:
        run_timed(prepare, scratch, env)
        _, _, out = run_timed([str(floor), "--resume", str(Path(scratch) / "data"),
                               str(max(repeat, 5))], scratch, env)
        text = out.decode().strip()
        words = text.split()
        no_follow = float(words[0]) / 1000
        lstat = float(words[words.index("check,") + 1]) / 1000
        return no_follow, lstat, text


def provision_anchor():
    python = VENV / "bin" / "python"
    marker = VENV / ".provisioned"
    if marker.exists():
        return python
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "crystallize-ml==0.27.0"],
        check=True,
    )
    marker.write_text("crystallize-ml==0.27.0\n")
    return python


def measure_once(command, prepare, env):
    """Wall time and peak RSS of `command` in a fresh scratch directory (after `prepare`)."""
    with tempfile.TemporaryDirectory() as scratch:
        if prepare is not None:
            run_timed(prepare, scratch, env)
        elapsed, peak, _ = run_timed(command, scratch, env)
        return elapsed, peak


def measure(command, repeat, prepare=None, env=None):
    """Median wall time and peak RSS of `command` over `repeat` fresh scratch directories."""
    runs = [measure_once(command, prepare, env) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), max(p for _, p in runs)


def measure_prepared(command, prepare, repeat, env, anchor=None, anchor_prepare=None):
    """For the rows whose preparation takes minutes (the 300k and long-chain resumes): each side's
    `prepare` once, in its own scratch directory, then `repeat` runs of `command` (alternating
    with `anchor`, when given) in that same directory. A resume changes nothing it reads, so each
    run finds what the first found. Returns ((median, peak), (median, peak) or None)."""
    with tempfile.TemporaryDirectory() as ours_dir, tempfile.TemporaryDirectory() as theirs_dir:
        run_timed(prepare, ours_dir, env)
        if anchor is not None:
            run_timed(anchor_prepare, theirs_dir, env)
        ours, theirs = [], []
        for _ in range(repeat):
            ours.append(run_timed(command, ours_dir, env)[:2])
            if anchor is not None:
                theirs.append(run_timed(anchor, theirs_dir, env)[:2])
    def side(runs):
        return statistics.median(t for t, _ in runs), max(p for _, p in runs)
    return side(ours), side(theirs) if theirs else None


def measure_paired(ours, ours_prepare, theirs, theirs_prepare, repeat, env):
    """`measure` of both commands, alternating one run of each (so that a slower spell of a
    shared machine weighs on both sides alike): ((median, peak), (median, peak))."""
    pairs = [(measure_once(ours, ours_prepare, env), measure_once(theirs, theirs_prepare, env))
             for _ in range(repeat)]
    def side(runs):
        return statistics.median(t for t, _ in runs), max(p for _, p in runs)
    return side([a for a, _ in pairs]), side([b for _, b in pairs])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per measurement (median)")
    parser.add_argument("--no-anchor", action="store_true", help="skip crystallize-ml")
    parser.add_argument("--scale", action="store_true",
                        help="add the scale rows (single at 3k, 30k and 300k units, chains of 200 "
                             "and 1000)")
    parser.add_argument("--big", metavar="SIZES",
                        help="add the big-artifact rows at these sizes (e.g. 256M,2G)")
    args = parser.parse_args()

    ours, floor, chain = (str(path) for path in build(args.scale))
    python = None if args.no_anchor else str(provision_anchor())
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")

    shapes = [
        ("single rerun",
         [ours, "run", "single", "--replicates", "1000", "--strategy", "rerun"], None,
         [python, str(ANCHORS / "single.py"), "1000", "rerun"], None),
        ("single resume",
         [ours, "run", "single", "--replicates", "1000", "--strategy", "resume"],
         [ours, "run", "single", "--replicates", "1000", "--strategy", "rerun"],
         [python, str(ANCHORS / "single.py"), "1000", "resume"],
         [python, str(ANCHORS / "single.py"), "1000", "rerun"]),
    ]
    # `run e19` runs its 19 ancestors first: the whole chain.
    shapes += [
        ("chain rerun",
         [ours, "run", "e19", "--strategy", "rerun"], None,
         [python, str(ANCHORS / "chain.py"), "20", "10", "rerun"], None),
        ("chain resume",
         [ours, "run", "e19", "--strategy", "resume"],
         [ours, "run", "e19", "--strategy", "rerun"],
         [python, str(ANCHORS / "chain.py"), "20", "10", "resume"],
         [python, str(ANCHORS / "chain.py"), "20", "10", "rerun"]),
    ]

    # Our own workload without an anchor: quickstart has an artifact and a cached step per unit.
    shapes.append((
        "quickstart resume",
        [ours, "run", "quickstart", "--replicates", "1000", "--strategy", "resume"],
        [ours, "run", "quickstart", "--replicates", "1000", "--strategy", "rerun"],
        None, None,
    ))

    # The scale rows: (name, command, prepare, anchor, anchor prepare, repetitions or None for
    # --repeat).
    shapes = [shape + (None,) for shape in shapes]
    if args.scale:
        for replicates, label in [(1000, "3k"), (10000, "30k"), (100000, "300k")]:
            once = 1 if replicates >= 100000 else None
            single = [ours, "run", "single", "--replicates", str(replicates)]
            anchor = [python, str(ANCHORS / "single.py"), str(replicates)]
            shapes += [
                (f"single {label} rerun", single + ["--strategy", "rerun"], None,
                 anchor + ["rerun"], None, once),
                (f"single {label} resume", single + ["--strategy", "resume"],
                 single + ["--strategy", "rerun"],
                 anchor + ["resume"], anchor + ["rerun"], once),
            ]
        # `run c199` runs the chain of 200, its ancestors first.
        for length in [200, 1000]:
            run = [chain, "run", f"c{length - 1}"]
            anchor = [python, str(ANCHORS / "chain.py"), str(length), "10"]
            shapes += [
                (f"chain {length} rerun", run + ["--strategy", "rerun"], None,
                 anchor + ["rerun"], None, 1),
                (f"chain {length} resume", run + ["--strategy", "resume"],
                 run + ["--strategy", "rerun"], anchor + ["resume"], anchor + ["rerun"], 1),
                # `plan` of the whole chain after a run: every experiment decided, nothing run
                # (crystallize-ml has no such command).
                (f"chain {length} plan", [chain, "plan", f"c{length - 1}"],
                 run + ["--strategy", "rerun"], None, None, 1),
            ]

    print(f"{'workload':<20}{'crystallize':>14}{'peak':>11}{'crystallize-ml':>17}{'peak':>11}{'ratio':>9}",
          flush=True)
    for name, command, prepare, anchor, anchor_prepare, repeat in shapes:
        if repeat == 1 and prepare is not None:
            # A resume or plan after a long preparation: prepared once, run --repeat times.
            (our_time, our_peak), theirs = measure_prepared(
                command, prepare, args.repeat, env,
                anchor if python is not None else None, anchor_prepare)
            line = f"{name:<20}{our_time * 1000:>11.1f} ms{our_peak:>7.1f} MiB"
            if theirs is not None:
                their_time, their_peak = theirs
                line += (f"{their_time * 1000:>14.1f} ms{their_peak:>7.1f} MiB"
                         f"{their_time / our_time:>8.1f}x")
            print(line, flush=True)
            continue
        repeat = repeat or args.repeat
        if python is None or anchor is None:
            our_time, our_peak = measure(command, repeat, prepare, env)
            print(f"{name:<20}{our_time * 1000:>11.1f} ms{our_peak:>7.1f} MiB", flush=True)
        else:
            (our_time, our_peak), (their_time, their_peak) = measure_paired(
                command, prepare, anchor, anchor_prepare, repeat, env)
            print(
                f"{name:<20}{our_time * 1000:>11.1f} ms{our_peak:>7.1f} MiB"
                f"{their_time * 1000:>14.1f} ms{their_peak:>7.1f} MiB{their_time / our_time:>8.1f}x",
                flush=True,
            )
        if name == "chain resume":
            no_follow, lstat, text = resume_floor_of(prepare, floor, repeat, env)
            start = statistics.median(
                run_timed([floor, "--start"], ROOT, env)[0] for _ in range(max(repeat, 5)))
            whole = no_follow + start
            print(f"{'chain resume floor':<20}{no_follow * 1000:>11.1f} ms   ({text}); with the "
                  f"start of a small process {whole * 1000:.1f} ms: the chain resume is "
                  f"{our_time / whole:.2f}x that", flush=True)
            if python is not None and anchor is not None:
                print(f"{'':<20}a resume at that floor would be {their_time / whole:.0f}x "
                      f"crystallize-ml (at the lstat floor, "
                      f"{their_time / (lstat + start):.0f}x)", flush=True)
        if name == "chain rerun":
            floor_time, floor_text, start = floor_of(command, floor, repeat, env)
            print(f"{'chain rerun floor':<20}{floor_time * 1000:>11.1f} ms   ({floor_text}); "
                  f"the chain rerun is {our_time / floor_time:.2f}x the floor", flush=True)
            whole = floor_time + start
            print(f"{'floor + start':<20}{whole * 1000:>11.1f} ms   (the floor and the start of a "
                  f"small process, {start * 1000:.1f} ms); the chain rerun is "
                  f"{our_time / whole:.2f}x that", flush=True)

    if args.big:
        subprocess.run([sys.executable, str(ROOT / "bench" / "big_artifact.py"), "--sizes", args.big,
                        "--repeat", str(args.repeat)], check=True)


if __name__ == "__main__":
    main()
