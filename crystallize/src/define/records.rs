//! The signature record of a registered stage: built from its compile-time info, or, for an
//! upstream input, from what it reads.

use crate::key::signature::{CodeHash, StageRecord};

/// The record of a registered stage.
pub(crate) fn stage_record_of(stage: &crate::define::experiment::Stage) -> StageRecord {
    match (&stage.info, &stage.input) {
        (Some(info), _) => crate::unit::records::stage_record(&stage.name, info),
        (None, Some(input)) => StageRecord {
            name: stage.name.to_string(),
            kind: "input".to_string(),
            // What is read and how it is decoded; the content read is in the upstream record.
            code: CodeHash::of(
                format!("{}\0{}\0{}", input.producer, input.file, input.format).as_bytes(),
            ),
            uses: Vec::new(),
            reaches: Vec::new(),
            dependencies: Vec::new(),
            ignored: Vec::new(),
        },
        (None, None) => StageRecord {
            name: stage.name.to_string(),
            kind: stage.kind.as_str().to_string(),
            code: CodeHash([0; 32]),
            uses: Vec::new(),
            reaches: Vec::new(),
            dependencies: Vec::new(),
            ignored: Vec::new(),
        },
    }
}
