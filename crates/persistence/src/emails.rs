//! Emails: queued in the unit of work of their cause ([`queue_email`], for any store operation
//! that sends one with its change), listed in the log, and claimed, attempted and recorded by the
//! sender (`kariz-mail`).
//!
//! Claims take a lease (`locked_until`) and, on PostgreSQL, row locks with `SKIP LOCKED`, so two
//! senders never make the same attempt; a sender that dies loses its lease and the email is
//! claimed again. Every attempt carries the `message_id` set at the first claim: a crash between
//! the SMTP server's acceptance and its record sends the message again (at least once), with the
//! same `Message-ID`, so the duplicate is detectable.

use chrono::{DateTime, Duration, Utc};
use kariz_contract::events::EmailEventData;
use kariz_contract::{EmailResponse, Event};
use kariz_domain::{
    ContactId, DealId, Email, EmailStatus, LeadId, Money, RenderedEmail, SMTP_NOT_CONFIGURED, Template, TemplateLocale, TemplateName,
    TemplateValues, UserId, Viewer, WorkspaceId, render_email,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use crate::entities::{contacts, deals, email_templates, emails, leads, organizations, pipelines, stages, users, workspaces};
use crate::error::{StoreError, StoreResult};
use crate::outbox::Aggregate;
use crate::pagination::{self, Page};
use crate::sql::statement;
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};
use crate::visibility::{contacts_seen, deals_seen, leads_seen};

/// The most templates a workspace lists.
pub const MAX_LISTED_TEMPLATES: u64 = 500;

/// A template as stored.
#[derive(Clone, Debug)]
pub struct EmailTemplateRecord {
    pub id: Uuid,
    pub name: String,
    pub locale: TemplateLocale,
    pub subject: String,
    pub body: String,
    pub created_by: Option<Uuid>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new template, its texts parsed (no unknown placeholder).
pub struct NewEmailTemplate {
    pub name: TemplateName,
    pub locale: TemplateLocale,
    pub subject: Template,
    pub body: Template,
}

/// What a change of a template sets; `None` keeps a field.
#[derive(Default)]
pub struct EmailTemplatePatch {
    pub name: Option<TemplateName>,
    pub locale: Option<TemplateLocale>,
    pub subject: Option<Template>,
    pub body: Option<Template>,
}

/// The records an email or a preview is about: a deal (with its contact, organization, stage
/// and owner), or a contact (with their organization and owner).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailAbout {
    Deal(DealId),
    Contact(ContactId),
    /// A deal's values, to a contact of the caller's choosing.
    DealTo(DealId, ContactId),
    /// A lead, which stands for the contact: `{{contact.*}}` are the lead's name and address,
    /// `{{organization.name}}` its company.
    Lead(LeadId),
}

/// What an email says: a stored template, or a subject and body written for this one email.
pub enum EmailContent {
    Template(Uuid),
    /// `locale` `None`: the workspace's language.
    Written {
        subject: Template,
        body: Template,
        locale: Option<TemplateLocale>,
    },
}

/// An email ready to queue: rendered, addressed, linked to what it is about.
pub(crate) struct QueuedEmail {
    /// Given by a writer that may repeat itself (an automation's resumed run); new otherwise.
    pub id: Option<Uuid>,
    pub workspace_id: WorkspaceId,
    pub to: Email,
    pub rendered: RenderedEmail,
    pub locale: TemplateLocale,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub template_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    /// A stored file the message carries.
    pub attachment_id: Option<Uuid>,
}

/// Filters of the log.
#[derive(Clone, Debug, Default)]
pub struct EmailFilter {
    pub status: Option<EmailStatus>,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
}

/// An email claimed for one attempt, with everything needed to send it.
#[derive(Clone, Debug)]
pub struct ClaimedEmail {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub to: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub message_id: String,
    /// Attempts made before this one.
    pub attempts: i32,
    /// The file it carries, if it has one and the file is still kept.
    pub attachment: Option<EmailFile>,
}

