//! The board's kept figures (`deal_rollups`): thousands of random changes through the API — and
//! a bulk load through the store — and after every few hundred, every kept figure equals a
//! count of the deals, and so does every column of the board, with and without an owner filter,
//! for a member who sees only their own deals too. Stage conversion's kept moves
//! (`stage_moves_by_day`, `_by_month`) equal a count of the stage history by the deals' current
//! owners, with the clock moved on now and then so that visits span days and months.
//! `kariz repair --rollups` counts both again.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use kariz_domain::{DealTitle, PipelineId, StageId, UserId, WorkspaceId};
use kariz_persistence::deals::CreateDeal;
use sea_orm::ConnectionTrait;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{Engine, PASSWORD, Session, TempDir, TestApp, id, spawn_app};
use crate::on_both_engines;
use crate::processes::binary;

on_both_engines!(
    kept_board_figures_equal_a_recount_after_thousands_of_random_changes,
    the_repair_command_counts_the_figures_again,
    concurrent_moves_of_one_owners_deals_and_probability_changes_keep_the_figures
);

/// A small deterministic generator (xorshift64*), so that a failure repeats.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Mostly everyday amounts, sometimes the largest there is (so sums pass 2^63).
    fn amount(&mut self) -> i64 {
        match self.below(10) {
            0 => 1_000_000_000_000_000,
            1 => 0,
            2 => self.below(1_000_000_000) as i64 * 1_000_000 + self.below(1_000_000) as i64,
            _ => self.below(100_000_000) as i64,
        }
    }

    fn probability(&mut self) -> Value {
        if self.chance(40) { Value::Null } else { json!(self.below(101)) }
    }
}

const CURRENCIES: [&str; 3] = ["IRR", "USD", "EUR"];

/// The figures of one row: count, amount (high, low parts), weighted amount (high, low parts).
type Figures = (i64, i64, i64, i64, i64);
/// Pipeline, stage, owner, currency.
type RowKey = (uuid::Uuid, uuid::Uuid, uuid::Uuid, String);

async fn figures(app: &TestApp, sql: &str) -> BTreeMap<RowKey, Figures> {
    let rows = app.store.connection().query_all_raw(app.statement(sql, vec![])).await.unwrap();
    rows.iter()
        .map(|row| {
            let get = |column: &str| row.try_get::<i64>("", column).unwrap();
            let key = (
                row.try_get("", "pipeline_id").unwrap(),
                row.try_get("", "stage_id").unwrap(),
                row.try_get("", "owner_id").unwrap(),
                row.try_get("", "currency").unwrap(),
            );
            (key, (get("deal_count"), get("amount_high"), get("amount_low"), get("weighted_high"), get("weighted_low")))
        })
        .collect()
}

/// The kept figures as the board reads them: the folded rows and the changes not yet folded.
const KEPT: &str = "SELECT pipeline_id, stage_id, owner_id, currency, CAST(SUM(deal_count) AS BIGINT) AS deal_count, \
       CAST(SUM(amount_high) AS BIGINT) AS amount_high, CAST(SUM(amount_low) AS BIGINT) AS amount_low, \
       CAST(SUM(weighted_high) AS BIGINT) AS weighted_high, CAST(SUM(weighted_low) AS BIGINT) AS weighted_low \
     FROM (SELECT * FROM deal_rollups UNION ALL SELECT * FROM deal_rollup_deltas) r \
     GROUP BY pipeline_id, stage_id, owner_id, currency \
     HAVING SUM(deal_count) <> 0 OR SUM(amount_high) <> 0 OR SUM(amount_low) <> 0 OR SUM(weighted_high) <> 0 OR SUM(weighted_low) <> 0";

/// The folded rows alone.
const FOLDED: &str = "SELECT pipeline_id, stage_id, owner_id, currency, deal_count, amount_high, amount_low, weighted_high, weighted_low \
                      FROM deal_rollups";

