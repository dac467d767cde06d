//! The revenue and RFM reports: invoiced and paid per Jalali or Gregorian month, a void invoice
//! left out, the viewer's visibility; customers scored by recency, frequency and monetary value
//! from paid invoices or won deals, with segments, lifetime value and churn risk.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use kariz_domain::YearMonth;
use kariz_domain::dates::Calendar;
use serde_json::{Value, json};

use crate::helpers::{Engine, PASSWORD, Session, TestApp, id, session, spawn_app};
use crate::on_both_engines;

on_both_engines!(revenue_is_invoiced_and_paid_per_month_of_the_calendar, customers_are_scored_by_recency_frequency_and_value);

/// A deal of `customer` (an organization) worth `price` IRR through one line, with VAT none.
async fn deal_for(app: &TestApp, session: &Session, pipeline: &Value, customer: &str, price: i64) -> Value {
    let t = session.token.as_str();
    let deal = app.create_deal(session, json!({"title": "Order", "pipeline_id": id(pipeline), "organization_id": customer})).await;
    let lines = json!({"items": [{"name": "Service", "quantity": "1", "unit_price_minor": price}]});
    app.put(&format!("/api/v1/deals/{}/line-items", id(&deal))).token(t).if_match(1).json(lines).send().await.ok(200);
    deal
}

/// An issued invoice of the deal, paid with `paid` (nothing when 0).
async fn billed(app: &TestApp, session: &Session, deal: &Value, paid: i64) -> Value {
    let t = session.token.as_str();
    let draft = app.post(&format!("/api/v1/deals/{}/invoices", id(deal))).token(t).send().await.ok(201).clone();
    let invoice = app.post(&format!("/api/v1/invoices/{}/issue", id(&draft))).token(t).send().await.ok(200).clone();
    if paid > 0 {
        let body = json!({"amount_minor": paid, "method": "bank_transfer"});
        app.post(&format!("/api/v1/invoices/{}/payments", id(&invoice))).token(t).json(body).send().await.ok(201);
    }
    invoice
}

async fn organization(app: &TestApp, session: &Session, name: &str) -> String {
    id(app.post("/api/v1/organizations").token(&session.token).json(json!({"name": name})).send().await.ok(201))
}

/// Moves the clock `days` on and signs in again (the access token expires meanwhile).
async fn days_later(app: &TestApp, email: &str, days: i64) -> Session {
    app.clock.advance(chrono::Duration::days(days));
    session(app.login(email, PASSWORD).await.ok(200))
}

