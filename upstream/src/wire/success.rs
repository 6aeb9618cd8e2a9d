//! `{success: true}`, the answer of deletes and revocations.

use super::null_as_default;
use serde::{Deserialize, Serialize};

/// Whether the operation succeeded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Success {
    /// `true` when done.
    #[serde(default, deserialize_with = "null_as_default")]
    pub success: bool,
}
