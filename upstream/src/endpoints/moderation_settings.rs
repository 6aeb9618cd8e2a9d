//! Moderation settings (`spec: /api/v2/moderation-settings`).

use super::Request;
use crate::wire::ModerationSettings;

/// `GET /api/v2/moderation-settings`.
pub fn get_moderation_settings() -> Request {
    Request::get(&["api", "v2", "moderation-settings"])
}

/// `PUT /api/v2/moderation-settings`: changes the fields `settings` carries.
pub fn update_moderation_settings(settings: &ModerationSettings) -> Request {
    let settings = ModerationSettings { created_at: None, updated_at: None, ..settings.clone() };
    Request::put(&["api", "v2", "moderation-settings"])
        .with_body(serde_json::to_value(settings).unwrap_or_default())
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
        assert_eq!(update_moderation_settings(&settings).body, Some(serde_json::json!({"maxRepetition": 3})));
    }
}