fn day(value: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(value.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

fn irr(figure: &Value) -> i64 {
    figure["by_currency"].as_array().unwrap().iter().find(|a| a["currency"] == "IRR").map_or(0, |a| a["amount_minor"].as_i64().unwrap())
}

async fn revenue_is_invoiced_and_paid_per_month_of_the_calendar(engine: Engine) {
    let app = spawn_app(engine).await;
    let email = "owner@acme.test";
    let admin = app.signup("Acme", email).await;
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"calendar": "jalali"})).send().await.ok(200);
    let pipeline = app.sales_pipeline(&admin).await;
    let customer = organization(&app, &admin, "Pars").await;

    let first = billed(&app, &admin, &deal_for(&app, &admin, &pipeline, &customer, 1_000_000).await, 400_000).await;
    billed(&app, &admin, &deal_for(&app, &admin, &pipeline, &customer, 2_000_000).await, 0).await;
    let voided = billed(&app, &admin, &deal_for(&app, &admin, &pipeline, &customer, 9_000_000).await, 0).await;
    app.post(&format!("/api/v1/invoices/{}/void", id(&voided))).token(&admin.token).send().await.ok(200);
    let admin = days_later(&app, email, 40).await;
    let second = billed(&app, &admin, &deal_for(&app, &admin, &pipeline, &customer, 3_000_000).await, 3_000_000).await;

    let report = app.get("/api/v1/reports/revenue").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(report["calendar"], "jalali");
    let month = |invoice: &Value| YearMonth::on(Calendar::Jalali, day(&invoice["issued_on"])).to_string();
    let periods = report["periods"].as_array().unwrap();
    let names: Vec<&str> = periods.iter().map(|p| p["period"].as_str().unwrap()).collect();
    assert_eq!(names, [month(&first), month(&second)], "Jalali months, the void invoice's left out");
    assert_eq!((periods[0]["invoices"].as_i64(), irr(&periods[0]["invoiced"]), irr(&periods[0]["paid"])), (Some(2), 3_000_000, 400_000));
    assert_eq!((periods[1]["invoices"].as_i64(), irr(&periods[1]["invoiced"]), irr(&periods[1]["paid"])), (Some(1), 3_000_000, 3_000_000));
    assert_eq!((report["invoices"].as_i64(), irr(&report["invoiced"]), irr(&report["paid"])), (Some(3), 6_000_000, 3_400_000));

    // By year of the Gregorian calendar when asked; a period narrows by issue and payment day.
    let yearly = app.get("/api/v1/reports/revenue?calendar=gregorian&interval=year").token(&admin.token).send().await.ok(200).clone();
    let years: BTreeSet<String> = [&first, &second].iter().map(|i| day(&i["issued_on"]).format("%Y").to_string()).collect();
    assert_eq!(yearly["periods"].as_array().unwrap().len(), years.len());
    assert_eq!(irr(&yearly["invoiced"]), 6_000_000);
    let to = first["issued_on"].as_str().unwrap();
    let early = app.get(&format!("/api/v1/reports/revenue?to={to}")).token(&admin.token).send().await.ok(200).clone();
    assert_eq!((irr(&early["invoiced"]), irr(&early["paid"])), (3_000_000, 400_000));

    // A member who sees only their own deals sees none of the admin's revenue.
    let rep = app.add_member(&admin, "rep@acme.test", "member").await;
    let only_owners = json!({"deal_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(only_owners).send().await.ok(200);
    let theirs = app.get("/api/v1/reports/revenue").token(&rep.token).send().await.ok(200).clone();
    assert_eq!((theirs["invoices"].as_i64(), theirs["periods"].as_array().unwrap().len()), (Some(0), 0));
}

async fn customers_are_scored_by_recency_frequency_and_value(engine: Engine) {
    let app = spawn_app(engine).await;
    let email = "owner@acme.test";
    let mut admin = app.signup("Acme", email).await;
    let pipeline = app.sales_pipeline(&admin).await;
    let (loyal, lapsed, fresh) = (
        organization(&app, &admin, "Loyal Co").await,
        organization(&app, &admin, "Lapsed Co").await,
        organization(&app, &admin, "Fresh Co").await,
    );

    // Lapsed buys on days 0 and 10; Loyal on days 0, 40, 70 and 100; Fresh once, on day 100.
    for (customer, price) in [(&lapsed, 5_000_000), (&loyal, 1_000_000)] {
        billed(&app, &admin, &deal_for(&app, &admin, &pipeline, customer, price).await, price).await;
    }
    admin = days_later(&app, email, 10).await;
    billed(&app, &admin, &deal_for(&app, &admin, &pipeline, &lapsed, 5_000_000).await, 5_000_000).await;
    for _ in 0..3 {
        admin = days_later(&app, email, 30).await;
        billed(&app, &admin, &deal_for(&app, &admin, &pipeline, &loyal, 1_000_000).await, 1_000_000).await;
    }
    billed(&app, &admin, &deal_for(&app, &admin, &pipeline, &fresh, 2_000_000).await, 2_000_000).await;
    // Issued but unpaid: no purchase yet.
    billed(&app, &admin, &deal_for(&app, &admin, &pipeline, &fresh, 7_000_000).await, 0).await;

    let report = app.get("/api/v1/reports/rfm").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(report["total_customers"], 3);
    let customer = |name: &str| report["customers"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone();
    let (l, x, f) = (customer("Loyal Co"), customer("Lapsed Co"), customer("Fresh Co"));
    assert_eq!(
        (l["frequency"].as_i64(), l["monetary_minor"].as_i64(), l["usual_interval_days"].as_i64()),
        (Some(4), Some(4_000_000), Some(33))
    );
    assert_eq!((x["frequency"].as_i64(), x["monetary_minor"].as_i64(), x["recency_days"].as_i64()), (Some(2), Some(10_000_000), Some(90)));
    assert_eq!((f["frequency"].as_i64(), f["monetary_minor"].as_i64(), f["recency_days"].as_i64()), (Some(1), Some(2_000_000), Some(0)));
    let scores =
        |c: &Value| [c["recency_score"].as_i64().unwrap(), c["frequency_score"].as_i64().unwrap(), c["monetary_score"].as_i64().unwrap()];
    assert_eq!(scores(&l), [5, 5, 4]);
    assert_eq!(scores(&x), [2, 4, 5]);
    assert_eq!(scores(&f), [5, 2, 2]);
    assert_eq!((l["segment"].as_str(), x["segment"].as_str(), f["segment"].as_str()), (Some("champions"), Some("at_risk"), Some("new")));
    // Lapsed bought 10 days apart and has been silent for 90: at risk of churning; Loyal is not.
    assert_eq!((x["churn_risk"].as_bool(), l["churn_risk"].as_bool(), f["churn_risk"].as_bool()), (Some(true), Some(false), Some(false)));
    assert_eq!(report["customers"][0]["name"], "Loyal Co", "the best first");
    let counted: i64 = report["segments"].as_array().unwrap().iter().map(|s| s["customers"].as_i64().unwrap()).sum();
    assert_eq!(counted, 3);

    // The customer's page: what they paid over their lifetime, how often they buy, the risk.
    let page = |id: &str| app.get(&format!("/api/v1/organizations/{id}/summary")).token(&admin.token).send();
    let summary = page(&loyal).await.ok(200).clone();
    assert_eq!(summary["lifetime_value"], json!([{"currency": "IRR", "amount_minor": 4_000_000}]));
    assert_eq!(
        (summary["purchases"].as_i64(), summary["usual_interval_days"].as_i64(), summary["churn_risk"].as_bool()),
        (Some(4), Some(33), Some(false))
    );
    let summary = page(&lapsed).await.ok(200).clone();
    assert_eq!((summary["purchases"].as_i64(), summary["churn_risk"].as_bool()), (Some(2), Some(true)));
    // Fresh paid one invoice and owes another: paid counts, the unpaid one is no purchase.
    let summary = page(&fresh).await.ok(200).clone();
    assert_eq!((summary["lifetime_value"][0]["amount_minor"].as_i64(), summary["purchases"].as_i64()), (Some(2_000_000), Some(1)));
    assert_eq!(summary["usual_interval_days"], Value::Null);

    // From won deals instead: nothing is won yet.
    let won = app.get("/api/v1/reports/rfm?source=won_deals").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(won["total_customers"], 0);
    app.get("/api/v1/reports/rfm?limit=0").token(&admin.token).send().await.problem(400);
    // A period ending in the future counts recency to today: nobody who bought today is at risk.
    let this_year = app.get(&format!("/api/v1/reports/rfm?to={}", (chrono::Utc::now() + chrono::Duration::days(400)).format("%Y-%m-%d")));
    let this_year = this_year.token(&admin.token).send().await.ok(200).clone();
    let fresh_now = this_year["customers"].as_array().unwrap().iter().find(|c| c["name"] == "Fresh Co").unwrap().clone();
    assert_eq!((fresh_now["recency_days"].as_i64(), this_year["as_of"].as_str()), (Some(0), report["as_of"].as_str()));
    let top = app.get("/api/v1/reports/rfm?limit=1").token(&admin.token).send().await.ok(200).clone();
    assert_eq!((top["customers"].as_array().unwrap().len(), top["total_customers"].as_i64()), (1, Some(3)));
}