/// The figures counted from the deals, as the board counted them before they were kept.
const RECOUNT: &str = "SELECT d.pipeline_id, d.stage_id, d.owner_id, d.currency, COUNT(*) AS deal_count, \
       CAST(SUM(d.amount_minor / 1000000000) AS BIGINT) AS amount_high, CAST(SUM(d.amount_minor % 1000000000) AS BIGINT) AS amount_low, \
       CAST(SUM(((d.amount_minor * COALESCE(d.probability, s.probability) + 50) / 100) / 1000000000) AS BIGINT) AS weighted_high, \
       CAST(SUM(((d.amount_minor * COALESCE(d.probability, s.probability) + 50) / 100) % 1000000000) AS BIGINT) AS weighted_low \
     FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.status = 'open' \
     GROUP BY d.pipeline_id, d.stage_id, d.owner_id, d.currency";

/// Pipeline, owner, stage left, stage entered, day or month.
type MoveKey = (uuid::Uuid, uuid::Uuid, uuid::Uuid, uuid::Uuid, i64);

/// Moves and milliseconds per key; `sql` selects the key's columns (the bucket as `bucket`),
/// `moves` and `millis`.
async fn kept_moves(app: &TestApp, sql: &str) -> BTreeMap<MoveKey, (i64, i64)> {
    let rows = app.store.connection().query_all_raw(app.statement(sql, vec![])).await.unwrap();
    rows.iter()
        .map(|row| {
            let uuid = |column: &str| row.try_get::<uuid::Uuid>("", column).unwrap();
            let key =
                (uuid("pipeline_id"), uuid("owner_id"), uuid("from_stage_id"), uuid("to_stage_id"), row.try_get("", "bucket").unwrap());
            (key, (row.try_get("", "moves").unwrap(), row.try_get("", "millis").unwrap()))
        })
        .collect()
}

/// The kept moves per `bucket` (`day` or `month`): folded (`with_changes`: and not yet folded).
fn moves_kept(bucket: &str, with_changes: bool) -> String {
    let changes = if with_changes {
        format!(" UNION ALL SELECT pipeline_id, owner_id, from_stage_id, to_stage_id, {bucket}, moves, millis FROM stage_move_deltas")
    } else {
        String::new()
    };
    format!(
        "SELECT pipeline_id, owner_id, from_stage_id, to_stage_id, {bucket} AS bucket, CAST(SUM(moves) AS BIGINT) AS moves, \
           CAST(SUM(millis) AS BIGINT) AS millis \
         FROM (SELECT pipeline_id, owner_id, from_stage_id, to_stage_id, {bucket}, moves, millis FROM stage_moves_by_{bucket}{changes}) k \
         GROUP BY pipeline_id, owner_id, from_stage_id, to_stage_id, {bucket} HAVING SUM(moves) <> 0 OR SUM(millis) <> 0"
    )
}

/// The moves counted from the stage history, by the deals' current owners.
fn moves_recount(app: &TestApp, bucket: &str) -> String {
    let (day, month, millis) = match app.engine {
        Engine::Postgres => (
            "CAST(CAST((h.from_entered_at AT TIME ZONE 'UTC') AS date) - DATE '1970-01-01' AS BIGINT)",
            "CAST(EXTRACT(YEAR FROM (h.from_entered_at AT TIME ZONE 'UTC')) * 12 + EXTRACT(MONTH FROM (h.from_entered_at AT TIME ZONE 'UTC')) - 1 AS BIGINT)",
            "CAST(ROUND(EXTRACT(EPOCH FROM (h.entered_at - h.from_entered_at)) * 1000) AS BIGINT)",
        ),
        Engine::Sqlite => (
            "CAST(julianday(date(h.from_entered_at)) - 2440587.5 AS INTEGER)",
            "(CAST(strftime('%Y', h.from_entered_at) AS INTEGER) * 12 + CAST(strftime('%m', h.from_entered_at) AS INTEGER) - 1)",
            "CAST(ROUND((julianday(h.entered_at) - julianday(h.from_entered_at)) * 86400000.0) AS INTEGER)",
        ),
    };
    let of = if bucket == "day" { day } else { month };
    format!(
        "SELECT h.pipeline_id, d.owner_id, h.from_stage_id, h.to_stage_id, {of} AS bucket, COUNT(*) AS moves, \
           CAST(SUM({millis}) AS BIGINT) AS millis \
         FROM stage_history h JOIN deals d ON d.id = h.deal_id WHERE h.from_stage_id IS NOT NULL \
         GROUP BY h.pipeline_id, d.owner_id, h.from_stage_id, h.to_stage_id, {of}"
    )
}

