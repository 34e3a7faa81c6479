//! Experiments connected by artifacts, for the experiment-graph tests.
