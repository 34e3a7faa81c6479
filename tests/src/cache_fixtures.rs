//! Experiments that exercise the step cache, retention and gc.