/// Stage conversion's kept moves, folded and not, and then folded alone, equal a recount.
async fn assert_moves_kept(app: &TestApp, after: &str) {
    for bucket in ["day", "month"] {
        let recount = kept_moves(app, &moves_recount(app, bucket)).await;
        assert_eq!(kept_moves(app, &moves_kept(bucket, true)).await, recount, "the kept moves by {bucket} {after}");
    }
    app.store.fold_rollups().await.unwrap();
    for bucket in ["day", "month"] {
        let recount = kept_moves(app, &moves_recount(app, bucket)).await;
        assert_eq!(kept_moves(app, &moves_kept(bucket, false)).await, recount, "the folded moves by {bucket} {after}");
    }
}

#[derive(Deserialize)]
struct Total {
    currency: String,
    amount_minor: i128,
    weighted_amount_minor: i128,
}

#[derive(Deserialize)]
struct Stage {
    id: uuid::Uuid,
}

#[derive(Deserialize)]
struct Column {
    stage: Stage,
    count: i64,
    totals: Vec<Total>,
}

#[derive(Deserialize)]
struct Board {
    columns: Vec<Column>,
}

/// Per stage: the count and the (currency, amount, weighted) totals, sorted by currency.
type ColumnFigures = BTreeMap<uuid::Uuid, (i64, Vec<(String, i128, i128)>)>;

async fn board(app: &TestApp, session: &Session, pipeline: uuid::Uuid, owner: Option<&str>) -> ColumnFigures {
    let filter = owner.map(|o| format!("&owner_id={o}")).unwrap_or_default();
    let reply = app.get(&format!("/api/v1/pipelines/{pipeline}/board?limit=1{filter}")).token(&session.token).send().await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let board: Board = serde_json::from_str(&reply.text).unwrap();
    board
        .columns
        .into_iter()
        .map(|c| (c.stage.id, (c.count, c.totals.into_iter().map(|t| (t.currency, t.amount_minor, t.weighted_amount_minor)).collect())))
        .collect()
}

/// The board's columns as a count of the recounted rows of `pipeline` (of `owner` alone).
fn expected_columns(
    recount: &BTreeMap<RowKey, Figures>,
    stages: &[uuid::Uuid],
    pipeline: uuid::Uuid,
    owner: Option<uuid::Uuid>,
) -> ColumnFigures {
    let mut columns: ColumnFigures = stages.iter().map(|s| (*s, (0, Vec::new()))).collect();
    let exact = |high: i64, low: i64| i128::from(high) * 1_000_000_000 + i128::from(low);
    let mut sums: BTreeMap<(uuid::Uuid, String), (i64, i128, i128)> = BTreeMap::new();
    for ((p, stage, row_owner, currency), (count, ah, al, wh, wl)) in recount {
        if *p != pipeline || owner.is_some_and(|o| o != *row_owner) {
            continue;
        }
        let sum = sums.entry((*stage, currency.clone())).or_default();
        *sum = (sum.0 + count, sum.1 + exact(*ah, *al), sum.2 + exact(*wh, *wl));
    }
    for ((stage, currency), (count, amount, weighted)) in sums {
        let column = columns.get_mut(&stage).expect("a stage of the pipeline");
        column.0 += count;
        column.1.push((currency, amount, weighted));
    }
    columns
}

struct Run {
    app: TestApp,
    admin: Session,
    member: Session,
    owners: Vec<String>,
    /// Per pipeline, its stages in order.
    pipelines: Vec<(String, Vec<String>)>,
    /// Every deal that exists, with its version.
    deals: BTreeMap<String, i64>,
    random: Random,
}

