#!/usr/bin/env python3
"""The big-artifact benchmark: a unit writing one large artifact (examples/src/bin/big_artifact.rs),
as whole processes, on this machine, two ways:

    path     experiment `big_artifact`: the step writes the file at the path
             `ctx.artifact_path("model.bin")` gives; it is hashed when the step returns
    writer   experiment `big_artifact_writer`: the step writes through
             `ctx.artifact_writer("model.bin")`, which hashes while it writes

    python3 bench/big_artifact.py                      # 256 MiB and 2 GiB, 3 repetitions
    python3 bench/big_artifact.py --sizes 16M --repeat 1   # a quick run (CI-sized)
    python3 bench/big_artifact.py --ways writer        # one way only

For each size and way it measures, in a fresh scratch directory (deleted afterwards):

    write    `--strategy rerun`: the unit writes the artifact, which is hashed and journaled;
             against `cp` of the same file, timed right after it (target: <= 1.2x)
    resume   `--strategy resume` after that run: everything loads (target: <= 10 ms)
    peak     the peak RSS of both (target: flat, independent of the size)

The ways alternate within each repetition, so both see the same load on a shared machine.

Wall times are medians; peak RSS is the maximum over the repetitions, from the OS (wait4). The
files are written to the page cache, as `cp`'s are: neither syncs. Every timed process starts
after a `sync`, so that neither is slowed down by writing back what the other left dirty.
Whether a file of gigabytes stays in the page cache or is throttled by write-back depends on the
machine's memory and what else writes; `--durable` adds an `fsync` of the file written to both
timings (the write then ends on the disk, for ours as for `cp`). A run ends with one `syncfs` of
its data root, so our write is durable either way: `--durable` is the like-for-like comparison.
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
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def size_of(text):
    """`256M`, `2G`, `4096` -> bytes."""
    text = text.strip().upper().removesuffix("IB").removesuffix("B")
    if text and text[-1] in UNITS:
        return int(text[:-1]) * UNITS[text[-1]]
    return int(text)


def fsync(path):
    """Syncs one file to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def run_timed(command, cwd, env=None, durable=None):
    """Runs `command` in `cwd` after a `sync` (then syncs the file `durable`, if given, within the
    timing); returns (wall seconds, peak RSS in MiB, stdout)."""
    os.sync()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        if durable is not None and os.path.exists(durable):
            fsync(durable)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code != 0:
            sys.exit(f"failed ({code}): {' '.join(map(str, command))}\n{err.read().decode(errors='replace')}")
        return elapsed, usage.ru_maxrss / 1024, out.read()


def build():
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "-p", "crystallize-examples", "--bin", "big_artifact"],
        cwd=ROOT,
        check=True,
    )
    return TARGET / "release" / "big_artifact"


# Each way: the experiment, and the stage that writes `model.bin`.
WAYS = {"path": ("big_artifact", "write_model"), "writer": ("big_artifact_writer", "stream_model")}


class Samples:
    """The timings of one way at one size: seconds per repetition, and the peak RSS of each kind
    of process, in MiB."""

    def __init__(self):
        self.writes, self.copies, self.resumes = [], [], []
        self.peaks = {"write": 0.0, "cp": 0.0, "resume": 0.0}


def measure_once(binary, way, size, scratch_root, durable, samples):
    """One repetition of `way`: write, `cp` of the file written, resume."""
    experiment, stage = WAYS[way]
    env = dict(os.environ, BIG_ARTIFACT_BYTES=str(size))
    scratch = Path(tempfile.mkdtemp(prefix="big-artifact-", dir=scratch_root))
    try:
        data = scratch / "data"
        artifact = data / experiment / "v0" / "replicate_0" / "baseline" / stage / "model.bin"
        elapsed, peak, _ = run_timed(
            [binary, "run", experiment, "--strategy", "rerun", "--data-dir", data], scratch, env,
            artifact if durable else None,
        )
        samples.writes.append(elapsed)
        samples.peaks["write"] = max(samples.peaks["write"], peak)
        if artifact.stat().st_size != size:
            sys.exit(f"{artifact} has {artifact.stat().st_size} bytes, not {size}")
        copy = scratch / "copy.bin"
        elapsed, peak, _ = run_timed(["cp", artifact, copy], scratch, None, copy if durable else None)
        samples.copies.append(elapsed)
        samples.peaks["cp"] = max(samples.peaks["cp"], peak)
        copy.unlink()
        elapsed, peak, out = run_timed(
            [binary, "run", experiment, "--strategy", "resume", "--json", "--data-dir", data], scratch, env
        )
        if b'"units_loaded":1' not in out.replace(b" ", b""):
            sys.exit(f"resume did not load the unit:\n{out.decode(errors='replace')}")
        samples.resumes.append(elapsed)
        samples.peaks["resume"] = max(samples.peaks["resume"], peak)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def spread(values):
    """`min–max` of seconds, in ms."""
    return f"{min(values) * 1000:.0f}–{max(values) * 1000:.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="256M,2G", help="artifact sizes, comma-separated (K, M, G)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per size (median)")
    parser.add_argument("--scratch", default=None, help="where the scratch directories go (default: the system's)")
    parser.add_argument("--binary", default=None, help="a built big_artifact binary (default: build it in release)")
    parser.add_argument("--durable", action="store_true", help="time each write until its file is on disk (fsync)")
    parser.add_argument("--ways", default="path,writer", help="which ways to measure: path, writer, or both")
    args = parser.parse_args()
    ways = [way.strip() for way in args.ways.split(",") if way.strip()]
    unknown = [way for way in ways if way not in WAYS]
    if unknown or not ways:
        parser.error(f"unknown way(s) {', '.join(unknown) or '(none)'}: choose among {', '.join(WAYS)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    binary = args.binary or str(build())
    sizes = [size_of(text) for text in args.sizes.split(",")]
    free = shutil.disk_usage(args.scratch or tempfile.gettempdir()).free
    if 2 * max(sizes) + (1 << 30) > free:
        sys.exit(f"not enough free disk for {max(sizes)} bytes twice ({free} free)")

    print(f"{'size':>8}{'way':>8}{'write':>11}{'cp':>11}{'ratio':>8}{'resume':>11}"
          f"{'peak write':>13}{'peak cp':>10}{'peak resume':>13}   write, cp spread (ms)")
    for size in sizes:
        samples = {way: Samples() for way in ways}
        for _ in range(args.repeat):
            for way in ways:
                measure_once(binary, way, size, args.scratch, args.durable, samples[way])
        for way in ways:
            got = samples[way]
            write, copy = statistics.median(got.writes), statistics.median(got.copies)
            resume, peaks = statistics.median(got.resumes), got.peaks
            print(
                f"{size / (1 << 20):>6.0f}Mi{way:>8}{write * 1000:>8.0f} ms{copy * 1000:>8.0f} ms"
                f"{write / copy:>7.2f}x{resume * 1000:>8.1f} ms{peaks['write']:>9.1f} MiB"
                f"{peaks['cp']:>6.1f} MiB{peaks['resume']:>9.1f} MiB   {spread(got.writes)}, {spread(got.copies)}"
            )


if __name__ == "__main__":
    main()
