//! The reports over a small fixture whose every timestamp is known: each expected figure is
//! worked out by hand below, with its arithmetic.
//!
//! The fixture (days count from 2026-03-01 00:00 UTC; "d5" is 2026-03-06):
//!
//! Pipeline "Sales": S0 Lead-in 10% (rots after 30 days), S1 Proposal 40% (rots after 10 days),
//! S2 Negotiation 70%, S3 Contract 90%. Alice is the admin, Bob a member.
//!
//! | deal | owner | amount          | created | stage visits (stage@day)   | end                 |
//! | ---- | ----- | --------------- | ------- | -------------------------- | ------------------- |
//! | D1   | alice | IRR 1,000,000   | d0      | S0@0 S1@2 S2@5             | won d10             |
//! | D2   | alice | IRR 2,000,000   | d0      | S0@0 S1@4                  | won d6              |
//! | D3   | alice | USD 50,000      | d1      | S0@1 S1@3 S3@8             | won d21             |
//! | D4   | bob   | USD 30,000      | d2      | S0@2 S1@5                  | lost d9 "Price"     |
//! | D5   | bob   | IRR 500,000     | d3      | S0@3                       | lost d4 "Price"     |
//! | D6   | bob   | IRR 4,000,000   | d3      | S0@3 S1@6 S2@7 S1@8        | won d12             |
//! | D7   | alice | EUR 20,000      | d5      | S0@5 S1@6                  | lost d15 "Timing"   |
//! | D8   | alice | IRR 3,000,000   | d10     | S0@10 S1@11                | open, own 25%, expected 2026-04-15 |
//! | D9   | bob   | USD 10,000      | d12     | S0@12                      | open, expected 2026-04-20 |
//! | D10  | alice | IRR 6,000,000   | d14     | S0@14 S2@15                | open, expected 2026-05-10 |
//!
//! Leads (all Alice's): L1 2026-01-10 qualified → D1; L2 2026-01-20 qualified → D4; L3
//! 2026-01-25 disqualified no_budget on 2026-01-28; L4 2026-02-03 qualified → D3 and D9; L5
//! 2026-02-14 qualified, no deal; L6 2026-03-02 qualified → D2; L7 2026-03-05 disqualified
//! no_need on 2026-03-06; L8 2026-03-08 still new; L9 2026-03-09 disqualified no_budget on
//! 2026-03-10.
//!
//! Activities: Alice 2026-02-20, 2026-03-02, 2026-03-09; Bob 2026-03-03.
//! Exchange rates (IRR per USD): 41000 on 2026-02-01, 42000 on 2026-03-10, 43000 on 2026-04-01;
//! none for EUR.

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::Value as Db;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, stage_id};
use crate::on_both_engines;
use crate::pipelines::add_member;

on_both_engines!(
    win_rate_counts_values_and_cycles,
    stage_conversion_follows_each_visit,
    stage_conversion_counts_the_same_visits_in_any_time_zone,
    funnel_and_cohorts_follow_leads_to_won_deals,
    forecast_weighs_open_deals_by_month,
    reports_group_by_jalali_months_on_the_jalali_calendar,
    lost_reasons_and_leaderboard,
    rotting_deals_page_longest_idle_first,
    exchange_rates_are_one_per_currency_and_day,
    report_periods_are_days_in_the_readers_time_zone,
);

/// The start of day `n` of the fixture.
fn day(n: u64) -> DateTime<Utc> {
    date("2026-03-01").checked_add_days(Days::new(n)).unwrap()
}

fn date(raw: &str) -> DateTime<Utc> {
    raw.parse::<NaiveDate>().unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc()
}

fn uuid(raw: &str) -> Uuid {
    raw.parse().unwrap()
}

enum End {
    Won(u64),
    Lost(u64, &'static str),
    Open,
}

struct Fixture {
    alice: Session,
    bob: Session,
    pipeline: Value,
    deals: Vec<String>,
}

impl Fixture {
    fn stage(&self, index: usize) -> String {
        stage_id(&self.pipeline, index)
    }