impl Run {
    fn stages(&self) -> Vec<(String, String)> {
        self.pipelines.iter().flat_map(|(p, stages)| stages.iter().map(move |s| (p.clone(), s.clone()))).collect()
    }

    fn some_deal(&mut self) -> Option<(String, i64)> {
        if self.deals.is_empty() {
            return None;
        }
        let index = self.random.below(self.deals.len());
        self.deals.iter().nth(index).map(|(id, version)| (id.clone(), *version))
    }

    /// Notes the deal an answer carries, if it succeeded; a refusal (a closed deal moved, a
    /// stale version) is fine, a server error is not.
    fn note(&mut self, status: u16, body: &Value) {
        assert!(status < 500, "{status}: {body}");
        if (200..300).contains(&status) && body["id"].is_string() && body["version"].is_i64() {
            self.deals.insert(id(body), body["version"].as_i64().unwrap());
        }
    }

    /// Notes the answer to a change of `deal`; a stale version (the deal was moved by a stage's
    /// deletion meanwhile) is read again for the next change.
    async fn settle(&mut self, deal: &str, reply: crate::helpers::Reply) {
        if reply.status == 412 {
            self.refresh(deal).await;
        } else {
            self.note(reply.status, &reply.body);
        }
    }

    /// New access tokens for the admin and the member, after the clock moved past theirs.
    async fn sign_in_again(&mut self) {
        for (session, email) in [(&mut self.admin, "admin@rollups.test"), (&mut self.member, "member@rollups.test")] {
            let reply = self.app.login(email, PASSWORD).await;
            session.token = reply.ok(200)["access_token"].as_str().unwrap().to_owned();
        }
    }

    async fn refresh(&mut self, deal: &str) {
        let reply = self.app.get(&format!("/api/v1/deals/{deal}")).token(&self.admin.token).send().await;
        match reply.status {
            200 => self.note(200, &reply.body),
            404 => {
                self.deals.remove(deal);
            }
            other => panic!("{other}: {}", reply.text),
        }
    }

