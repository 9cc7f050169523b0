//! Remix chains: an OTIO-compatible timeline model with lossless OTIO JSON, CMX 3600 EDL import
//! and export, diffs named as editors name them, hashed chains of remixes, blame, three-way merge,
//! and flattening to the shared edit list.

pub mod apply;
pub mod blame;
pub mod caption_diff;
pub mod chain;
pub mod change;
pub mod diff;
pub mod edl;
pub mod edl_writer;
pub mod error;
pub mod flatten;
pub mod identity;
pub mod json;
pub mod matching;
pub mod merge;
pub mod model;
pub mod name;
pub mod otio;

pub use apply::{apply, arrangement};
pub use blame::{blame, blame_lineage, Blame};
pub use chain::{cameo_of, mark_cameo, Chain, Node};
pub use change::{Change, ChangeKind, ChangeTarget, Diff, Payload};
pub use diff::diff_timelines;
pub use edl::{import_edl, EdlOptions};
pub use edl_writer::{export_edl, EdlExportOptions};
pub use error::RemixError;
pub use flatten::flatten;
pub use identity::{DiffOptions, Identity};
pub use merge::{merge, Conflict, MergeResult};
pub use model::*;
pub use otio::{
    export_otio, import_otio, otio_writer, timeline_to_json, ExportOptions, OtioWriter,
};
