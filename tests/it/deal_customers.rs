//! Deals are with a person and a company: linked on create and update, filtered by either,
//! named on the board, filled by qualification, and cleared when the person or company goes.

use serde_json::{Value, json};

use crate::helpers::{Engine, TestApp, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    deals_link_people_and_companies_and_are_listed_by_them,
    a_link_to_another_workspaces_record_is_refused_like_a_missing_one,
    deleting_a_person_or_company_clears_their_deals_links,
    qualification_links_the_deal_and_the_migration_fills_older_ones,
);

async fn organization(app: &TestApp, token: &str, name: &str) -> Value {
    app.post("/api/v1/organizations").token(token).json(json!({"name": name})).send().await.ok(201).clone()
}

async fn contact(app: &TestApp, token: &str, name: &str, organization: Option<&Value>) -> Value {
    let body = json!({"name": name, "organization_id": organization.map(id)});
    app.post("/api/v1/contacts").token(token).json(body).send().await.ok(201).clone()
}

async fn deals_link_people_and_companies_and_are_listed_by_them(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let pars = organization(&app, t, "Pars Logistics").await;
    let other = organization(&app, t, "Tehran Foods").await;
    let sara = contact(&app, t, "Sara Ahmadi", Some(&pars)).await;

    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "contact_id": id(&sara)})).await;
    assert_eq!((deal["contact_id"].as_str(), deal["organization_id"].as_str()), (Some(id(&sara).as_str()), Some(id(&pars).as_str())));
    let elsewhere = app
        .create_deal(
            &admin,
            json!({"title": "Catering", "pipeline_id": id(&pipeline), "contact_id": id(&sara), "organization_id": id(&other)}),
        )
        .await;
    assert_eq!(elsewhere["organization_id"], other["id"], "a company named wins over the person's");
    app.create_deal(&admin, json!({"title": "Alone", "pipeline_id": id(&pipeline)})).await;

    let listed = |query: String| {
        let app = &app;
        async move {
            let page = app.get(&format!("/api/v1/deals?{query}")).token(t).send().await.ok(200).clone();
            let mut titles: Vec<String> =
                page["data"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap().to_owned()).collect();
            titles.sort();
            titles
        }
    };
    assert_eq!(listed(format!("contact_id={}", id(&sara))).await, ["Catering", "Fleet"]);
    assert_eq!(listed(format!("organization_id={}", id(&pars))).await, ["Fleet"]);

    let board = app.get(&format!("/api/v1/pipelines/{}/board", id(&pipeline))).token(t).send().await.ok(200).clone();
    assert_eq!(board["contacts"], json!([{"id": id(&sara), "name": "Sara Ahmadi"}]));
    let mut companies: Vec<&str> = board["organizations"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    companies.sort();
    assert_eq!(companies, ["Pars Logistics", "Tehran Foods"]);

    // The event carries the links, as the deal does.
    let created = app.event_payload(&id(&deal), "deal.created").await;
    assert_eq!(created["deal"]["contact_id"], sara["id"]);
    assert_eq!(created["deal"]["organization_id"], pars["id"]);

    let path = format!("/api/v1/deals/{}", id(&deal));
    let unlinked = app.patch(&path).token(t).if_match(1).json(json!({"contact_id": null})).send().await.ok(200).clone();
    assert_eq!(
        (unlinked["contact_id"].clone(), unlinked["organization_id"].clone()),
        (Value::Null, pars["id"].clone()),
        "the company stays"
    );
    let relinked = app.patch(&path).token(t).if_match(2).json(json!({"contact_id": id(&sara), "organization_id": null})).send().await;
    let relinked = relinked.ok(200).clone();
    assert_eq!((relinked["contact_id"].clone(), relinked["organization_id"].clone()), (sara["id"].clone(), Value::Null));
    let updated = app.event_payload(&id(&deal), "deal.updated").await;
    assert_eq!(updated["changes"][0]["field"], "contact_id");
}