    async fn step(&mut self) {
        let token = self.admin.token.clone();
        let stages = self.stages();
        match self.random.below(100) {
            0..=21 => {
                let (pipeline, stage) = self.random.pick(&stages).clone();
                let owner = self.random.pick(&self.owners).clone();
                let body = json!({
                    "title": "Deal", "pipeline_id": pipeline, "stage_id": stage, "amount_minor": self.random.amount(),
                    "currency": self.random.pick(&CURRENCIES), "probability": self.random.probability(), "owner_id": owner,
                });
                let reply = self.app.post("/api/v1/deals").token(&token).json(body).send().await;
                self.note(reply.status, &reply.body);
            }
            22..=41 => {
                let Some((deal, version)) = self.some_deal() else { return };
                let reply = self.app.get(&format!("/api/v1/deals/{deal}")).token(&token).send().await;
                let pipeline = reply.body["pipeline_id"].as_str().unwrap().to_owned();
                let in_pipeline = &self.pipelines.iter().find(|(p, _)| *p == pipeline).unwrap().1;
                let target = self.random.pick(in_pipeline).clone();
                let reply = self
                    .app
                    .post(&format!("/api/v1/deals/{deal}/move"))
                    .token(&token)
                    .if_match(version)
                    .json(json!({"stage_id": target}))
                    .send()
                    .await;
                self.settle(&deal, reply).await;
            }
            42..=59 => {
                let Some((deal, version)) = self.some_deal() else { return };
                let mut patch = serde_json::Map::new();
                match self.random.below(4) {
                    0 => patch.insert("amount_minor".into(), json!(self.random.amount())),
                    1 => patch.insert("currency".into(), json!(self.random.pick(&CURRENCIES))),
                    2 => patch.insert("probability".into(), self.random.probability()),
                    _ => patch.insert("owner_id".into(), json!(self.random.pick(&self.owners))),
                };
                let reply = self
                    .app
                    .patch(&format!("/api/v1/deals/{deal}"))
                    .token(&token)
                    .if_match(version)
                    .json(Value::Object(patch))
                    .send()
                    .await;
                self.settle(&deal, reply).await;
            }
            60..=71 => {
                let Some((deal, version)) = self.some_deal() else { return };
                let (path, body) = match self.random.below(3) {
                    0 => ("win", json!({})),
                    1 => ("lose", json!({"reason": "Price"})),
                    _ => ("reopen", json!({})),
                };
                let reply = self.app.post(&format!("/api/v1/deals/{deal}/{path}")).token(&token).if_match(version).json(body).send().await;
                self.settle(&deal, reply).await;
            }
            72..=76 => {
                let Some((deal, version)) = self.some_deal() else { return };
                let reply = self.app.delete(&format!("/api/v1/deals/{deal}")).token(&token).if_match(version).send().await;
                assert!(reply.status < 500, "{}", reply.text);
                match reply.status {
                    204 => {
                        self.deals.remove(&deal);
                    }
                    412 => self.refresh(&deal).await,
                    _ => {}
                }
            }
            77..=81 => {
                let ids: Vec<String> = (0..1 + self.random.below(6)).filter_map(|_| self.some_deal().map(|(id, _)| id)).collect();
                let pipeline = self.random.below(self.pipelines.len());
                let action = match self.random.below(3) {
                    0 => json!({"type": "move", "stage_id": self.random.pick(&self.pipelines[pipeline].1)}),
                    1 => json!({"type": "assign", "owner_id": self.random.pick(&self.owners)}),
                    _ => json!({"type": "delete"}),
                };
                let reply = self.app.post("/api/v1/deals/bulk").token(&token).json(json!({"ids": ids, "action": action})).send().await;
                assert!(reply.status < 500, "{}", reply.text);
                for deal in ids {
                    self.refresh(&deal).await;
                }
            }
            82..=85 => {
                let (_, stage) = self.random.pick(&stages).clone();
                let body = json!({"probability": self.random.below(101)});
                let reply = self.app.patch(&format!("/api/v1/stages/{stage}")).token(&token).json(body).send().await;
                assert!(reply.status < 500, "{}", reply.text);
            }
            86..=91 => {
                let lead = self.app.post("/api/v1/leads").token(&token).json(json!({"name": "Lead"})).send().await;
                let lead = lead.ok(201).clone();
                let (pipeline, stage) = self.random.pick(&stages).clone();
                let body = json!({
                    "pipeline_id": pipeline, "stage_id": stage, "amount_minor": self.random.amount(),
                    "currency": self.random.pick(&CURRENCIES), "owner_id": self.random.pick(&self.owners),
                });
                let reply = self
                    .app
                    .post(&format!("/api/v1/leads/{}/qualify", id(&lead)))
                    .token(&token)
                    .if_match(lead["version"].as_i64().unwrap())
                    .json(body)
                    .send()
                    .await;
                assert!(matches!(reply.status, 200 | 201), "{}", reply.text);
                self.note(200, &reply.body["deal"]);
            }
            92..=95 => {
                // A member's own changes: they see and may change only their deals.
                let member = self.member.clone();
                let (pipeline, stage) = self.random.pick(&stages).clone();
                let body = json!({"title": "Mine", "pipeline_id": pipeline, "stage_id": stage, "amount_minor": self.random.amount()});
                let reply = self.app.post("/api/v1/deals").token(&member.token).json(body).send().await;
                self.note(reply.status, &reply.body);
            }
            96..=97 => self.bulk_load().await,
            _ => self.replace_a_stage().await,
        }
    }

