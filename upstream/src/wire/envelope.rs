//! Side-loaded response envelopes: arrays of objects plus optional `paging`.

use super::{File, User, null_as_default};
use serde::{Deserialize, Serialize};

/// Paging cursors (`schema/generic.yaml#/Generic_paging`). Opaque; sent back as `options[token]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    /// Token of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Token of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// Total count, when the API reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// `{users, files, paging?}` — the answer of every user read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserEnvelope {
    /// The users.
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<User>,
    /// Files the users refer to (avatars).
    #[serde(default, deserialize_with = "null_as_default")]
    pub files: Vec<File>,
    /// Cursors, on paginated reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

impl UserEnvelope {
    /// The side-loaded file with this id.
    pub fn file(&self, file_id: &str) -> Option<&File> {
        self.files.iter().find(|f| f.file_id == file_id)
    }
}
