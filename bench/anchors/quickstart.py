"""crystallize's README quickstart on crystallize-ml 0.27 (the anchor of bench/edit_latency.py):
16 random numbers, scale(factor) -> summarize (metric `mean`), baseline factor 1 and treatment
double (factor 2), 10 replicates, versioned artifact plugin under ./data, a paired-difference
hypothesis; prints the mean per condition.

usage: python quickstart.py
"""
import random
import statistics

from crystallize import (Experiment, Hypothesis, Pipeline, data_source, pipeline_step, treatment,
                         verifier)
from crystallize.plugins.plugins import ArtifactPlugin, SeedPlugin


@data_source
def numbers(ctx):
    return [random.random() for _ in range(16)]


@pipeline_step()
def scale(data, ctx, factor=1.0):
    return [x * factor for x in data]


@pipeline_step()
def summarize(data, ctx):
    m = sum(data) / len(data)
    return m, {"mean": m}


@verifier
def paired_difference(baseline, treatment):
    diffs = [t - b for b, t in zip(baseline["mean"], treatment["mean"])]
    return {"effect": statistics.mean(diffs), "p_value": 0.0 if min(diffs) > 0 else 1.0}


if __name__ == "__main__":
    experiment = Experiment(
        datasource=numbers(),
        pipeline=Pipeline([scale(), summarize()]),
        treatments=[treatment("double", {"factor": 2.0})],
        hypotheses=[Hypothesis(verifier=paired_difference(), metrics="mean", name="double increases mean")],
        plugins=[ArtifactPlugin(root_dir="data", versioned=True), SeedPlugin(seed=7)],
        name="quickstart", replicates=10,
    )
    result = experiment.run(strategy="rerun")
    for name, metrics in [("baseline", result.metrics.baseline)] + list(result.metrics.treatments.items()):
        values = metrics.metrics["mean"]
        print(f"{name}: mean {statistics.mean(values):.4f} ± {statistics.stdev(values):.4f} ({len(values)})")
    for hypothesis in result.metrics.hypotheses:
        print(hypothesis.name, hypothesis.results)
