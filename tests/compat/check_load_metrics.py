"""Prints, as one JSON object, what crystallize-ml's metric loaders read from an experiment
directory written by crystallize (Rust).

Usage: check_load_metrics.py <experiment dir> [<version>]

Output:
    {"crystallize_ml": "<installed version>",
     "load_metrics": [version, baseline_metrics, {treatment: metrics}],
     "load_all_metrics": [latest, baseline_metrics, {treatment: [version, metrics]}]}

Run by tests/it/crystallize_ml_compat.rs with the interpreter of a venv that has
crystallize-ml installed. Python's `json` writes floats with `repr`, the shortest text that
round-trips, so the Rust side can compare the values bit for bit.
"""

import importlib.metadata
import json
import sys
from pathlib import Path

from crystallize.plugins.artifacts import load_all_metrics, load_metrics


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    exp_dir = Path(argv[1])
    version = int(argv[2]) if len(argv) == 3 else None
    out = {
        "crystallize_ml": importlib.metadata.version("crystallize-ml"),
        "load_metrics": load_metrics(exp_dir, version),
        "load_all_metrics": load_all_metrics(exp_dir, version),
    }
    json.dump(out, sys.stdout, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
