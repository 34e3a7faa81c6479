#!/usr/bin/env python3
"""Reference values for `crystallize::stats`, computed with scipy.

Writes `crystallize/src/stats/fixtures/scipy_reference.json`, which the Rust tests read (they
need no Python). Run it from the repository root when the samples or the statistics change:

    python3 -m venv /tmp/scipy-venv
    /tmp/scipy-venv/bin/pip install scipy numpy statsmodels
    /tmp/scipy-venv/bin/python tools/scipy_reference.py

Conventions (the same as `crystallize::stats::compare`): x = treatment, y = baseline, so
"greater" means treatment > baseline. Paired tests pair values by index and drop pairs with a
missing side; unpaired tests drop missing values. Every value that scipy leaves undefined (NaN)
is written as null. Effect sizes have no scipy function: they are computed here with numpy from
their textbook definitions (see the Rust module docs).

Tolerances used by the tests: 1e-9 relative for every exact statistic, p-value, analytic
interval, effect size, correction and BCa computation on a given bootstrap distribution.
Two kinds of values depend on scipy's random generator, which Rust does not share: the
permutation p-values of samples too large to enumerate (`"exact": false`) and scipy's own
bootstrap intervals (`bootstrap`). The tests compare those loosely (see `tolerance`).
"""

import json
import math
import os
import warnings

import numpy as np
import scipy
import scipy.special
import statsmodels
from scipy import stats
from scipy.stats import _resampling
from statsmodels.stats.multitest import multipletests

ALPHA = 0.05
DIRECTIONS = {"greater": "greater", "less": "less", "different": "two-sided"}


