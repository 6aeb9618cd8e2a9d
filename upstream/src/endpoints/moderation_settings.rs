//! Moderation settings (`spec: /api/v2/moderation-settings`).

use super::{Endpoint, Request};
use crate::wire::{ModerationSettings, ModerationSettingsEnvelope, StatusReply};

/// `GET /api/v2/moderation-settings`.
#[derive(Clone, Copy, Debug)]
pub struct GetModerationSettings;

impl Endpoint for GetModerationSettings {
    type Response = ModerationSettingsEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v2", "moderation-settings"])
    }
}

/// `PUT /api/v2/moderation-settings`: changes the fields `settings` carries.
#[derive(Clone, Copy, Debug)]
pub struct UpdateModerationSettings<'a>(
    /// The fields to change (its timestamps are never sent).
    pub &'a ModerationSettings,
);

impl Endpoint for UpdateModerationSettings<'_> {
    type Response = StatusReply;
    fn request(&self) -> Request {
        let settings = ModerationSettings { created_at: None, updated_at: None, ..self.0.clone() };
        Request::put(&["api", "v2", "moderation-settings"])
            .with_body(serde_json::to_value(settings).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_never_sent() {
        let settings = ModerationSettings {
            max_repetition: Some(3),
            updated_at: Some("2026-01-01T00:00:00.000Z".into()),
            ..Default::default()
        };
        assert_eq!(
            UpdateModerationSettings(&settings).request().body,
            Some(serde_json::json!({"maxRepetition": 3}))
        );
    }
}
