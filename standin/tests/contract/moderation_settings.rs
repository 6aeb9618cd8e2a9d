//! Moderation settings: `GET /api/v2/moderation-settings`, `PUT /api/v2/moderation-settings`.

use crate::{
    openapi::Spec,
    support::{admin, assert_conforms, assert_error, assert_response, client, standin},
};
use serde_json::json;
use upstream::endpoints::moderation_settings::{GetModerationSettings, UpdateModerationSettings};
use upstream::wire::ModerationSettings;

#[tokio::test]
async fn moderation_settings_round_trip_in_the_spec_shape() {
    let standin = standin().await;
    let mut spec = Spec::master();
    assert!(spec.has_operation("GET", "/api/v2/moderation-settings"));
    assert!(spec.has_operation("PUT", "/api/v2/moderation-settings"));
    let (status, body) = admin(&standin, "GET", "/api/v2/moderation-settings", None).await;
    assert_eq!(status, 200, "{body}");
    assert_response(&mut spec, "GET", "/api/v2/moderation-settings", "200", &body);

    let change = json!({ "maxRepetition": 2, "imageModeration": { "violence": 0.5 } });
    let (status, body) = admin(&standin, "PUT", "/api/v2/moderation-settings", Some(change)).await;
    assert_eq!(status, 200, "{body}");
    let schema = spec.response_schema("PUT", "/api/v2/moderation-settings", "200");
    assert_conforms(&schema, &body, "PUT /api/v2/moderation-settings");

    let client = client(&standin);
    let read = client.send(&GetModerationSettings).await.expect("get").data;
    assert_eq!(read.max_repetition, Some(2));
    let image = read.image_moderation.expect("image moderation");
    assert_eq!((image.violence, image.nudity), (Some(0.5), Some(0.8)), "unsent thresholds are kept");
    let reply = client
        .send(&UpdateModerationSettings(&ModerationSettings {
            enable_image_moderation: Some(true),
            ..Default::default()
        }))
        .await
        .expect("put");
    assert_eq!(reply.status.as_deref(), Some("success"));
    assert_eq!(
        client.send(&GetModerationSettings).await.expect("get").data.enable_image_moderation,
        Some(true)
    );

    let negative =
        admin(&standin, "PUT", "/api/v2/moderation-settings", Some(json!({ "maxRepetition": -1 }))).await;
    assert_error(&mut spec, &negative, 400, 400_000, "negative maxRepetition");
    standin.stop().await;
}