async fn a_link_to_another_workspaces_record_is_refused_like_a_missing_one(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let rival = app.signup("Rival", "owner@rival.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let theirs = contact(&app, &rival.token, "Their customer", None).await;
    let their_company = organization(&app, &rival.token, "Their company").await;
    let missing = uuid::Uuid::now_v7().to_string();
    for (field, foreign) in [("contact_id", id(&theirs)), ("organization_id", id(&their_company))] {
        let mut answers = Vec::new();
        for target in [&foreign, &missing] {
            let body = json!({"title": "Poach", "pipeline_id": id(&pipeline), field: target});
            let reply = app.post("/api/v1/deals").token(&admin.token).json(body).send().await;
            assert_eq!(reply.error_fields(), [field]);
            answers.push(reply.body["errors"].clone());
        }
        assert_eq!(answers[0], answers[1], "another workspace's {field} reads exactly like a missing one");
    }
    let deal = app.create_deal(&admin, json!({"title": "Mine", "pipeline_id": id(&pipeline)})).await;
    let path = format!("/api/v1/deals/{}", id(&deal));
    let reply = app.patch(&path).token(&admin.token).if_match(1).json(json!({"contact_id": id(&theirs)})).send().await;
    assert_eq!(reply.error_fields(), ["contact_id"]);
    assert_eq!(app.deal(&admin, &id(&deal)).await["version"], 1, "nothing changed");
}

async fn deleting_a_person_or_company_clears_their_deals_links(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let pars = organization(&app, t, "Pars Logistics").await;
    let sara = contact(&app, t, "Sara Ahmadi", Some(&pars)).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline), "contact_id": id(&sara)})).await;
    app.move_deal(&admin, &deal, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);

    app.delete(&format!("/api/v1/contacts/{}", id(&sara))).token(t).send().await.ok(204);
    let after = app.deal(&admin, &id(&deal)).await;
    assert_eq!((after["contact_id"].clone(), after["organization_id"].clone()), (Value::Null, pars["id"].clone()));
    assert_eq!(after["version"], 3, "the cleared link is a change of the deal");
    app.delete(&format!("/api/v1/organizations/{}", id(&pars))).token(t).if_match(1).send().await.ok(204);
    let after = app.deal(&admin, &id(&deal)).await;
    assert_eq!((after["organization_id"].clone(), after["version"].clone()), (Value::Null, json!(4)));
    let history = app.get(&format!("/api/v1/deals/{}/history", id(&deal))).token(t).send().await.ok(200).clone();
    assert_eq!(history["data"].as_array().unwrap().len(), 2, "the history is intact");
}

async fn qualification_links_the_deal_and_the_migration_fills_older_ones(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let t = admin.token.as_str();
    let pipeline = app.sales_pipeline(&admin).await;
    let lead = app.post("/api/v1/leads").token(t).json(json!({"name": "Sara Ahmadi", "company": "Pars Logistics"})).send().await;
    let lead = lead.ok(201).clone();
    let qualified =
        app.post(&format!("/api/v1/leads/{}/qualify", id(&lead))).token(t).json(json!({"pipeline_id": id(&pipeline)})).send().await;
    let qualified = qualified.ok(201).clone();
    let deal = &qualified["deal"];
    assert_eq!(deal["contact_id"], qualified["opportunity"]["contact_id"]);
    assert_eq!(deal["organization_id"], qualified["opportunity"]["organization_id"]);
    assert!(deal["contact_id"].is_string() && deal["organization_id"].is_string());

    // Deals qualified before the links existed: the migration fills them from the opportunity.
    for (index, column) in [("ix_deals_contact", "contact_id"), ("ix_deals_organization", "organization_id")] {
        app.execute(&format!("DROP INDEX {index}"), vec![]).await;
        app.execute(&format!("ALTER TABLE deals DROP COLUMN {column}"), vec![]).await;
    }
    app.execute("DELETE FROM seaql_migrations WHERE version = ?", vec!["m20261205_000016_deal_customers".into()]).await;
    app.store.migrate().await.unwrap();
    let filled = app.deal(&admin, &id(deal)).await;
    assert_eq!(
        (filled["contact_id"].clone(), filled["organization_id"].clone()),
        (deal["contact_id"].clone(), deal["organization_id"].clone())
    );
}
