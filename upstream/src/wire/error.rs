//! The error envelope (`global/error.yaml#/Error`) and the codes the console handles.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"status":"error","code":400400,"message":"…","data":{"detail":…}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Always `"error"`.
    pub status: String,
    /// Six-digit Social+ error code (see [`code`]).
    pub code: u32,
    /// Human-readable message from the API.
    pub message: String,
    /// Details, e.g. `{"detail": ["options.limit must be ≤ 100"]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl ErrorBody {
    /// An error envelope with the given code and message.
    pub fn new(code: u32, message: impl Into<String>) -> Self {
        Self { status: "error".into(), code, message: message.into(), data: None }
    }

    /// The same envelope with `data.detail` set to these lines.
    pub fn with_detail(mut self, detail: Vec<String>) -> Self {
        self.data = Some(serde_json::json!({ "detail": detail }));
        self
    }
}

/// Social+ error codes (`global/error.yaml`, CONTRACT.md §i).
pub mod code {
    /// 400: bad request / invalid parameters.
    pub const BAD_REQUEST: u32 = 400_000;
    /// 401: missing or invalid token, or banned from the system.
    pub const UNAUTHORIZED: u32 = 400_100;
    /// 403: forbidden.
    pub const FORBIDDEN: u32 = 400_300;
    /// 403: permission denied.
    pub const PERMISSION_DENIED: u32 = 400_301;
    /// 403: the text contains a blocklisted word.
    pub const BLOCKED_WORD: u32 = 400_308;
    /// 403: a link is not in the allowlist.
    pub const LINK_NOT_ALLOWED: u32 = 400_309;
    /// 400: the object already exists.
    pub const DUPLICATE: u32 = 400_315;
    /// 429: rate limit exceeded.
    pub const RATE_LIMITED: u32 = 400_311;
    /// 403: globally banned.
    pub const GLOBAL_BAN: u32 = 400_312;
    /// 404: resource not found.
    pub const NOT_FOUND: u32 = 400_400;
    /// 422/500: validation or unexpected error.
    pub const UNEXPECTED: u32 = 500_000;
}
