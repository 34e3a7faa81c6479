//! Layer 0, the leaf: what results depend on, as hashes and readable records — code hashes,
//! canonical JSON, signature records and keys, seeds, the toolchain. Imports nothing of the
//! crate.

pub(crate) mod canonical;
pub(crate) mod hex;
pub(crate) mod seed;
pub(crate) mod signature;
pub(crate) mod toolchain;