    /// Opens deals through the store's bulk load (seeding), the path that inserts many rows at once.
    async fn bulk_load(&mut self) {
        let (pipeline, stage) = self.random.pick(&self.stages()).clone();
        let owner: uuid::Uuid = self.random.pick(&self.owners).parse().unwrap();
        let new: Vec<CreateDeal> = (0..1 + self.random.below(5))
            .map(|_| CreateDeal {
                pipeline_id: PipelineId::from(pipeline.parse::<uuid::Uuid>().unwrap()),
                stage_id: Some(StageId::from(stage.parse::<uuid::Uuid>().unwrap())),
                title: DealTitle::parse("Loaded").unwrap(),
                amount_minor: self.random.amount(),
                currency: None,
                probability: None,
                expected_close_date: None,
                owner_id: Some(UserId::from(owner)),
                opportunity_id: None,
                contact_id: None,
                organization_id: None,
                tags: Default::default(),
                custom_fields: Default::default(),
                amount_from_lines: false,
            })
            .collect();
        let workspace = WorkspaceId::from(self.admin.workspace_id.parse::<uuid::Uuid>().unwrap());
        let records = self.app.store.create_deals_in_bulk(workspace, UserId::from(owner), new).await.unwrap();
        for record in records {
            self.deals.insert(record.deal.id().as_uuid().to_string(), record.version);
        }
    }

    /// Adds a stage to a pipeline and deletes another, its deals moved to the new one.
    async fn replace_a_stage(&mut self) {
        let token = self.admin.token.clone();
        let pipeline = self.random.below(self.pipelines.len());
        let (pipeline_id, stages) = self.pipelines[pipeline].clone();
        let body = json!({"name": format!("Stage {}", self.random.next() % 1000), "probability": self.random.below(101)});
        let added = self.app.post(&format!("/api/v1/pipelines/{pipeline_id}/stages")).token(&token).json(body).send().await;
        let added = id(added.ok(201));
        let gone = self.random.pick(&stages).clone();
        let reply = self.app.delete(&format!("/api/v1/stages/{gone}?move_deals_to={added}")).token(&token).send().await;
        assert_eq!(reply.status, 204, "{}", reply.text);
        let kept = &mut self.pipelines[pipeline].1;
        kept.retain(|s| *s != gone);
        kept.push(added);
    }

    async fn check(&self, after: usize) {
        assert_moves_kept(&self.app, &format!("after {after} changes")).await;
        let kept = figures(&self.app, KEPT).await;
        let recount = figures(&self.app, RECOUNT).await;
        assert_eq!(kept, recount, "the kept figures after {after} changes");
        self.app.store.fold_rollups().await.unwrap();
        assert_eq!(figures(&self.app, FOLDED).await, recount, "the folded figures after {after} changes");
        for (pipeline, stages) in &self.pipelines {
            let pipeline: uuid::Uuid = pipeline.parse().unwrap();
            let stages: Vec<uuid::Uuid> = stages.iter().map(|s| s.parse().unwrap()).collect();
            let all = expected_columns(&recount, &stages, pipeline, None);
            assert_eq!(board(&self.app, &self.admin, pipeline, None).await, all, "the board after {after} changes");
            for owner in &self.owners {
                let expected = expected_columns(&recount, &stages, pipeline, Some(owner.parse().unwrap()));
                assert_eq!(board(&self.app, &self.admin, pipeline, Some(owner)).await, expected, "{owner}'s board after {after}");
            }
            let member: uuid::Uuid = self.member.user_id.parse().unwrap();
            let expected = expected_columns(&recount, &stages, pipeline, Some(member));
            assert_eq!(board(&self.app, &self.member, pipeline, None).await, expected, "the member's board after {after}");
        }
    }
}

const CHANGES: usize = 2_000;
const CHECK_EVERY: usize = 250;

