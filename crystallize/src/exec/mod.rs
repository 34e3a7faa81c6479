//! Layer 7: executing units — the worker pool that schedules them, the executors that run them
//! (threads of this process, child processes of the same binary, or Slurm array tasks), and the child side of the
//! latter.

pub(crate) mod child;
pub(crate) mod executor;
pub(crate) mod pool;
pub(crate) mod slurm;
pub(crate) mod unit;
