//! The route table: every handler is registered here, once, which also puts it in the OpenAPI
//! document (utoipa-actix-web collects paths from these same `service` calls).

pub mod activities;
pub mod api_keys;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod automations;
pub mod bulk;
pub mod calendar;
pub mod contact_csv;
pub mod contacts;
pub mod custom_fields;
pub mod customers;
pub mod deals;
pub mod document_pdfs;
pub mod document_settings;
pub mod emails;
pub mod exchange_rates;
pub mod intake;
pub mod invoices;
pub mod lead_csv;
pub mod leads;
pub mod lost_reasons;
pub mod notifications;
pub mod opportunities;
pub mod organizations;
pub mod pipelines;
pub mod privacy;
pub mod probes;
pub mod product_csv;
pub mod products;
pub mod quotes;
pub mod reports;
pub mod scoring;
pub mod search;
pub mod stream;
pub mod tags;
pub mod task_templates;
pub mod users;
pub mod views;
pub mod webhooks;
pub mod workspace;

use actix_web::web;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every route: the probes at the root and the API under `/api/v1`. Routes are matched
/// in order (a regex per route with a path parameter), so the busiest, the deals, come first.
pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(probes::healthz).service(probes::readyz).service(probes::metrics);
    cfg.service(
        scope::scope("/api/v1")
            .service(search::search)
            .service(tags::list_tags)
            .service(stream::create_stream_ticket)
            .service(stream::event_stream)
            .service(deals::list_deals)
            .service(bulk::bulk_deals)
            .service(deals::create_deal)
            .service(deals::get_deal)
            .service(deals::update_deal)
            .service(deals::delete_deal)
            .service(deals::move_deal)
            .service(deals::win_deal)
            .service(deals::lose_deal)
            .service(deals::reopen_deal)
            .service(deals::deal_history)
            .service(products::get_line_items)
            .service(products::put_line_items)
            .service(quotes::create_quote)
            .service(invoices::create_deal_invoice)
            .service(quotes::list_quotes)
            .service(quotes::get_quote)
            .service(document_pdfs::quote_pdf)
            .service(quotes::revise_quote)
            .service(quotes::send_quote)
            .service(quotes::accept_quote)
            .service(quotes::reject_quote)
            .service(quotes::invoice_quote)
            .service(invoices::list_invoices)
            .service(invoices::get_invoice)
            .service(document_pdfs::invoice_pdf)
            .service(invoices::issue_invoice)
            .service(invoices::void_invoice)
            .service(invoices::delete_invoice)
            .service(invoices::record_payment)
            .service(leads::list_leads)
            .service(bulk::bulk_leads)
            .service(leads::create_lead)
            .service(leads::check_duplicates)
            .service(lead_csv::import_leads)
            .service(lead_csv::export_leads)
            .service(leads::get_lead)
            .service(leads::update_lead)
            .service(leads::delete_lead)
            .service(leads::disqualify_lead)
            .service(leads::reopen_lead)
            .service(leads::qualify_lead)
            .service(leads::lead_score)
            .service(leads::lead_duplicates)
            .service(leads::merge_leads)
            .service(privacy::export_lead)
            .service(privacy::erase_lead)
            .service(intake::intake_lead)
            .route("/intake/leads", actix_web::web::route().method(actix_web::http::Method::OPTIONS).to(crate::cors::intake_preflight))
            .service(scoring::list_scoring_rules)
            .service(scoring::replace_scoring_rules)
            .service(scoring::preview_scoring_rules)
            .service(opportunities::list_opportunities)
            .service(opportunities::get_opportunity)
            .service(opportunities::open_opportunity_deal)
            .service(api_keys::list_api_keys)
            .service(api_keys::create_api_key)
            .service(api_keys::revoke_api_key)
            .service(custom_fields::list_custom_fields)
            .service(custom_fields::create_custom_field)
            .service(custom_fields::update_custom_field)
            .service(custom_fields::delete_custom_field)
            .service(lost_reasons::list_lost_reasons)
            .service(lost_reasons::create_lost_reason)
            .service(lost_reasons::get_lost_reason)
            .service(lost_reasons::update_lost_reason)
            .service(lost_reasons::delete_lost_reason)
            .service(products::list_products)
            .service(product_csv::import_products)
            .service(product_csv::export_products)
            .service(products::create_product)
            .service(products::get_product)
            .service(products::update_product)
            .service(products::delete_product)
            .service(auth::signup)
            .service(auth::login)
            .service(auth::refresh)
            .service(auth::logout)
            .service(auth::me)
            .service(auth::update_me)
            .service(notifications::list_notifications)
            .service(notifications::read_all_notifications)
            .service(notifications::read_notification)
            .service(notifications::get_notification_preferences)
            .service(notifications::put_notification_preferences)
            .service(calendar::get_calendar_feed)
            .service(calendar::rotate_calendar_feed)
            .service(calendar::revoke_calendar_feed)
            .service(calendar::calendar_ics)
            .service(auth::change_password)
            .service(auth::users)
            .service(users::create_user)
            .service(users::update_user)
            .service(users::deactivate_user)
            .service(workspace::get_workspace)
            .service(workspace::update_workspace)
            .service(document_settings::get_document_settings)
            .service(document_settings::update_document_settings)
            .service(document_settings::get_document_logo)
            .service(document_settings::put_document_logo)
            .service(document_settings::delete_document_logo)
            .service(pipelines::list_pipelines)
            .service(pipelines::create_pipeline)
            .service(pipelines::get_pipeline)
            .service(pipelines::update_pipeline)
            .service(pipelines::delete_pipeline)
            .service(pipelines::create_stage)
            .service(pipelines::update_stage)
            .service(pipelines::delete_stage)
            .service(pipelines::board)
            .service(task_templates::list_task_templates)
            .service(task_templates::create_task_template)
            .service(task_templates::update_task_template)
            .service(task_templates::delete_task_template)
            .service(activities::list_activities)
            .service(activities::create_activity)
            .service(activities::get_activity)
            .service(activities::update_activity)
            .service(activities::delete_activity)
            .service(activities::complete_activity)
            .service(activities::reopen_activity)
            .service(activities::my_agenda)
            .service(attachments::upload_attachment)
            .service(attachments::list_attachments)
            .service(attachments::get_attachment)
            .service(attachments::attachment_content)
            .service(attachments::delete_attachment)
            .service(webhooks::list_webhooks)
            .service(webhooks::create_webhook)
            .service(webhooks::redeliver)
            .service(webhooks::get_webhook)
            .service(webhooks::update_webhook)
            .service(webhooks::delete_webhook)
            .service(webhooks::rotate_secret)
            .service(webhooks::test_webhook)
            .service(webhooks::list_deliveries)
            .service(contacts::list_contacts)
            .service(bulk::bulk_contacts)
            .service(contacts::create_contact)
            // Before `/contacts/{id}`, which would otherwise take `upcoming-dates` for an id.
            .service(contacts::upcoming_dates)
            .service(contact_csv::import_contacts)
            .service(contact_csv::export_contacts)
            .service(customers::contact_timeline)
            .service(customers::contact_summary)
            .service(customers::organization_timeline)
            .service(customers::organization_summary)
            .service(privacy::export_contact)
            .service(privacy::erase_contact)
            .service(contacts::get_contact)
            .service(contacts::update_contact)
            .service(contacts::delete_contact)
            .service(organizations::list_organizations)
            .service(organizations::create_organization)
            .service(contact_csv::import_organizations)
            .service(contact_csv::export_organizations)
            .service(organizations::get_organization)
            .service(organizations::update_organization)
            .service(organizations::delete_organization)
            .service(reports::win_rate)
            .service(reports::stage_conversion)
            .service(reports::funnel)
            .service(reports::forecast)
            .service(reports::revenue)
            .service(reports::rfm)
            .service(reports::lost_reasons)
            .service(reports::leaderboard)
            .service(reports::rotting)
            .service(reports::cohorts)
            .service(exchange_rates::list_exchange_rates)
            .service(exchange_rates::put_exchange_rate)
            .service(exchange_rates::delete_exchange_rate)
            .service(views::list_views)
            .service(views::create_view)
            .service(views::get_view)
            .service(views::update_view)
            .service(views::delete_view)
            .service(views::export_view_contacts)
            .service(automations::list_automations)
            .service(automations::create_automation)
            .service(automations::get_automation)
            .service(automations::update_automation)
            .service(automations::delete_automation)
            .service(automations::list_automation_runs)
            .service(automations::test_automation)
            .service(audit::list_audit_entries)
            .service(emails::list_emails)
            .service(emails::get_email)
            .service(emails::send_to_contact)
            .service(emails::send_to_deal)
            .service(emails::list_email_templates)
            .service(emails::create_email_template)
            .service(emails::get_email_template)
            .service(emails::update_email_template)
            .service(emails::delete_email_template)
            .service(emails::preview_email_template)
            .default_service(web::to(probes::unknown_route)),
    );
}