async fn kept_board_figures_equal_a_recount_after_thousands_of_random_changes(engine: crate::helpers::Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Rollups", "admin@rollups.test").await;
    // Members see only their own deals.
    let visibility = json!({"deal_visibility": "owner_and_managers", "lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(visibility).send().await.ok(200);
    let member = app.add_member(&admin, "member@rollups.test", "member").await;
    let manager = app.add_member(&admin, "manager@rollups.test", "manager").await;
    let mut pipelines = Vec::new();
    for (name, stages) in
        [("Sales", &[("New", 10), ("Proposal", 50), ("Negotiation", 80)][..]), ("Renewals", &[("Due", 30), ("Signed", 90)][..])]
    {
        let pipeline = app.create_pipeline(&admin, name, stages).await;
        let stage_ids = pipeline["stages"].as_array().unwrap().iter().map(id).collect();
        pipelines.push((id(&pipeline), stage_ids));
    }
    let owners = vec![admin.user_id.clone(), member.user_id.clone(), manager.user_id.clone()];
    let mut run = Run { app, admin, member, owners, pipelines, deals: BTreeMap::new(), random: Random(0x9e37_79b9_7f4a_7c15) };
    for change in 1..=CHANGES {
        // Now and then hours or weeks pass, so that visits begin on many days and in many months.
        if run.random.chance(2) {
            let hours = 1 + run.random.below(24 * 40) as i64;
            run.app.clock.advance(chrono::Duration::hours(hours));
            run.sign_in_again().await;
        }
        run.step().await;
        if change % CHECK_EVERY == 0 {
            run.check(change).await;
        }
    }
    let open = run.app.scalar("SELECT COUNT(*) FROM deals WHERE status = 'open'", vec![]).await;
    let closed = run.app.scalar("SELECT COUNT(*) FROM deals WHERE status <> 'open'", vec![]).await;
    assert!(open > 200 && closed > 30, "the run reaches many open and closed deals: {open}, {closed}");
    let big = run.app.scalar("SELECT COUNT(*) FROM deal_rollups WHERE amount_high > 0", vec![]).await;
    assert!(big > 0, "some figures pass 10^9 minor units");
    let months = run.app.scalar("SELECT COUNT(DISTINCT month) FROM stage_moves_by_month", vec![]).await;
    let moved_away = run.app.scalar("SELECT COUNT(*) FROM stage_moves_by_day WHERE moves > 0", vec![]).await;
    assert!(months >= 3 && moved_away > 50, "visits span months and many days: {months} months, {moved_away} kept days");
}

/// Runs `kariz repair --rollups` with `args` on `database_url`, its output piped.
fn repair(database_url: &str, data: &TempDir, args: &[&str]) -> (String, String) {
    let output = Command::new(binary())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("KARIZ_DATA_DIR", &data.path)
        .args(["repair", "--rollups"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run kariz");
    assert!(output.status.success(), "kariz repair {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

async fn the_repair_command_counts_the_figures_again(engine: crate::helpers::Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Repair", "admin@repair.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    for amount in [1_000i64, 2_500, 1_000_000_000_000_000] {
        app.create_deal(&admin, json!({"title": "Deal", "pipeline_id": id(&pipeline), "amount_minor": amount})).await;
    }
    let kept = figures(&app, KEPT).await;
    assert_eq!(kept, figures(&app, RECOUNT).await);
    // Figures gone wrong (written around the application) are counted again.
    app.store.fold_rollups().await.unwrap();
    app.execute("UPDATE deal_rollups SET deal_count = deal_count + 7, weighted_low = 1", vec![]).await;
    app.execute("DELETE FROM deal_rollups WHERE currency = 'IRR' AND amount_high = 0", vec![]).await;
    assert_ne!(figures(&app, KEPT).await, kept);
    // A move, and its kept visit gone wrong.
    let deal = app.create_deal(&admin, json!({"title": "Moved", "pipeline_id": id(&pipeline)})).await;
    app.move_deal(&admin, &deal, json!({"stage_id": crate::helpers::stage_id(&pipeline, 1)})).await.ok(200);
    app.store.fold_rollups().await.unwrap();
    app.execute("UPDATE stage_moves_by_day SET moves = moves + 3", vec![]).await;
    app.execute("DELETE FROM stage_moves_by_month", vec![]).await;
    let kept = figures(&app, RECOUNT).await;
    let data = TempDir::new();
    let (stdout, stderr) = repair(&app.db.url, &data, &[]);
    let stages = app.scalar("SELECT COUNT(*) FROM stages", vec![]).await;
    assert_eq!(stdout, format!("Counted the board's figures of {stages} stages again.\n"));
    assert!(stderr.lines().any(|l| l == format!("stages: {stages}/{stages}")), "a plain progress line: {stderr}");
    assert_eq!(figures(&app, KEPT).await, kept);
    // The corrections are folded in: the rows alone hold the figures.
    assert_eq!(figures(&app, FOLDED).await, kept);
    assert_moves_kept(&app, "after the repair").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM stage_moves_by_month", vec![]).await, 1, "the move is counted again");

    app.execute("UPDATE deal_rollups SET deal_count = 0", vec![]).await;
    let (stdout, stderr) = repair(&app.db.url, &data, &["--json"]);
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), json!({"rollups": {"stages": stages}}));
    assert!(!stderr.contains("stages: "), "no progress with --json: {stderr}");
    assert_eq!(figures(&app, FOLDED).await, kept);

    let (stdout, stderr) = repair(&app.db.url, &data, &["--quiet"]);
    assert_eq!((stdout.as_str(), stderr.as_str()), ("", ""));
}

/// Moves of one owner's deals between the same stages, at once from many connections, append
/// to the same figures; stage probability changes recount meanwhile. Nothing deadlocks, every
/// move lands, and the figures (folded and not) equal a recount.
async fn concurrent_moves_of_one_owners_deals_and_probability_changes_keep_the_figures(engine: crate::helpers::Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Hot rows", "admin@hot.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let stages: Vec<String> = pipeline["stages"].as_array().unwrap().iter().map(id).collect();
    let mut deals = Vec::new();
    for n in 0..24i64 {
        let body = json!({"title": "Deal", "pipeline_id": id(&pipeline), "amount_minor": 1_000_003 * (n + 1)});
        deals.push(id(&app.create_deal(&admin, body).await));
    }
    let mover = |lane: usize| {
        let (app, admin, deals, stages) = (&app, &admin, &deals, &stages);
        async move {
            for round in 0..12 {
                let deal = &deals[(lane * 3 + round) % deals.len()];
                let stage = &stages[(lane + round) % stages.len()];
                let current = app.deal(admin, deal).await;
                let reply = app
                    .post(&format!("/api/v1/deals/{deal}/move"))
                    .token(&admin.token)
                    .if_match(current["version"].as_i64().unwrap())
                    .json(json!({"stage_id": stage}))
                    .send()
                    .await;
                // Another lane may have moved the same deal since it was read.
                assert!(matches!(reply.status, 200 | 412), "a move lands or is stale: {} {}", reply.status, reply.body);
            }
        }
    };
    let prober = async {
        for (round, probability) in [15, 65, 35, 90].into_iter().enumerate() {
            let stage = &stages[round % stages.len()];
            app.patch(&format!("/api/v1/stages/{stage}"))
                .token(&admin.token)
                .json(json!({"probability": probability}))
                .send()
                .await
                .ok(200);
        }
    };
    let movers = futures_util::future::join_all((0..8).map(mover));
    futures_util::future::join(movers, prober).await;
    let recount = figures(&app, RECOUNT).await;
    assert_eq!(recount.values().map(|f| f.0).sum::<i64>(), 24);
    assert_eq!(figures(&app, KEPT).await, recount);
    app.store.fold_rollups().await.unwrap();
    assert_eq!(figures(&app, FOLDED).await, recount);
    let left = app.scalar("SELECT COUNT(*) FROM deal_rollup_deltas", vec![]).await;
    assert_eq!(left, 0, "a fold leaves no change behind");
    assert_moves_kept(&app, "after concurrent moves").await;
    let moved = app.scalar("SELECT COUNT(*) FROM stage_history WHERE from_stage_id IS NOT NULL", vec![]).await;
    assert_eq!(app.scalar("SELECT CAST(SUM(moves) AS BIGINT) FROM stage_moves_by_day", vec![]).await, moved);
}
