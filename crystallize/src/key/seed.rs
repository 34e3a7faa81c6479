//! Seeds: derived from (master seed, experiment name, replicate) with a keyed hash, so every
//! condition of a replicate sees the same randomness (common random numbers), whatever the thread
//! count or execution order.

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

/// Version of the derivation below; part of every condition key.
pub(crate) const SEED_SCHEME: u32 = 1;

/// The master seed when neither `#[experiment(seed = N)]` nor `--seed` sets one.
pub const DEFAULT_MASTER_SEED: u64 = 0;

/// 32 bytes of seed material for one replicate of one experiment.
pub(crate) fn replicate_material(master: u64, experiment: &str, replicate: u32) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new_derive_key("crystallize replicate seed");
    hasher.update(&master.to_le_bytes());
    hasher.update(&(experiment.len() as u64).to_le_bytes());
    hasher.update(experiment.as_bytes());
    hasher.update(&replicate.to_le_bytes());
    *hasher.finalize().as_bytes()
}

/// The `u64` seed of a replicate (what `Ctx::seed` returns).
pub(crate) fn replicate_seed(material: &[u8; 32]) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&material[..8]);
    u64::from_le_bytes(first)
}

/// A generator for the `call`-th `Ctx::rng()` of stage `stage`: keyed by the replicate's
/// material, on a stream chosen by stage name and call index, so stages draw independent
/// numbers and adding a step does not shift another step's randomness.
pub(crate) fn stage_rng(material: &[u8; 32], stage: &str, call: u32) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::from_seed(*material);
    let mut hasher = blake3::Hasher::new_derive_key("crystallize rng stream");
    hasher.update(stage.as_bytes());
    hasher.update(&call.to_le_bytes());
    let mut stream = [0u8; 8];
    stream.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    rng.set_stream(u64::from_le_bytes(stream));
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn seeds_depend_on_master_experiment_and_replicate() {
        let base = replicate_material(0, "exp", 0);
        assert_eq!(base, replicate_material(0, "exp", 0));
        assert_ne!(base, replicate_material(1, "exp", 0));
        assert_ne!(base, replicate_material(0, "exp2", 0));
        assert_ne!(base, replicate_material(0, "exp", 1));
        // The length prefix keeps ("ab", ..) and ("a", ..) apart.
        assert_ne!(
            replicate_material(0, "ab", 0),
            replicate_material(0, "a", 0)
        );
    }

    #[test]
    fn streams_differ_by_stage_and_call_but_repeat_exactly() {
        let material = replicate_material(7, "exp", 3);
        let draw = |stage: &str, call: u32| -> Vec<u64> {
            let mut rng = stage_rng(&material, stage, call);
            (0..4).map(|_| rng.random()).collect()
        };
        assert_eq!(draw("numbers", 0), draw("numbers", 0));
        assert_ne!(draw("numbers", 0), draw("numbers", 1));
        assert_ne!(draw("numbers", 0), draw("scale", 0));
    }
}