/// A file attached to an email.
#[derive(Clone, Debug)]
pub struct EmailFile {
    pub file_name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// What an attempt came to; decided by the sender's retry policy.
#[derive(Clone, Debug)]
pub enum EmailOutcome {
    Sent,
    RetryAt {
        at: DateTime<Utc>,
        error: String,
    },
    /// No attempts left, or a permanent refusal.
    Failed {
        error: String,
    },
    /// No SMTP server is configured: nothing was attempted.
    NotSent,
}

const LOG_SORT: &str = "emails";

/// The event a final outcome announces, made from the email as it is written.
type Announce = fn(EmailEventData) -> Event;

pub(crate) fn email_response(row: &emails::Model) -> EmailResponse {
    let pending = matches!(row.status.as_str(), "queued" | "sending");
    EmailResponse {
        id: row.id,
        to: row.to_address.clone(),
        subject: row.subject.clone(),
        text_body: row.text_body.clone(),
        html_body: row.html_body.clone(),
        locale: row.locale.clone(),
        status: row.status.clone(),
        attempts: row.attempts,
        next_attempt_at: pending.then_some(row.next_attempt_at),
        last_attempt_at: row.last_attempt_at,
        last_error: row.last_error.clone(),
        message_id: row.message_id.clone(),
        deal_id: row.deal_id,
        contact_id: row.contact_id,
        lead_id: row.lead_id,
        template_id: row.template_id,
        created_by: row.created_by,
        sent_at: row.sent_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn template_record(row: email_templates::Model) -> StoreResult<EmailTemplateRecord> {
    let locale = TemplateLocale::parse(&row.locale).map_err(|e| StoreError::corrupt("email_templates", e))?;
    Ok(EmailTemplateRecord {
        id: row.id,
        name: row.name,
        locale,
        subject: row.subject,
        body: row.body,
        created_by: row.created_by,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Queues `email` in `work`, the unit of work of its cause: it is sent only if that change
/// commits, and the change is not refused for it. Recorded in the audit log as `email.queued`.
pub(crate) async fn queue_email(work: &mut UnitOfWork, email: QueuedEmail) -> StoreResult<emails::Model> {
    let now = work.now();
    let row = emails::Model {
        id: email.id.unwrap_or_else(Uuid::now_v7),
        workspace_id: email.workspace_id.as_uuid(),
        to_address: email.to.as_str().to_owned(),
        subject: email.rendered.subject,
        text_body: email.rendered.text,
        html_body: email.rendered.html,
        locale: email.locale.as_str().to_owned(),
        status: EmailStatus::Queued.as_str().to_owned(),
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        last_attempt_at: None,
        last_error: None,
        message_id: None,
        deal_id: email.deal_id,
        contact_id: email.contact_id,
        lead_id: email.lead_id,
        template_id: email.template_id,
        created_by: email.created_by,
        sent_at: None,
        created_at: now,
        updated_at: now,
        attachment_id: email.attachment_id,
    };
    let row = work.insert("email.queued", row).await?;
    // Wakes this process's sender at the commit.
    work.emitted();
    Ok(row)
}

async fn template_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<email_templates::Model> {
    email_templates::Entity::find_by_id(id)
        .filter(email_templates::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("email template"))
}

/// A stored template's texts, parsed again (they were checked when saved).
fn parsed_template(row: &email_templates::Model) -> StoreResult<(Template, Template, TemplateLocale)> {
    let corrupt = |e: kariz_domain::TemplateError| StoreError::corrupt("email_templates", e);
    let locale = TemplateLocale::parse(&row.locale).map_err(|e| StoreError::corrupt("email_templates", e))?;
    Ok((Template::subject(&row.subject).map_err(corrupt)?, Template::body(&row.body).map_err(corrupt)?, locale))
}

/// The records an email about `about` names, as the viewer sees them (a record hidden from the
/// viewer is not found), with the address it goes to (the contact's, or the deal's contact's).
struct Subject {
    values: TemplateValues,
    /// The workspace's language, for an email written without one.
    workspace_locale: TemplateLocale,
    to: Option<String>,
    deal_id: Option<Uuid>,
    contact_id: Option<Uuid>,
    lead_id: Option<Uuid>,
}

async fn deal_seen<C: ConnectionTrait>(conn: &C, viewer: &Viewer, id: DealId) -> StoreResult<deals::Model> {
    deals::Entity::find_by_id(id.as_uuid())
        .filter(deals::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .filter(deals_seen(viewer))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("deal"))
}

async fn contact_seen<C: ConnectionTrait>(conn: &C, viewer: &Viewer, id: ContactId) -> StoreResult<contacts::Model> {
    contacts::Entity::find_by_id(id.as_uuid())
        .filter(contacts::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .filter(contacts_seen(viewer))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("contact"))
}

async fn subject_of<C: ConnectionTrait>(conn: &C, viewer: &Viewer, about: EmailAbout) -> StoreResult<Subject> {
    let workspace = viewer.workspace_id.as_uuid();
    let (deal, contact, lead) = match about {
        EmailAbout::Deal(id) => {
            let deal = deal_seen(conn, viewer, id).await?;
            let contact = match deal.contact_id {
                Some(contact_id) => {
                    contacts::Entity::find_by_id(contact_id).filter(contacts::Column::WorkspaceId.eq(workspace)).one(conn).await?
                }
                None => None,
            };
            (Some(deal), contact, None)
        }
        EmailAbout::Contact(id) => (None, Some(contact_seen(conn, viewer, id).await?), None),
        EmailAbout::DealTo(deal_id, contact_id) => {
            let contact = contact_seen(conn, viewer, contact_id).await?;
            let deal =
                deal_seen(conn, viewer, deal_id).await.map_err(|_| StoreError::invalid("deal_id", "no such deal in this workspace"))?;
            (Some(deal), Some(contact), None)
        }
        EmailAbout::Lead(id) => {
            let lead = leads::Entity::find_by_id(id.as_uuid())
                .filter(leads::Column::WorkspaceId.eq(workspace))
                .filter(leads_seen(viewer))
                .one(conn)
                .await?
                .ok_or(StoreError::NotFound("lead"))?;
            (None, None, Some(lead))
        }
    };
    let organization_id = deal.as_ref().and_then(|d| d.organization_id).or(contact.as_ref().and_then(|c| c.organization_id));
    let organization = match organization_id {
        Some(id) => organizations::Entity::find_by_id(id).filter(organizations::Column::WorkspaceId.eq(workspace)).one(conn).await?,
        None => None,
    };
    let owner_id =
        deal.as_ref().map(|d| d.owner_id).or(contact.as_ref().and_then(|c| c.owner_id)).or(lead.as_ref().and_then(|l| l.owner_id));
    let owner = match owner_id {
        Some(id) => users::Entity::find_by_id(id).filter(users::Column::WorkspaceId.eq(workspace)).one(conn).await?,
        None => None,
    };
    let (stage, pipeline) = match &deal {
        Some(deal) => (
            stages::Entity::find_by_id(deal.stage_id).one(conn).await?,
            pipelines::Entity::find_by_id(deal.pipeline_id).filter(pipelines::Column::WorkspaceId.eq(workspace)).one(conn).await?,
        ),
        None => (None, None),
    };
    let workspace_row = workspaces::Entity::find_by_id(workspace).one(conn).await?;
    let amount = match &deal {
        Some(deal) => {
            let currency = kariz_domain::Currency::from_stored(&deal.currency).map_err(|e| StoreError::corrupt("deals", e))?;
            Some(Money::new(deal.amount_minor, currency).map_err(|e| StoreError::corrupt("deals", e))?)
        }
        None => None,
    };
    let values = TemplateValues {
        deal_title: deal.as_ref().map(|d| d.title.clone()),
        deal_amount: amount,
        deal_expected_close: deal.as_ref().and_then(|d| d.expected_close_date),
        stage_name: stage.map(|s| s.name),
        pipeline_name: pipeline.map(|p| p.name),
        contact_name: contact.as_ref().map(|c| c.name.clone()).or(lead.as_ref().map(|l| l.name.clone())),
        contact_email: contact.as_ref().and_then(|c| c.email.clone()).or(lead.as_ref().and_then(|l| l.email.clone())),
        organization_name: organization.map(|o| o.name).or(lead.as_ref().and_then(|l| l.company.clone())),
        owner_name: owner.as_ref().map(|u| u.name.clone()),
        owner_email: owner.map(|u| u.email),
        workspace_name: workspace_row.as_ref().map(|w| w.name.clone()),
    };
    let workspace_locale = workspace_row.map(|w| w.locale).unwrap_or_default();
    Ok(Subject {
        workspace_locale: TemplateLocale::parse(&workspace_locale).unwrap_or(TemplateLocale::En),
        to: contact.as_ref().and_then(|c| c.email.clone()).or(lead.as_ref().and_then(|l| l.email.clone())),
        deal_id: deal.as_ref().map(|d| d.id),
        contact_id: contact.as_ref().map(|c| c.id),
        lead_id: lead.as_ref().map(|l| l.id),
        values,
    })
}

impl Store {
    /// The workspace's templates, by name; at most [`MAX_LISTED_TEMPLATES`].
    pub async fn email_templates(&self, workspace_id: WorkspaceId) -> StoreResult<Vec<EmailTemplateRecord>> {
        let rows = email_templates::Entity::find()
            .filter(email_templates::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .order_by_asc(email_templates::Column::Name)
            .order_by_asc(email_templates::Column::Id)
            .limit(MAX_LISTED_TEMPLATES)
            .all(&self.db)
            .await?;
        rows.into_iter().map(template_record).collect()
    }

    pub async fn email_template(&self, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<EmailTemplateRecord> {
        template_record(template_in(&self.db, workspace_id, id).await?)
    }

    pub async fn create_email_template(
        &self,
        workspace_id: WorkspaceId,
        created_by: UserId,
        new: NewEmailTemplate,
    ) -> StoreResult<EmailTemplateRecord> {
        let mut work = self.begin().await?;
        let row = email_templates::Model {
            id: Uuid::now_v7(),
            workspace_id: workspace_id.as_uuid(),
            name: new.name.into_inner(),
            locale: new.locale.as_str().to_owned(),
            subject: new.subject.as_str().to_owned(),
            body: new.body.as_str().to_owned(),
            created_by: Some(created_by.as_uuid()),
            version: 1,
            created_at: work.now(),
            updated_at: work.now(),
        };
        let row = work.insert("email_template.created", row).await?;
        work.commit().await?;
        template_record(row)
    }

    /// Changes a template if it is still at `expected_version`.
    pub async fn update_email_template(
        &self,
        workspace_id: WorkspaceId,
        id: Uuid,
        expected_version: Option<i64>,
        patch: EmailTemplatePatch,
    ) -> StoreResult<EmailTemplateRecord> {
        let mut work = self.begin().await?;
        let current = template_in(work.conn(), workspace_id, id).await?;
        check_version("email template", expected_version, current.version)?;
        let mut after = current.clone();
        if let Some(name) = patch.name {
            after.name = name.into_inner();
        }
        if let Some(locale) = patch.locale {
            after.locale = locale.as_str().to_owned();
        }
        if let Some(subject) = patch.subject {
            after.subject = subject.as_str().to_owned();
        }
        if let Some(body) = patch.body {
            after.body = body.as_str().to_owned();
        }
        if after == current {
            return template_record(current);
        }
        let row = work.update("email_template.updated", &current, after).await?;
        work.commit().await?;
        template_record(row)
    }

    /// Deletes a template; emails written from it keep what they said. `expected_version` is
    /// checked when given.
    pub async fn delete_email_template(&self, workspace_id: WorkspaceId, id: Uuid, expected_version: Option<i64>) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = template_in(work.conn(), workspace_id, id).await?;
        check_version("email template", expected_version, current.version)?;
        work.delete("email_template.deleted", &current).await?;
        work.commit().await
    }

    /// A template rendered with the records of `about` (as the viewer sees them), or with sample
    /// values.
    pub async fn preview_email_template(&self, viewer: &Viewer, id: Uuid, about: Option<EmailAbout>) -> StoreResult<RenderedEmail> {
        let row = template_in(&self.db, viewer.workspace_id, id).await?;
        let (subject, body, locale) = parsed_template(&row)?;
        let values = match about {
            Some(about) => subject_of(&self.db, viewer, about).await?.values,
            None => TemplateValues::sample(locale),
        };
        Ok(render_email(&subject, &body, &values, locale))
    }

    /// Queues an email to a contact, or to a deal's contact, written from a template or by hand,
    /// rendered with the records it is about. The contact (or deal) must be one the viewer sees,
    /// and have an email address.
    pub async fn send_email(&self, viewer: &Viewer, about: EmailAbout, content: EmailContent) -> StoreResult<EmailResponse> {
        self.send_email_to(viewer, about, content, None, None).await
    }

    /// [`Store::send_email`] to `to` instead of the contact when given, with the email's `id`
    /// when given (an automation's email, the same on every attempt of its run).
    pub(crate) async fn send_email_to(
        &self,
        viewer: &Viewer,
        about: EmailAbout,
        content: EmailContent,
        to: Option<Email>,
        id: Option<Uuid>,
    ) -> StoreResult<EmailResponse> {
        let mut work = self.begin().await?;
        let subject = subject_of(work.conn(), viewer, about).await?;
        let default_locale = subject.workspace_locale;
        let (subject_template, body_template, locale, template_id) = match content {
            EmailContent::Template(id) => {
                let row = template_in(work.conn(), viewer.workspace_id, id)
                    .await
                    .map_err(|_| StoreError::invalid("template_id", "no such email template in this workspace"))?;
                let (s, b, l) = parsed_template(&row)?;
                (s, b, l, Some(row.id))
            }
            EmailContent::Written { subject, body, locale } => (subject, body, locale.unwrap_or(default_locale), None),
        };
        let to = match (to, &subject.to) {
            (Some(to), _) => to,
            (None, Some(address)) => {
                Email::parse(address).map_err(|_| StoreError::invalid("to", "the contact's email address is not valid"))?
            }
            (None, None) => {
                let whose = if subject.contact_id.is_some() {
                    "the contact has"
                } else if subject.lead_id.is_some() {
                    "the lead has"
                } else {
                    "the deal has no contact, so it has"
                };
                return Err(StoreError::invalid("to", format!("{whose} no email address")));
            }
        };
        let rendered = render_email(&subject_template, &body_template, &subject.values, locale);
        let email = QueuedEmail {
            id,
            workspace_id: viewer.workspace_id,
            to,
            rendered,
            locale,
            deal_id: subject.deal_id,
            contact_id: subject.contact_id,
            lead_id: subject.lead_id,
            template_id,
            created_by: Some(viewer.user_id.as_uuid()),
            attachment_id: None,
        };
        let row = queue_email(&mut work, email).await?;
        work.commit().await?;
        Ok(email_response(&row))
    }

    /// The email log, newest first, a page at a time.
    pub async fn emails(
        &self,
        workspace_id: WorkspaceId,
        filter: EmailFilter,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<EmailResponse>> {
        let limit = pagination::clamp_limit(limit);
        let mut query = emails::Entity::find().filter(emails::Column::WorkspaceId.eq(workspace_id.as_uuid()));
        if let Some(status) = filter.status {
            query = query.filter(emails::Column::Status.eq(status.as_str()));
        }
        if let Some(deal_id) = filter.deal_id {
            query = query.filter(emails::Column::DealId.eq(deal_id));
        }
        if let Some(contact_id) = filter.contact_id {
            query = query.filter(emails::Column::ContactId.eq(contact_id));
        }
        if let Some(lead_id) = filter.lead_id {
            query = query.filter(emails::Column::LeadId.eq(lead_id));
        }
        if let Some(cursor) = cursor {
            let (_, after) = pagination::decode(cursor, LOG_SORT)?;
            query = query.filter(emails::Column::Id.lt(after));
        }
        let rows = query.order_by_desc(emails::Column::Id).limit(limit + 1).all(&self.db).await?;
        let items: Vec<EmailResponse> = rows.iter().map(email_response).collect();
        Ok(Page::of(items, limit, |last| pagination::encode(LOG_SORT, serde_json::Value::Null, last.id)))
    }

    /// Whether the workspace holds an email with this id.
    pub(crate) async fn email_exists(&self, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<bool> {
        let found = emails::Entity::find_by_id(id).filter(emails::Column::WorkspaceId.eq(workspace_id.as_uuid())).one(&self.db).await?;
        Ok(found.is_some())
    }

    pub async fn email(&self, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<EmailResponse> {
        emails::Entity::find_by_id(id)
            .filter(emails::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(&self.db)
            .await?
            .map(|row| email_response(&row))
            .ok_or(StoreError::NotFound("email"))
    }

    /// Claims up to `batch` due emails for one attempt each, leased until `now + lease`: queued
    /// ones whose time has come, and `sending` ones whose lease ran out (their sender died). An
    /// email without a `message_id` gets `<id@message_domain>` here, before any attempt.
    pub async fn claim_emails(&self, batch: u64, lease: Duration, message_domain: &str) -> StoreResult<Vec<ClaimedEmail>> {
        let backend = self.backend();
        let now = self.now();
        let lock = if backend == DatabaseBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let sql = format!(
            "SELECT id FROM emails WHERE status IN ('queued', 'sending') AND next_attempt_at <= ? \
             AND (locked_until IS NULL OR locked_until < ?) ORDER BY next_attempt_at, id LIMIT ?{lock}"
        );
        let work = self.begin().await?;
        let batch = i64::try_from(batch).unwrap_or(i64::MAX);
        let rows = work.conn().query_all_raw(statement(backend, &sql, vec![now.into(), now.into(), batch.into()])).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.try_get::<Uuid>("", "id")).collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        emails::Entity::update_many()
            .col_expr(emails::Column::LockedUntil, Expr::value(now + lease))
            .col_expr(emails::Column::Status, Expr::value(EmailStatus::Sending.as_str()))
            .filter(emails::Column::Id.is_in(ids.clone()))
            .exec(work.conn())
            .await?;
        let mut claimed = Vec::with_capacity(ids.len());
        let rows = emails::Entity::find().filter(emails::Column::Id.is_in(ids)).order_by_asc(emails::Column::Id).all(work.conn()).await?;
        for row in rows {
            let message_id = match row.message_id {
                Some(id) => id,
                None => {
                    let id = format!("<{}@{message_domain}>", row.id);
                    emails::Entity::update_many()
                        .col_expr(emails::Column::MessageId, Expr::value(id.clone()))
                        .filter(emails::Column::Id.eq(row.id))
                        .exec(work.conn())
                        .await?;
                    id
                }
            };
            let attachment = match row.attachment_id {
                Some(id) => file_of(work.conn(), row.workspace_id, id).await?,
                None => None,
            };
            claimed.push(ClaimedEmail {
                attachment,
                id: row.id,
                workspace_id: row.workspace_id,
                to: row.to_address,
                subject: row.subject,
                text_body: row.text_body,
                html_body: row.html_body,
                message_id,
                attempts: row.attempts,
            });
        }
        work.commit_bookkeeping().await?;
        Ok(claimed)
    }

    /// Records an attempt and its consequence, releasing the lease: sent, due again at a later
    /// time, failed for good, or not sent (no SMTP server). A final outcome is audited and
    /// announced (`email.sent`, or `email.failed` for a failure or an email not sent). An
    /// attempt whose lease was lost meanwhile (another sender claimed the email) records nothing.
    pub async fn record_email_attempt(&self, email: &ClaimedEmail, outcome: EmailOutcome) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let now = work.now();
        let Some(current) = emails::Entity::find_by_id(email.id)
            .filter(emails::Column::Status.eq(EmailStatus::Sending.as_str()))
            .filter(emails::Column::Attempts.eq(email.attempts))
            .one(work.conn())
            .await?
        else {
            return Ok(());
        };
        let mut after = current.clone();
        after.locked_until = None;
        after.updated_at = now;
        let (action, event): (Option<&'static str>, Option<Announce>) = match &outcome {
            EmailOutcome::Sent => {
                after.attempts += 1;
                after.last_attempt_at = Some(now);
                after.last_error = None;
                after.status = EmailStatus::Sent.as_str().to_owned();
                after.sent_at = Some(now);
                (Some("email.sent"), Some(Event::EmailSent))
            }
            EmailOutcome::RetryAt { at, error } => {
                after.attempts += 1;
                after.last_attempt_at = Some(now);
                after.last_error = Some(error.clone());
                after.status = EmailStatus::Queued.as_str().to_owned();
                after.next_attempt_at = *at;
                (None, None)
            }
            EmailOutcome::Failed { error } => {
                after.attempts += 1;
                after.last_attempt_at = Some(now);
                after.last_error = Some(error.clone());
                after.status = EmailStatus::Failed.as_str().to_owned();
                (Some("email.failed"), Some(Event::EmailFailed))
            }
            EmailOutcome::NotSent => {
                after.last_error = Some(SMTP_NOT_CONFIGURED.to_owned());
                after.status = EmailStatus::NotSent.as_str().to_owned();
                (Some("email.not_sent"), Some(Event::EmailFailed))
            }
        };
        let written = emails::Entity::update(emails::ActiveModel::from(after.clone()).reset_all()).exec(work.conn()).await?;
        if let Some(action) = action {
            let changes = json!({
                "status": [current.status, written.status],
                "attempts": written.attempts,
                "last_error": written.last_error,
                "message_id": written.message_id,
            });
            work.audit(WorkspaceId::from(written.workspace_id), action, Some(written.id), changes).await?;
        }
        if let Some(event) = event {
            let about = Aggregate { workspace_id: WorkspaceId::from(written.workspace_id), kind: "email", id: written.id };
            work.emit(about, &event(EmailEventData { email: email_response(&written) })).await?;
        }
        work.commit().await
    }

    /// Gives back leases of emails claimed but not attempted (graceful shutdown).
    pub async fn release_emails(&self, ids: &[Uuid]) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        emails::Entity::update_many()
            .col_expr(emails::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(emails::Column::Status, Expr::value(EmailStatus::Queued.as_str()))
            .filter(
                Condition::all().add(emails::Column::Id.is_in(ids.to_vec())).add(emails::Column::Status.eq(EmailStatus::Sending.as_str())),
            )
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// A kept file's name, type and bytes, for an email that carries it; `None` once it is gone.
pub(crate) async fn file_of<C: sea_orm::ConnectionTrait>(conn: &C, workspace_id: Uuid, id: Uuid) -> StoreResult<Option<EmailFile>> {
    let Some(row) = crate::entities::attachments::Entity::find_by_id(id)
        .filter(crate::entities::attachments::Column::WorkspaceId.eq(workspace_id))
        .filter(crate::entities::attachments::Column::Status.eq("ready") /* attachments::READY: that module reads emails */)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let chunks = crate::entities::attachment_chunks::Entity::find()
        .filter(crate::entities::attachment_chunks::Column::AttachmentId.eq(id))
        .order_by_asc(crate::entities::attachment_chunks::Column::Seq)
        .all(conn)
        .await?;
    Ok(Some(EmailFile {
        file_name: row.file_name,
        media_type: row.media_type,
        bytes: chunks.into_iter().flat_map(|chunk| chunk.data).collect(),
    }))
}