    fn pipeline_id(&self) -> String {
        id(&self.pipeline)
    }
}

async fn fixture(app: &TestApp) -> Fixture {
    let alice = app.signup("Acme", "alice@acme.test").await;
    let bob = add_member(app, &alice.workspace_id, "bob@acme.test").await;
    let pipeline = app.create_pipeline(&alice, "Sales", &[("Lead-in", 10), ("Proposal", 40), ("Negotiation", 70), ("Contract", 90)]).await;
    for (stage, days) in [(0, 30), (1, 10)] {
        let path = format!("/api/v1/stages/{}", stage_id(&pipeline, stage));
        app.patch(&path).token(&alice.token).json(json!({"rotting_days": days})).send().await.ok(200);
    }
    let mut fixture = Fixture { alice, bob, pipeline, deals: Vec::new() };

    type Spec = (bool, &'static str, i64, u64, &'static [(usize, u64)], End, Value);
    let specs: [Spec; 10] = [
        (false, "IRR", 1_000_000, 0, &[(0, 0), (1, 2), (2, 5)], End::Won(10), json!({})),
        (false, "IRR", 2_000_000, 0, &[(0, 0), (1, 4)], End::Won(6), json!({})),
        (false, "USD", 50_000, 1, &[(0, 1), (1, 3), (3, 8)], End::Won(21), json!({})),
        (true, "USD", 30_000, 2, &[(0, 2), (1, 5)], End::Lost(9, "Price"), json!({})),
        (true, "IRR", 500_000, 3, &[(0, 3)], End::Lost(4, "Price"), json!({})),
        (true, "IRR", 4_000_000, 3, &[(0, 3), (1, 6), (2, 7), (1, 8)], End::Won(12), json!({})),
        (false, "EUR", 20_000, 5, &[(0, 5), (1, 6)], End::Lost(15, "Timing"), json!({})),
        (false, "IRR", 3_000_000, 10, &[(0, 10), (1, 11)], End::Open, json!({"probability": 25, "expected_close_date": "2026-04-15"})),
        (true, "USD", 10_000, 12, &[(0, 12)], End::Open, json!({"expected_close_date": "2026-04-20"})),
        (false, "IRR", 6_000_000, 14, &[(0, 14), (2, 15)], End::Open, json!({"expected_close_date": "2026-05-10"})),
    ];
    for (n, (bobs, currency, amount, created, visits, end, extra)) in specs.into_iter().enumerate() {
        let owner = if bobs { &fixture.bob } else { &fixture.alice };
        let mut body = json!({"title": format!("D{}", n + 1), "pipeline_id": fixture.pipeline_id(), "amount_minor": amount,
            "currency": currency, "owner_id": owner.user_id});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let deal = id(&app.create_deal(&fixture.alice, body).await);
        write_history(app, &fixture, &deal, created, visits, end).await;
        fixture.deals.push(deal);
    }
    write_leads(app, &fixture).await;
    for (owner, on) in
        [(&fixture.alice, "2026-02-20"), (&fixture.alice, "2026-03-02"), (&fixture.alice, "2026-03-09"), (&fixture.bob, "2026-03-03")]
    {
        app.execute(
            "INSERT INTO activities (id, workspace_id, kind, subject, owner_id, priority, version, created_at, updated_at) \
             VALUES (?, ?, 'call', 'Follow up', ?, 'normal', 1, ?, ?)",
            vec![
                Uuid::now_v7().into(),
                uuid(&fixture.alice.workspace_id).into(),
                uuid(&owner.user_id).into(),
                date(on).into(),
                date(on).into(),
            ],
        )
        .await;
    }
    for (rate, on) in [("41000", "2026-02-01"), ("42000", "2026-03-10"), ("43000", "2026-04-01")] {
        let body = json!({"currency": "USD", "rate_date": on, "rate": rate});
        app.post("/api/v1/exchange-rates").token(&fixture.alice.token).json(body).send().await.ok(201);
    }
    fixture
}

/// Replaces the deal's stage history and timestamps with the fixture's.
async fn write_history(app: &TestApp, fixture: &Fixture, deal: &str, created: u64, visits: &[(usize, u64)], end: End) {
    let deal_id = uuid(deal);
    app.execute("DELETE FROM stage_history WHERE deal_id = ?", vec![deal_id.into()]).await;
    for (i, (stage, entered)) in visits.iter().enumerate() {
        let left = i.checked_sub(1).map(|p| visits[p]);
        app.execute(
            "INSERT INTO stage_history (id, workspace_id, deal_id, pipeline_id, from_stage_id, to_stage_id, actor_id, entered_at, from_entered_at) \
             VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
            vec![
                Uuid::now_v7().into(),
                uuid(&fixture.alice.workspace_id).into(),
                deal_id.into(),
                uuid(&fixture.pipeline_id()).into(),
                left.map(|(s, _)| uuid(&fixture.stage(s))).into(),
                uuid(&fixture.stage(*stage)).into(),
                day(*entered).into(),
                left.map(|(_, d)| day(d)).into(),
            ],
        )
        .await;
    }
    let (stage, entered) = *visits.last().unwrap();
    let (status, closed_at, reason): (&str, Option<DateTime<Utc>>, Option<String>) = match end {
        End::Won(d) => ("won", Some(day(d)), None),
        End::Lost(d, reason) => ("lost", Some(day(d)), Some(reason.to_owned())),
        End::Open => ("open", None, None),
    };
    app.execute(
        "UPDATE deals SET created_at = ?, stage_id = ?, position = ?, stage_entered_at = ?, status = ?, closed_at = ?, lost_reason = ? \
         WHERE id = ?",
        vec![
            day(created).into(),
            uuid(&fixture.stage(stage)).into(),
            // A place of its own in the column it is put in: the fixture's deals in order.
            format!("a0V{}V", fixture.deals.len() + 1).into(),
            day(entered).into(),
            status.into(),
            closed_at.into(),
            reason.into(),
            deal_id.into(),
        ],
    )
    .await;
}

async fn write_leads(app: &TestApp, fixture: &Fixture) {
    let token = &fixture.alice.token;
    // (created, outcome): a qualified lead names the fixture deals (1-based) of its opportunity.
    enum Outcome {
        Qualified(&'static [usize]),
        Disqualified(&'static str, &'static str),
        New,
    }
    let leads = [
        ("2026-01-10", Outcome::Qualified(&[1])),
        ("2026-01-20", Outcome::Qualified(&[4])),
        ("2026-01-25", Outcome::Disqualified("no_budget", "2026-01-28")),
        ("2026-02-03", Outcome::Qualified(&[3, 9])),
        ("2026-02-14", Outcome::Qualified(&[])),
        ("2026-03-02", Outcome::Qualified(&[2])),
        ("2026-03-05", Outcome::Disqualified("no_need", "2026-03-06")),
        ("2026-03-08", Outcome::New),
        ("2026-03-09", Outcome::Disqualified("no_budget", "2026-03-10")),
    ];
    for (n, (created, outcome)) in leads.into_iter().enumerate() {
        let lead = id(app.post("/api/v1/leads").token(token).json(json!({"name": format!("L{}", n + 1)})).send().await.ok(201));
        match outcome {
            Outcome::Qualified(deals) => {
                let path = format!("/api/v1/leads/{lead}/qualify");
                let qualified = app.post(&path).token(token).json(json!({"create_deal": false})).send().await.ok(201).clone();
                let opportunity = uuid(&id(&qualified["opportunity"]));
                for deal in deals {
                    let sql = "UPDATE deals SET opportunity_id = ? WHERE id = ?";
                    app.execute(sql, vec![opportunity.into(), uuid(&fixture.deals[deal - 1]).into()]).await;
                }
            }
            Outcome::Disqualified(reason, on) => {
                let path = format!("/api/v1/leads/{lead}/disqualify");
                app.post(&path).token(token).json(json!({"reason": reason})).send().await.ok(200);
                app.execute("UPDATE leads SET closed_at = ? WHERE id = ?", vec![date(on).into(), uuid(&lead).into()]).await;
            }
            Outcome::New => {}
        }
        app.execute("UPDATE leads SET created_at = ? WHERE id = ?", vec![date(created).into(), uuid(&lead).into()]).await;
    }
}

async fn report(app: &TestApp, session: &Session, path: &str) -> Value {
    app.get(&format!("/api/v1/reports/{path}")).token(&session.token).send().await.ok(200).clone()
}

fn amounts(pairs: &[(&str, i64)]) -> Value {
    Value::Array(pairs.iter().map(|(c, a)| json!({"currency": c, "amount_minor": a})).collect())
}

async fn win_rate_counts_values_and_cycles(engine: Engine) {
    let app = spawn_app(engine).await;
    let f = fixture(&app).await;

    let all = report(&app, &f.alice, "win-rate").await;
    // Won: D1, D2, D3, D6; lost: D4, D5, D7. 4 of 7 closed: 4/7 = 57.142…% → 57.14.
    assert_eq!((all["won"]["count"].as_i64(), all["lost"]["count"].as_i64()), (Some(4), Some(3)));
    assert_eq!(all["win_rate_by_count"], 57.14);
    // Won IRR: D1 1,000,000 + D2 2,000,000 + D6 4,000,000 = 7,000,000; won USD: D3 50,000.
    assert_eq!(all["won"]["value"]["by_currency"], amounts(&[("IRR", 7_000_000), ("USD", 50_000)]));
    // Lost: EUR D7 20,000; IRR D5 500,000; USD D4 30,000.
    assert_eq!(all["lost"]["value"]["by_currency"], amounts(&[("EUR", 20_000), ("IRR", 500_000), ("USD", 30_000)]));
    // By value: EUR 0 / 20,000 = 0%; IRR 7,000,000 / 7,500,000 = 93.33%; USD 50,000 / 80,000 = 62.5%.
    assert_eq!(
        all["win_rate_by_value"],
        json!([{"currency": "EUR", "percent": 0.0}, {"currency": "IRR", "percent": 93.33}, {"currency": "USD", "percent": 62.5}])
    );
    // Cycles (created → won): D1 10 − 0 = 10, D2 6 − 0 = 6, D3 21 − 1 = 20, D6 12 − 3 = 9 days.
    // Average (10 + 6 + 20 + 9) / 4 = 11.25; sorted 6, 9, 10, 20: median (9 + 10) / 2 = 9.5.
    assert_eq!((all["average_cycle_days"].as_f64(), all["median_cycle_days"].as_f64()), (Some(11.25), Some(9.5)));
    // Converted with the latest USD rate up to today (43000 of 2026-04-01):
    // won 7,000,000 + $500.00 × 43,000 = 7,000,000 + 21,500,000 = 28,500,000 rials.
    let converted = &all["won"]["value"]["converted"];
    assert_eq!(converted["currency"], "IRR");
    assert_eq!(converted["amount_minor"], 28_500_000);
    assert_eq!(converted["rates"], json!([{"currency": "USD", "rate": "43000", "rate_date": "2026-04-01"}]));
    assert_eq!(converted["unconverted"], json!([]));

    // Closed 2026-03-01 … 2026-03-10 (before 03-11 00:00): D5 lost d4, D2 won d6, D4 lost d9.
    let early = report(&app, &f.alice, "win-rate?from=2026-03-01&to=2026-03-10").await;
    // 1 won of 3 closed: 1/3 = 33.33%; one cycle of 6 days is its own average and median.
    assert_eq!(
        (early["won"]["count"].as_i64(), early["lost"]["count"].as_i64(), early["win_rate_by_count"].as_f64()),
        (Some(1), Some(2), Some(33.33))
    );
    assert_eq!((early["average_cycle_days"].as_f64(), early["median_cycle_days"].as_f64()), (Some(6.0), Some(6.0)));
    // Lost IRR 500,000 + USD $300.00 at the rate of 2026-03-10, the period's end (42000):
    // 500,000 + 300 × 42,000 = 500,000 + 12,600,000 = 13,100,000.
    let lost = &early["lost"]["value"]["converted"];
    assert_eq!((lost["amount_minor"].as_i64(), lost["rates"][0]["rate_date"].as_str()), (Some(13_100_000), Some("2026-03-10")));
    // All time, EUR has no rate: lost IRR 500,000 + $300.00 × 43,000 = 13,400,000, EUR left out.
    let lost_all = &all["lost"]["value"]["converted"];
    assert_eq!((lost_all["amount_minor"].as_i64(), lost_all["unconverted"].clone()), (Some(13_400_000), json!(["EUR"])));

    // Bob's: won D6; lost D4, D5: 1/3 = 33.33%, cycle 9 days.
    let bobs = report(&app, &f.alice, &format!("win-rate?owner_id={}", f.bob.user_id)).await;
    assert_eq!(
        (bobs["won"]["count"].as_i64(), bobs["lost"]["count"].as_i64(), bobs["median_cycle_days"].as_f64()),
        (Some(1), Some(2), Some(9.0))
    );
    // Another pipeline has no deals.
    let other = app.create_pipeline(&f.alice, "Other", &[("Only", 50)]).await;
    let none = report(&app, &f.alice, &format!("win-rate?pipeline_id={}", id(&other))).await;
    assert_eq!(
        (none["won"]["count"].as_i64(), none["win_rate_by_count"].clone(), none["median_cycle_days"].clone()),
        (Some(0), Value::Null, Value::Null)
    );
    app.get("/api/v1/reports/win-rate?from=2026-03-10&to=2026-03-01").token(&f.alice.token).send().await.problem(400);
}

async fn stage_conversion_follows_each_visit(engine: Engine) {
    let app = spawn_app(engine).await;
    let f = fixture(&app).await;
    let row = |report: &Value, stage: usize| {
        let r = &report["stages"][stage];
        [&r["entered"], &r["moved_on"], &r["moved_back"], &r["won"], &r["lost"], &r["still_open"]].map(|v| v.as_i64().unwrap())
    };

    // Visits that began 2026-03-01 … 2026-03-10 (days 0–9): every one of them has ended.
    let p = f.pipeline_id();
    let early = report(&app, &f.alice, &format!("stage-conversion?pipeline_id={p}&from=2026-03-01&to=2026-03-10")).await;
    assert_eq!(early["stages"].as_array().unwrap().len(), 4);
    assert_eq!(early["stages"][0]["name"], "Lead-in");
    // S0: D1 (0→2), D2 (0→4), D3 (1→3), D4 (2→5), D6 (3→6), D7 (5→6) moved on; D5 lost there
    // (3→4). 7 entered, 6 moved on: 6/7 = 85.71%; days 2 + 4 + 2 + 3 + 3 + 1 + 1 = 16, 16/7 = 2.29.
    assert_eq!(row(&early, 0), [7, 6, 0, 0, 1, 0]);
    assert_eq!(
        (early["stages"][0]["moved_on_percent"].as_f64(), early["stages"][0]["average_days_in_stage"].as_f64()),
        (Some(85.71), Some(2.29))
    );
    // S1: D1 (2→5 to S2), D3 (3→8 to S3), D6 (6→7 to S2) moved on; D2 (4→6) and D6 again (8→12)
    // won there; D4 (5→9) and D7 (6→15) lost there. 7 entered; days 3 + 5 + 1 + 2 + 4 + 4 + 9 = 28, 28/7 = 4.
    assert_eq!(row(&early, 1), [7, 3, 0, 2, 2, 0]);
    assert_eq!(early["stages"][1]["average_days_in_stage"], 4.0);
    // S2: D1 (5→10) won there; D6 (7→8) moved back to S1. Days (5 + 1) / 2 = 3.
    assert_eq!(row(&early, 2), [2, 0, 1, 1, 0, 0]);
    assert_eq!(early["stages"][2]["average_days_in_stage"], 3.0);
    // S3: D3 (8→21) won there: 13 days.
    assert_eq!(row(&early, 3), [1, 0, 0, 1, 0, 0]);
    assert_eq!(early["stages"][3]["average_days_in_stage"], 13.0);

    // All time adds D8 (S0 10→11 moved on; S1 from 11, open), D9 (S0 from 12, open) and D10 (S0
    // 14→15 moved on to S2; S2 from 15, open).
    let all = report(&app, &f.alice, &format!("stage-conversion?pipeline_id={p}")).await;
    assert_eq!(row(&all, 0), [10, 8, 0, 0, 1, 1]);
    assert_eq!(row(&all, 1), [8, 3, 0, 2, 2, 1]);
    assert_eq!(row(&all, 2), [3, 0, 1, 1, 0, 1]);
    // Bob's deals only (D4, D5, D6, D9): S0 D4, D6 moved on, D5 lost, D9 still open.
    let bobs = report(&app, &f.alice, &format!("stage-conversion?pipeline_id={p}&owner_id={}", f.bob.user_id)).await;
    assert_eq!(row(&bobs, 0), [4, 2, 0, 0, 1, 1]);

    app.get("/api/v1/reports/stage-conversion").token(&f.alice.token).send().await.problem(400);
    let missing = format!("/api/v1/reports/stage-conversion?pipeline_id={}", Uuid::now_v7());
    app.get(&missing).token(&f.alice.token).send().await.problem(404);
}

/// Stage conversion's moves come from kept UTC months and days, and the hours at a period's ends
/// from the history rows. In Tehran (UTC+3:30) a period's bounds fall at 20:30 UTC, mid-day in
/// UTC, while every fixture visit began at midnight UTC: the same days in either zone hold the
/// same visits, read one way in UTC (whole days and months) and another in Tehran (days, months
/// and the hours between). The UTC reports read the changes not yet folded, Tehran's the folded rows.
async fn stage_conversion_counts_the_same_visits_in_any_time_zone(engine: Engine) {
    let app = spawn_app(engine).await;
    let f = fixture(&app).await;
    let p = f.pipeline_id();
    let counts = |report: &Value| -> Vec<[i64; 6]> {
        report["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                [&r["entered"], &r["moved_on"], &r["moved_back"], &r["won"], &r["lost"], &r["still_open"]].map(|v| v.as_i64().unwrap())
            })
            .collect()
    };
    // Within a month; across three months (all of March inside); one whole month; one day.
    let periods = [("2026-03-03", "2026-03-07"), ("2026-02-15", "2026-04-10"), ("2026-03-01", "2026-03-31"), ("2026-03-06", "2026-03-06")];
    let mut in_utc = Vec::new();
    for (from, to) in periods {
        in_utc.push(report(&app, &f.alice, &format!("stage-conversion?pipeline_id={p}&from={from}&to={to}")).await);
    }
    // S0 visits begun on d2…d6: D4 (2→5), D6 (3→6) and D7 (5→6) moved on, D5 (3→4) lost there.
    assert_eq!(counts(&in_utc[0])[0], [4, 3, 0, 0, 1, 0]);
    let all = report(&app, &f.alice, &format!("stage-conversion?pipeline_id={p}")).await;
    assert_eq!(counts(&in_utc[1]), counts(&all), "every visit began in March");

    app.store.fold_rollups().await.unwrap();
    assert_eq!(app.scalar("SELECT COUNT(*) FROM stage_move_deltas", vec![]).await, 0);
    app.patch("/api/v1/me").token(&f.alice.token).json(json!({"time_zone": "Asia/Tehran"})).send().await.ok(200);
    for ((from, to), utc) in periods.iter().zip(&in_utc) {
        let tehran = report(&app, &f.alice, &format!("stage-conversion?pipeline_id={p}&from={from}&to={to}")).await;
        assert_eq!(counts(&tehran), counts(utc), "{from} … {to} in Tehran and in UTC");
    }
    // With no open visit in it, the first period's averages are the same too.
    let tehran = report(&app, &f.alice, &format!("stage-conversion?pipeline_id={p}&from=2026-03-03&to=2026-03-07")).await;
    let averages =
        |report: &Value| report["stages"].as_array().unwrap().iter().map(|r| r["average_days_in_stage"].clone()).collect::<Vec<_>>();
    assert_eq!(averages(&tehran), averages(&in_utc[0]));
    // A visit of 2026-03-02 21:00 UTC is 2026-03-03 00:30 in Tehran: in the first period there, in UTC before it.
    let late = id(&app.create_deal(&f.alice, json!({"title": "Late", "pipeline_id": p, "amount_minor": 1, "currency": "IRR"})).await);
    let evening: DateTime<Utc> = "2026-03-02T21:00:00Z".parse().unwrap();
    app.execute(
        "INSERT INTO stage_history (id, workspace_id, deal_id, pipeline_id, from_stage_id, to_stage_id, actor_id, entered_at, from_entered_at) \
         VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
        vec![
            Uuid::now_v7().into(),
            uuid(&f.alice.workspace_id).into(),
            uuid(&late).into(),
            uuid(&p).into(),
            uuid(&f.stage(0)).into(),
            uuid(&f.stage(1)).into(),
            day(4).into(),
            evening.into(),
        ],
    )
    .await;
    let tehran = report(&app, &f.alice, &format!("stage-conversion?pipeline_id={p}&from=2026-03-03&to=2026-03-07")).await;
    assert_eq!(counts(&tehran)[0], [5, 4, 0, 0, 1, 0]);
    app.patch("/api/v1/me").token(&f.alice.token).json(json!({"time_zone": null})).send().await.ok(200);
    let utc = report(&app, &f.alice, &format!("stage-conversion?pipeline_id={p}&from=2026-03-03&to=2026-03-07")).await;
    assert_eq!(counts(&utc)[0], [4, 3, 0, 0, 1, 0]);
}

async fn funnel_and_cohorts_follow_leads_to_won_deals(engine: Engine) {
    let app = spawn_app(engine).await;
    let f = fixture(&app).await;
    let counts = |report: &Value| report["steps"].as_array().unwrap().iter().map(|s| s["count"].as_i64().unwrap()).collect::<Vec<_>>();

    let all = report(&app, &f.alice, "funnel").await;
    // 9 leads; qualified L1, L2, L4, L5, L6 = 5, each with an opportunity; with a deal L1, L2, L4,
    // L6 = 4; with a won deal L1 (D1), L4 (D3), L6 (D2) = 3.
    assert_eq!(counts(&all), [9, 5, 5, 4, 3]);
    assert_eq!(all["steps"][0], json!({"step": "leads", "count": 9, "percent_of_previous": null, "percent_of_leads": 100.0}));
    // 5/9 = 55.56%; 5/5 = 100%; 4/5 = 80%; 3/4 = 75%, and 3/9 = 33.33% of all leads.
    let rates: Vec<Value> = all["steps"].as_array().unwrap().iter().map(|s| s["percent_of_previous"].clone()).collect();
    assert_eq!(rates, [Value::Null, json!(55.56), json!(100.0), json!(80.0), json!(75.0)]);
    assert_eq!(all["steps"][4]["percent_of_leads"], 33.33);
    // Created 2026-02-01 … 2026-03-31: L4 … L9 = 6; qualified L4, L5, L6 = 3; deals L4, L6; both won.
    assert_eq!(counts(&report(&app, &f.alice, "funnel?from=2026-02-01&to=2026-03-31").await), [6, 3, 3, 2, 2]);
    // Bob owns no lead.
    assert_eq!(counts(&report(&app, &f.alice, &format!("funnel?owner_id={}", f.bob.user_id)).await), [0, 0, 0, 0, 0]);

    let cohorts = report(&app, &f.alice, "cohorts").await;
    // 2026-01: L1, L2, L3; L1 won by D1 on 2026-03-11, two months after January.
    // 2026-02: L4, L5; L4 won by D3 on 2026-03-22, one month after February.
    // 2026-03: L6 … L9; L6 won by D2 on 2026-03-07, the same month.
    assert_eq!(
        cohorts["cohorts"],
        json!([
            {"month": "2026-01", "leads": 3, "won": 1, "won_after_months": [0, 0, 1]},
            {"month": "2026-02", "leads": 2, "won": 1, "won_after_months": [0, 1]},
            {"month": "2026-03", "leads": 4, "won": 1, "won_after_months": [1]},
        ])
    );
    let february = report(&app, &f.alice, "cohorts?from=2026-02-01&to=2026-02-28").await;
    assert_eq!(february["cohorts"], json!([{"month": "2026-02", "leads": 2, "won": 1, "won_after_months": [0, 1]}]));
}

async fn forecast_weighs_open_deals_by_month(engine: Engine) {
    let app = spawn_app(engine).await;
    let f = fixture(&app).await;
    let all = report(&app, &f.alice, "forecast").await;
    let months = all["months"].as_array().unwrap();
    assert_eq!(months.iter().map(|m| m["month"].as_str().unwrap()).collect::<Vec<_>>(), ["2026-03", "2026-04", "2026-05"]);
    // March: nothing expected; won D2 (03-07), D1 (03-11), D6 (03-13): IRR 2,000,000 + 1,000,000
    // + 4,000,000 = 7,000,000, and D3 (03-22) USD 50,000.
    assert_eq!((months[0]["open_deals"].as_i64(), months[0]["won_deals"].as_i64()), (Some(0), Some(4)));
    assert_eq!(months[0]["won"]["by_currency"], amounts(&[("IRR", 7_000_000), ("USD", 50_000)]));
    // April: D8 IRR 3,000,000 at its own 25% = 750,000; D9 USD 10,000 at S0's 10% = 1,000.
    assert_eq!(months[1]["open_deals"], 2);
    assert_eq!(months[1]["amount"]["by_currency"], amounts(&[("IRR", 3_000_000), ("USD", 10_000)]));
    assert_eq!(months[1]["weighted"]["by_currency"], amounts(&[("IRR", 750_000), ("USD", 1_000)]));
    // Converted at 43,000 rials a dollar: 3,000,000 + $100.00 × 43,000 = 7,300,000;
    // weighted 750,000 + $10.00 × 43,000 = 1,180,000.
    assert_eq!(
        (months[1]["amount"]["converted"]["amount_minor"].as_i64(), months[1]["weighted"]["converted"]["amount_minor"].as_i64()),
        (Some(7_300_000), Some(1_180_000))
    );
    // May: D10 IRR 6,000,000 at S2's 70% = 4,200,000.
    assert_eq!(months[2]["weighted"]["by_currency"], amounts(&[("IRR", 4_200_000)]));
    assert_eq!(months[2]["won"]["by_currency"], json!([]));
    assert_eq!(all["undated"], Value::Null);

    // April alone; Alice's only: D8.
    let april = report(&app, &f.alice, &format!("forecast?from=2026-04-01&to=2026-04-30&owner_id={}", f.alice.user_id)).await;
    assert_eq!(april["months"].as_array().unwrap().len(), 1);
    assert_eq!(april["months"][0]["weighted"]["by_currency"], amounts(&[("IRR", 750_000)]));
}

async fn reports_group_by_jalali_months_on_the_jalali_calendar(engine: Engine) {
    let app = spawn_app(engine).await;
    let f = fixture(&app).await;
    let workspace = app.get("/api/v1/workspace").token(&f.alice.token).send().await.ok(200).clone();
    assert_eq!(workspace["calendar"], "gregorian", "made in English");
    // 30 Azar and 20 Dey 1405: one Gregorian December and January, two Jalali months.
    for (title, expected) in [("Azar", "2026-12-21"), ("Dey", "2027-01-10")] {
        let body = json!({"title": title, "pipeline_id": f.pipeline_id(), "amount_minor": 1_000, "currency": "IRR", "expected_close_date": expected});
        app.create_deal(&f.alice, body).await;
    }
    let months =
        |report: &Value| report["months"].as_array().unwrap().iter().map(|m| m["month"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let gregorian = report(&app, &f.alice, "forecast").await;
    assert_eq!(gregorian["calendar"], "gregorian");
    assert_eq!(months(&gregorian), ["2026-03", "2026-04", "2026-05", "2026-12", "2027-01"]);

    // Won D2 (16 Esfand), D1 (20 Esfand), D6 (22 Esfand 1404); D3 on 2 Farvardin 1405 with D8
    // (26 Farvardin) and D9 (31 Farvardin, 20 April) expected; D10 on 20 Ordibehesht.
    let jalali = report(&app, &f.alice, "forecast?calendar=jalali").await;
    assert_eq!(jalali["calendar"], "jalali");
    assert_eq!(months(&jalali), ["1404-12", "1405-01", "1405-02", "1405-09", "1405-10"]);
    let by_month = |name: &str| jalali["months"].as_array().unwrap().iter().find(|m| m["month"] == name).unwrap().clone();
    assert_eq!((by_month("1404-12")["won_deals"].as_i64(), by_month("1404-12")["open_deals"].as_i64()), (Some(3), Some(0)));
    assert_eq!(by_month("1404-12")["won"]["by_currency"], amounts(&[("IRR", 7_000_000)]));
    assert_eq!((by_month("1405-01")["won_deals"].as_i64(), by_month("1405-01")["open_deals"].as_i64()), (Some(1), Some(2)));
    assert_eq!(by_month("1405-01")["amount"]["by_currency"], amounts(&[("IRR", 3_000_000), ("USD", 10_000)]));
    assert_eq!(by_month("1405-10")["amount"]["by_currency"], amounts(&[("IRR", 1_000)]), "10 January 2027 is in Dey 1405");

    // Quarters and years of either calendar; the Persian fiscal year starts on 1 Farvardin.
    let periods =
        |report: &Value| report["months"].as_array().unwrap().iter().map(|m| m["period"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let quarters = report(&app, &f.alice, "forecast?calendar=jalali&interval=quarter").await;
    assert_eq!(quarters["interval"], "quarter");
    assert_eq!(periods(&quarters), ["1404-Q4", "1405-Q1", "1405-Q3", "1405-Q4"]);
    assert_eq!(months(&quarters), ["1404-10", "1405-01", "1405-07", "1405-10"], "each quarter's first month");
    // Farvardin and Ordibehesht 1405 together: D8, D9 and D10 expected, D3 won.
    assert_eq!((quarters["months"][1]["open_deals"].as_i64(), quarters["months"][1]["won_deals"].as_i64()), (Some(3), Some(1)));
    let years = report(&app, &f.alice, "forecast?calendar=jalali&interval=year").await;
    assert_eq!(periods(&years), ["1404", "1405"]);
    let gregorian_quarters = report(&app, &f.alice, "forecast?calendar=gregorian&interval=quarter").await;
    assert_eq!(periods(&gregorian_quarters), ["2026-Q1", "2026-Q2", "2026-Q4", "2027-Q1"]);
    app.get("/api/v1/reports/forecast?interval=week").token(&f.alice.token).send().await.problem(400);

    // The workspace's calendar is the default; a report may still ask for the other.
    let reply = app.patch("/api/v1/workspace").token(&f.alice.token).json(json!({"calendar": "jalali"})).send().await;
    assert_eq!(reply.ok(200)["calendar"], "jalali");
    assert_eq!(app.get("/api/v1/workspace").token(&f.bob.token).send().await.ok(200)["calendar"], "jalali");
    assert_eq!(months(&report(&app, &f.bob, "forecast").await), months(&jalali));
    assert_eq!(months(&report(&app, &f.alice, "forecast?calendar=gregorian").await), months(&gregorian));
    let bad = app.patch("/api/v1/workspace").token(&f.alice.token).json(json!({"calendar": "lunar"})).send().await;
    assert_eq!(bad.error_fields(), ["calendar"]);
    app.get("/api/v1/reports/forecast?calendar=lunar").token(&f.alice.token).send().await.problem(400);

    // Leads of Dey (L1 on 20 Dey, L2 on 30 Dey), Bahman (L3, L4, L5) and Esfand 1404 (L6 … L9);
    // L1 won in Esfand, two months on; L4 (Bahman) won by D3 on 2 Farvardin, two months on.
    let cohorts = report(&app, &f.alice, "cohorts").await;
    assert_eq!(cohorts["calendar"], "jalali");
    assert_eq!(
        cohorts["cohorts"],
        json!([
            {"month": "1404-10", "leads": 2, "won": 1, "won_after_months": [0, 0, 1]},
            {"month": "1404-11", "leads": 3, "won": 1, "won_after_months": [0, 0, 1]},
            {"month": "1404-12", "leads": 4, "won": 1, "won_after_months": [1]},
        ])
    );

    // A workspace made in Persian starts on the Jalali calendar, in Tehran time.
    let body = json!({"workspace_name": "Pars", "name": "Sara", "email": "sara@pars.test", "password": crate::helpers::PASSWORD,
        "default_currency": "IRR", "locale": "fa"});
    let pars = crate::helpers::session(app.post("/api/v1/auth/signup").json(body).send().await.ok(201));
    let workspace = app.get("/api/v1/workspace").token(&pars.token).send().await.ok(200).clone();
    assert_eq!((workspace["calendar"].as_str(), workspace["time_zone"].as_str()), (Some("jalali"), Some("Asia/Tehran")));
}

async fn lost_reasons_and_leaderboard(engine: Engine) {
    let app = spawn_app(engine).await;
    let f = fixture(&app).await;

    let lost = report(&app, &f.alice, "lost-reasons").await;
    // Price: D4 USD 30,000 and D5 IRR 500,000; Timing: D7 EUR 20,000.
    assert_eq!(lost["lost_deals"]["count"], 3);
    assert_eq!(lost["lost_deals"]["reasons"][0]["reason"], "Price");
    assert_eq!(lost["lost_deals"]["reasons"][0]["count"], 2);
    assert_eq!(lost["lost_deals"]["reasons"][0]["value"]["by_currency"], amounts(&[("IRR", 500_000), ("USD", 30_000)]));
    assert_eq!(
        (lost["lost_deals"]["reasons"][1]["reason"].as_str(), lost["lost_deals"]["reasons"][1]["count"].as_i64()),
        (Some("Timing"), Some(1))
    );
    assert_eq!(lost["lost_deals"]["other"]["count"], 0);
    // Disqualified: no_budget L3 and L9, no_need L7.
    assert_eq!(
        lost["disqualified_leads"],
        json!({"count": 3, "reasons": [{"reason": "no_budget", "count": 2}, {"reason": "no_need", "count": 1}]})
    );
    // 2026-03-01 … 2026-03-10: lost D5 (d4) and D4 (d9), both Price; D7 (d15) is later.
    // Disqualified L7 (03-06) and L9 (03-10); L3 (01-28) is earlier.
    let early = report(&app, &f.alice, "lost-reasons?from=2026-03-01&to=2026-03-10").await;
    assert_eq!((early["lost_deals"]["count"].as_i64(), early["lost_deals"]["reasons"].as_array().unwrap().len()), (Some(2), 1));
    assert_eq!(early["disqualified_leads"]["reasons"], json!([{"reason": "no_budget", "count": 1}, {"reason": "no_need", "count": 1}]));

    let board = report(&app, &f.alice, "leaderboard").await;
    let rows = board["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    // Alice: won D1, D2, D3; lost D7: 3/4 = 75%; cycles 10, 6, 20: 36/3 = 12 days; 3 activities.
    assert_eq!(rows[0]["owner_id"], f.alice.user_id.as_str());
    assert_eq!(rows[0]["name"], "Test Admin");
    assert_eq!([&rows[0]["deals_won"], &rows[0]["deals_lost"], &rows[0]["activities"]], [&json!(3), &json!(1), &json!(3)]);
    assert_eq!((rows[0]["win_rate"].as_f64(), rows[0]["average_cycle_days"].as_f64()), (Some(75.0), Some(12.0)));
    assert_eq!(rows[0]["value_won"]["by_currency"], amounts(&[("IRR", 3_000_000), ("USD", 50_000)]));
    // Bob: won D6 (9 days); lost D4, D5: 1/3 = 33.33%; 1 activity.
    assert_eq!([&rows[1]["deals_won"], &rows[1]["deals_lost"], &rows[1]["activities"]], [&json!(1), &json!(2), &json!(1)]);
    assert_eq!((rows[1]["win_rate"].as_f64(), rows[1]["average_cycle_days"].as_f64()), (Some(33.33), Some(9.0)));
    // 2026-03-01 … 2026-03-10: Alice won D2 (6 days), lost none: 100%, activities 03-02 and 03-09;
    // Bob won none, lost D4 and D5: 0%, activity 03-03.
    let early = report(&app, &f.alice, "leaderboard?from=2026-03-01&to=2026-03-10").await;
    let rows = early["data"].as_array().unwrap();
    assert_eq!(
        (rows[0]["deals_won"].as_i64(), rows[0]["win_rate"].as_f64(), rows[0]["activities"].as_i64()),
        (Some(1), Some(100.0), Some(2))
    );
    assert_eq!(
        (rows[1]["deals_won"].as_i64(), rows[1]["win_rate"].as_f64(), rows[1]["average_cycle_days"].clone()),
        (Some(0), Some(0.0), Value::Null)
    );
    assert_eq!(rows[1]["activities"], 1);
}

async fn rotting_deals_page_longest_idle_first(engine: Engine) {
    let app = spawn_app(engine).await;
    let f = fixture(&app).await;
    let before = Utc::now();
    let first = report(&app, &f.alice, "rotting?limit=1").await;
    let after = Utc::now();
    // Open: D8 in S1 since 03-12 (rots after 10 days), D9 in S0 since 03-13 (after 30), D10 in S2
    // (never rots). Both D8 and D9 have idled months: 2 deals, IRR 3,000,000 and USD 10,000.
    assert_eq!(first["count"], 2);
    assert_eq!(first["value"]["by_currency"], amounts(&[("IRR", 3_000_000), ("USD", 10_000)]));
    // $100.00 × 43,000 + 3,000,000 = 7,300,000.
    assert_eq!(first["value"]["converted"]["amount_minor"], 7_300_000);
    let deal = &first["data"][0];
    assert_eq!(
        (deal["title"].as_str(), deal["stage_name"].as_str(), deal["rotting_days"].as_i64()),
        (Some("D8"), Some("Proposal"), Some(10))
    );
    // Whole days from 2026-03-12 to now.
    let idle = |now: DateTime<Utc>| (now - day(11)).num_days();
    assert!((idle(before)..=idle(after)).contains(&deal["idle_days"].as_i64().unwrap()), "{deal}");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = report(&app, &f.alice, &format!("rotting?limit=1&cursor={cursor}")).await;
    assert_eq!((second["data"][0]["title"].as_str(), second["next_cursor"].clone()), (Some("D9"), Value::Null));
    // Bob's: D9 only; entered 2026-03-12 … 2026-03-12: D8 only.
    let bobs = report(&app, &f.alice, &format!("rotting?owner_id={}", f.bob.user_id)).await;
    assert_eq!((bobs["count"].as_i64(), bobs["data"][0]["title"].as_str()), (Some(1), Some("D9")));
    let entered = report(&app, &f.alice, "rotting?from=2026-03-12&to=2026-03-12").await;
    assert_eq!((entered["count"].as_i64(), entered["data"][0]["title"].as_str()), (Some(1), Some("D8")));
    app.get("/api/v1/reports/rotting?cursor=nonsense").token(&f.alice.token).send().await.problem(400);
}

async fn exchange_rates_are_one_per_currency_and_day(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let member = add_member(&app, &admin.workspace_id, "member@acme.test").await;
    let post = |session: &Session, body: Value| {
        let token = session.token.clone();
        let request = app.post("/api/v1/exchange-rates").token(&token).json(body);
        async move { request.send().await }
    };
    let created = post(&admin, json!({"currency": "usd", "rate_date": "2026-11-01", "rate": "42000.50"})).await;
    let created = created.ok(201).clone();
    assert_eq!((created["currency"].as_str(), created["rate"].as_str()), (Some("USD"), Some("42000.5")));
    // The same day again replaces the rate, keeping the row.
    let replaced = post(&admin, json!({"currency": "USD", "rate_date": "2026-11-01", "rate": "42100"})).await;
    assert_eq!((replaced.ok(200)["id"].clone(), replaced.body["rate"].as_str()), (created["id"].clone(), Some("42100")));
    post(&admin, json!({"currency": "EUR", "rate_date": "2026-11-02", "rate": "0.0000238"})).await.ok(201);
    assert_eq!(post(&admin, json!({"currency": "USD", "rate_date": "2026-11-03", "rate": "-1"})).await.error_fields(), ["rate"]);
    assert_eq!(post(&admin, json!({"currency": "USD", "rate_date": "2026-11-03", "rate": "0"})).await.error_fields(), ["rate"]);
    assert_eq!(post(&admin, json!({"currency": "IRR", "rate_date": "2026-11-03", "rate": "1"})).await.error_fields(), ["currency"]);
    post(&member, json!({"currency": "USD", "rate_date": "2026-11-03", "rate": "1"})).await.problem(403);

    let list = app.get("/api/v1/exchange-rates").token(&member.token).send().await.ok(200).clone();
    let days: Vec<&str> = list["data"].as_array().unwrap().iter().map(|r| r["rate_date"].as_str().unwrap()).collect();
    assert_eq!(days, ["2026-11-02", "2026-11-01"]);
    let usd = app.get("/api/v1/exchange-rates?currency=USD&limit=1").token(&admin.token).send().await.ok(200).clone();
    assert_eq!((usd["data"].as_array().unwrap().len(), usd["next_cursor"].clone()), (1, Value::Null));

    let path = format!("/api/v1/exchange-rates/{}", id(&created));
    app.delete(&path).token(&member.token).send().await.problem(403);
    assert_eq!(app.delete(&path).token(&admin.token).send().await.status, 204);
    app.delete(&path).token(&admin.token).send().await.problem(404);
    let stored = app.scalar("SELECT COUNT(*) FROM exchange_rates WHERE workspace_id = ?", vec![Db::from(uuid(&admin.workspace_id))]).await;
    assert_eq!(stored, 1);
}

/// How many deals `session` sees won on `day` (`from` = `to` = that day).
async fn won_on(app: &TestApp, session: &Session, day: &str) -> Option<i64> {
    report(app, session, &format!("win-rate?from={day}&to={day}")).await["won"]["count"].as_i64()
}

async fn report_periods_are_days_in_the_readers_time_zone(engine: Engine) {
    let app = spawn_app(engine).await;
    let alice = app.signup("Acme", "alice@acme.test").await;
    let pipeline = app.create_pipeline(&alice, "Sales", &[("Lead-in", 10)]).await;
    let body = json!({"title": "Late win", "pipeline_id": id(&pipeline), "amount_minor": 1_000, "currency": "IRR"});
    let deal = id(&app.create_deal(&alice, body).await);
    // Won at 22:00 UTC on 1 March 2026: 01:30 on 2 March in Tehran (UTC+3:30).
    let won_at: DateTime<Utc> = "2026-03-01T22:00:00Z".parse().unwrap();
    app.execute("UPDATE deals SET status = 'won', closed_at = ? WHERE id = ?", vec![won_at.into(), uuid(&deal).into()]).await;

    // A workspace made in English counts days in UTC: the deal was won on 1 March.
    assert_eq!((won_on(&app, &alice, "2026-03-01").await, won_on(&app, &alice, "2026-03-02").await), (Some(1), Some(0)));
    // Alice in Tehran: her 2 March began at 20:30 UTC on 1 March, so the win is on her 2 March.
    app.patch("/api/v1/me").token(&alice.token).json(json!({"time_zone": "Asia/Tehran"})).send().await.ok(200);
    assert_eq!((won_on(&app, &alice, "2026-03-01").await, won_on(&app, &alice, "2026-03-02").await), (Some(0), Some(1)));
    // Without a zone of her own, the workspace's counts.
    app.patch("/api/v1/me").token(&alice.token).json(json!({"time_zone": null})).send().await.ok(200);
    assert_eq!(won_on(&app, &alice, "2026-03-02").await, Some(0));
    app.patch("/api/v1/workspace").token(&alice.token).json(json!({"time_zone": "Asia/Tehran"})).send().await.ok(200);
    assert_eq!((won_on(&app, &alice, "2026-03-01").await, won_on(&app, &alice, "2026-03-02").await), (Some(0), Some(1)));
}