def clean(value):
    """A JSON number, or None for NaN / infinities."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def sets():
    """The committed samples: (name, baseline, treatment, paired_only)."""
    rng = np.random.default_rng(20261201)
    n50_b = np.round(rng.normal(10.0, 2.0, 50), 6)
    n50_t = np.round(rng.normal(10.8, 2.5, 50), 6)
    n50_paired_t = np.round(n50_b + rng.normal(0.3, 0.5, 50), 6)
    n60_b = np.round(rng.normal(0.0, 1.0, 60), 6)
    n60_t = np.round(n60_b + rng.normal(-0.2, 0.4, 60), 6)
    n12_ties_b = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]
    n12_ties_t = [2.0, 2.0, 4.0, 5.0, 5.0, 8.0, 6.0, 9.0, 9.0, 12.0, 11.0, 15.0]
    n20_ties_b = [float(v) for v in range(20)]
    n20_ties_t = [v + d for v, d in zip(n20_ties_b, [1, 2, 0, 1, 1, 2, 3, -1, 2, 0,
                                                     1, 2, 2, 1, -2, 3, 1, 1, 2, 0])]
    return [
        ("n=2", [1.0, 2.0], [2.5, 4.0]),
        ("ties", [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0],
         [2.0, 3.0, 3.0, 4.0, 4.0, 5.0, 5.0, 6.0]),
        ("small, no ties", [1.1, 2.3, 0.7, 3.5, 2.9, 1.8],
         [3.2, 4.1, 2.8, 5.0, 3.9, 4.4]),
        ("unequal sizes", [1.1, 2.3, 0.7], [3.2, 4.1, 2.8, 5.0, 3.9, 4.4, 0.2, 6.1, 2.05,
                                            3.3, 1.45, 2.6]),
        ("nine each, no ties", [0.3, 1.7, 2.2, 0.9, 1.4, 3.1, 2.8, 0.1, 1.9],
         [1.6, 2.9, 3.4, 1.2, 2.5, 4.0, 3.7, 0.8, 2.1]),
        ("n=50 unpaired", list(n50_b), list(n50_t)),
        ("n=50 paired", list(n50_b), list(n50_paired_t)),
        ("n=60 paired, less", list(n60_b), list(n60_t)),
        ("n=12 paired with ties and zeros", n12_ties_b, n12_ties_t),
        ("n=20 paired with ties and zeros", n20_ties_b, n20_ties_t),
        ("identical samples", [3.1, 2.7, 4.4, 3.9, 2.2], [3.1, 2.7, 4.4, 3.9, 2.2]),
        ("zero variance, equal", [5.0, 5.0, 5.0], [5.0, 5.0, 5.0]),
        ("zero variance, different", [5.0, 5.0, 5.0, 5.0], [6.0, 6.0, 6.0, 6.0]),
        ("zero variance in the baseline", [5.0, 5.0, 5.0, 5.0], [5.5, 6.1, 4.9, 6.3]),
        ("constant differences", [1.0, 2.0, 3.0, 4.0], [1.5, 2.5, 3.5, 4.5]),
        ("missing values", [1.2, None, 2.3, 3.1, 2.8, None, 1.9],
         [2.2, 3.0, None, 3.9, 4.1, 2.5, 2.6]),
        ("negative baseline mean", [-1.0, -2.0, -1.5, -3.0], [-0.5, -1.0, -2.0, -1.0]),
    ]


def unpaired(values):
    return np.array([v for v in values if v is not None], dtype=float)


def paired(baseline, treatment):
    pairs = [(b, t) for b, t in zip(baseline, treatment) if b is not None and t is not None]
    return (np.array([b for b, _ in pairs], dtype=float),
            np.array([t for _, t in pairs], dtype=float))


def hedges_j(df):
    if df <= 1:
        return None
    return math.exp(scipy.special.gammaln(df / 2) - scipy.special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


def effects(b, t, is_paired):
    out = {"mean_difference": None, "ratio": None, "cohens_d": None, "hedges_g": None,
           "cliffs_delta": None}
    if len(b) == 0 or len(t) == 0:
        return out
    if is_paired:
        d = t - b
        out["mean_difference"] = float(np.mean(d))
        if len(d) >= 2:
            sd = float(np.std(d, ddof=1))
            if sd > 0:
                out["cohens_d"] = out["mean_difference"] / sd
                j = hedges_j(len(d) - 1)
                out["hedges_g"] = None if j is None else out["cohens_d"] * j
    else:
        out["mean_difference"] = float(np.mean(t) - np.mean(b))
        if len(b) >= 2 and len(t) >= 2:
            df = len(b) + len(t) - 2
            pooled = math.sqrt(((len(t) - 1) * np.var(t, ddof=1)
                                + (len(b) - 1) * np.var(b, ddof=1)) / df)
            if pooled > 0:
                out["cohens_d"] = out["mean_difference"] / pooled
                j = hedges_j(df)
                out["hedges_g"] = None if j is None else out["cohens_d"] * j
    mean_b = float(np.mean(b))
    if mean_b != 0:
        out["ratio"] = float(np.mean(t)) / mean_b
    greater = sum(1 for x in t for y in b if x > y)
    less = sum(1 for x in t for y in b if x < y)
    out["cliffs_delta"] = (greater - less) / (len(t) * len(b))
    return out


def mean_difference(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def run_test(test, b, t, alternative):
    """(statistic, p, ci_low, ci_high, exact) from scipy; ci only for the t tests."""
    ci = (None, None)
    exact = True
    if test in ("welch-t", "student-t"):
        res = stats.ttest_ind(t, b, equal_var=(test == "student-t"), alternative=alternative)
        two = stats.ttest_ind(t, b, equal_var=(test == "student-t"))
        interval = two.confidence_interval(1 - ALPHA)
        ci = (interval.low, interval.high)
    elif test == "paired-t":
        res = stats.ttest_rel(t, b, alternative=alternative)
        interval = stats.ttest_rel(t, b).confidence_interval(1 - ALPHA)
        ci = (interval.low, interval.high)
    elif test == "wilcoxon":
        res = stats.wilcoxon(t, b, alternative=alternative)
    elif test == "mann-whitney":
        res = stats.mannwhitneyu(t, b, alternative=alternative)
    elif test == "permutation":
        n = len(t)
        exact = 2 ** n <= 9999
        res = stats.permutation_test((t, b), mean_difference, permutation_type="samples",
                                     alternative=alternative, n_resamples=9999,
                                     vectorized=True, rng=np.random.default_rng(7))
    else:
        raise ValueError(test)
    return res.statistic, res.pvalue, ci[0], ci[1], exact


PAIRED = {"paired-t", "wilcoxon", "permutation"}
TESTS = ["welch-t", "student-t", "paired-t", "wilcoxon", "mann-whitney", "permutation"]


def comparisons():
    cases = []
    for name, baseline, treatment in sets():
        for test in TESTS:
            is_paired = test in PAIRED
            if is_paired and len(baseline) != len(treatment):
                continue
            if is_paired:
                b, t = paired(baseline, treatment)
            else:
                b, t = unpaired(baseline), unpaired(treatment)
            for direction, alternative in DIRECTIONS.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        statistic, p, low, high, exact = run_test(test, b, t, alternative)
                    except ValueError:
                        statistic, p, low, high, exact = None, None, None, None, True
                cases.append({
                    "name": name, "test": test, "direction": direction, "alpha": ALPHA,
                    "baseline": baseline, "treatment": treatment,
                    "n_baseline": len(b), "n_treatment": len(t),
                    "statistic": clean(statistic), "p_value": clean(p), "exact": exact,
                    "ci_low": clean(low), "ci_high": clean(high),
                    "effects": {k: clean(v) for k, v in effects(b, t, is_paired).items()},
                })
    return cases


def corrections():
    lists = [
        [0.01, 0.04, 0.03, 0.005],
        [0.2, 0.2, 0.01, 0.04, 0.5, 0.049],
        [0.001],
        [0.9, 0.8, 0.95],
        [0.01, 0.01, 0.01, 0.01],
        [1e-10, 0.3, 0.02, 0.02, 0.6, 0.001, 0.04, 0.7],
    ]
    out = []
    for p in lists:
        out.append({
            "p_values": p,
            "holm": [float(v) for v in multipletests(p, method="holm")[1]],
            "benjamini-hochberg": [float(v) for v in multipletests(p, method="fdr_bh")[1]],
        })
    return out


def bca_cases():
    """BCa on a given bootstrap distribution (scipy's private `_bca_interval`, the function
    `scipy.stats.bootstrap(method="BCa")` calls, so the arithmetic compares exactly although the
    resamples come from a generator Rust does not share), and scipy's whole bootstrap."""
    out = []
    rng = np.random.default_rng(99)
    for name, baseline, treatment in sets():
        if name not in ("small, no ties", "n=50 unpaired", "n=50 paired", "ties",
                        "unequal sizes", "missing values"):
            continue
        for is_paired in (False, True):
            if is_paired and len(baseline) != len(treatment):
                continue
            if is_paired:
                b, t = paired(baseline, treatment)
                d = t - b
                data = (d,)
                statistic = lambda x, axis=-1: np.mean(x, axis=axis)
                theta_b = np.array([np.mean(rng.choice(d, len(d))) for _ in range(200)])
            else:
                b, t = unpaired(baseline), unpaired(treatment)
                data = (t, b)
                statistic = mean_difference
                theta_b = np.array([np.mean(rng.choice(t, len(t))) - np.mean(rng.choice(b, len(b)))
                                    for _ in range(200)])
            theta_b = np.round(theta_b, 9)
            alpha_1, alpha_2, a_hat = _resampling._bca_interval(
                data, statistic, axis=-1, alpha=ALPHA / 2, theta_hat_b=theta_b, batch=None,
                xp=np)
            low, high = stats.quantile(theta_b, np.array([float(alpha_1), float(alpha_2)]))
            full = stats.bootstrap(data, statistic, paired=False, vectorized=True,
                                   confidence_level=1 - ALPHA, n_resamples=9999,
                                   method="BCa", rng=np.random.default_rng(5))
            out.append({
                "name": name, "paired": is_paired, "alpha": ALPHA,
                "baseline": baseline, "treatment": treatment,
                "theta_hat_b": [float(v) for v in theta_b],
                "alpha_1": float(alpha_1), "alpha_2": float(alpha_2), "a_hat": float(a_hat),
                "low": float(low), "high": float(high),
                "scipy_bootstrap_low": float(full.confidence_interval.low),
                "scipy_bootstrap_high": float(full.confidence_interval.high),
            })
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "crystallize", "src", "stats", "fixtures", "scipy_reference.json")
    document = {
        "generator": "tools/scipy_reference.py",
        "versions": {"scipy": scipy.__version__, "numpy": np.__version__,
                     "statsmodels": statsmodels.__version__},
        "tolerance": {
            "exact": "1e-9 relative (absolute 1e-12 near zero)",
            "permutation_not_exact": "0.01 absolute: scipy draws its 9999 resamples with its own generator",
            "scipy_bootstrap": "bounds within 15% of the interval's width: scipy resamples with its own generator",
        },
        "comparisons": comparisons(),
        "corrections": corrections(),
        "bca": bca_cases(),
    }
    with open(path, "w") as out:
        json.dump(document, out, indent=1, allow_nan=False)
        out.write("\n")
    print(f"wrote {path}: {len(document['comparisons'])} comparisons")


if __name__ == "__main__":
    main()
