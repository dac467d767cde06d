//! An email as the log lists it and the `email.sent` and `email.failed` events carry it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailResponse {
    pub id: Uuid,
    #[schema(example = "sara@pars-logistics.example")]
    pub to: String,
    #[schema(example = "Your proposal for the fleet renewal")]
    pub subject: String,
    /// The plain-text part, as rendered when the email was queued.
    pub text_body: String,
    /// The HTML part (for `fa`, a right-to-left document).
    pub html_body: String,
    /// `en` or `fa`: the language it was written in.
    #[schema(schema_with = template_locale, example = "fa")]
    pub locale: String,
    /// `queued`, `sending` (an attempt is in progress), `sent` (the SMTP server accepted it),
    /// `failed` (its last attempt failed) or `not_sent` (no SMTP server is configured).
    #[schema(schema_with = email_status, example = "sent")]
    pub status: String,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due; `null` once the email is sent, failed or not sent.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed (the SMTP server's reply, or the connection error); for a
    /// `not_sent` email, `smtp_not_configured`.
    pub last_error: Option<String>,
    /// The `Message-ID` header every attempt carries, so a message sent twice (after a crash
    /// between the send and its record) is a detectable duplicate; set at the first attempt.
    #[schema(example = "<01a20d5e-b3f0-7000-8000-0000000000e9@kariz.example>")]
    pub message_id: Option<String>,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub template_id: Option<Uuid>,
    /// Who sent it; `null` for an email no member sent, or once they are no longer a member.
    pub created_by: Option<Uuid>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn email_status() -> utoipa::openapi::schema::Object {
    crate::vocabulary::names(kariz_domain::EmailStatus::NAMES)
}

fn template_locale() -> utoipa::openapi::schema::Object {
    crate::vocabulary::names(kariz_domain::TemplateLocale::NAMES)
}
