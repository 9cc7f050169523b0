//! Errors of the remix area: reading OTIO and EDL, chains, merges. Each names where it happened
//! (line:column in text, a JSON path such as `tracks.children[0].children[3].source_range`, a node id).

use crate::error::Coded;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RemixError {
    #[error("OTIO JSON {0}")]
    Json(#[from] super::json::JsonError),
    #[error("OTIO {path}: {reason}")]
    Schema { path: String, reason: String },
    #[error("EDL line {line}: {reason}")]
    Edl { line: usize, reason: String },
    #[error("chain node {node}: {reason}")]
    Chain { node: String, reason: String },
    #[error("chain: {0}")]
    ChainFormat(String),
    #[error("export: {0}")]
    Export(String),
    #[error("diff: {0}")]
    Diff(String),
    #[error("flatten: {0}")]
    Flatten(String),
}

impl RemixError {
    pub(crate) fn schema(path: &str, reason: impl Into<String>) -> RemixError {
        RemixError::Schema { path: path.to_string(), reason: reason.into() }
    }
}

impl Coded for RemixError {
    fn code(&self) -> &'static str {
        match self {
            RemixError::Json(_) => "ERR_OTIO_JSON",
            RemixError::Schema { .. } => "ERR_OTIO_SCHEMA",
            RemixError::Edl { .. } => "ERR_EDL",
            RemixError::Chain { .. } => "ERR_CHAIN_VERIFY",
            RemixError::ChainFormat(_) => "ERR_CHAIN_FORMAT",
            RemixError::Export(_) => "ERR_OTIO_EXPORT",
            RemixError::Diff(_) => "ERR_DIFF",
            RemixError::Flatten(_) => "ERR_FLATTEN",
        }
    }
}
